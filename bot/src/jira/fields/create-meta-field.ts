/**
 * One field of `GET /rest/api/3/issue/createmeta/{project}/issuetypes/{id}` (FieldCreateMetadata
 * and JsonTypeBean in Jira's OpenAPI spec), narrowed to what the create dialog reads.
 */
export interface CreateMetaField {
  fieldId: string;
  key: string;
  name: string;
  required: boolean;
  operations: string[];
  schema: {
    type: string;
    items?: string;
    system?: string;
    custom?: string;
    customId?: number;
  };
  allowedValues?: unknown[];
  hasDefaultValue?: boolean;
  defaultValue?: unknown;
  autoCompleteUrl?: string;
}
