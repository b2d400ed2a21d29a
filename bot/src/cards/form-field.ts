/** A choice a select-like field offers: Jira's id, and the words a user sees. */
export interface FieldChoice {
  id: string;
  label: string;
}

export interface CascadingChoice extends FieldChoice {
  children: FieldChoice[];
}

interface FieldBase {
  /** Jira's field id (`priority`, `customfield_10030`); also the dialog input's id. */
  id: string;
  name: string;
  required: boolean;
  /** Jira's default, in the form's value format, used to prefill the input. */
  defaultValue?: string;
}

/**
 * A create-screen field as the dialog presents it. `kind` picks both the input and how the
 * submitted value maps back to Jira's create payload.
 */
export type FormField =
  | (FieldBase & { kind: 'text' | 'textarea' | 'number' | 'date' | 'datetime' | 'user' | 'multiuser' | 'labels' })
  | (FieldBase & { kind: 'select' | 'multiselect'; choices: FieldChoice[] })
  | (FieldBase & { kind: 'cascading'; choices: CascadingChoice[] })
  | (FieldBase & { kind: 'unsupported'; schemaType: string });

/** Input id of the time half of a date-time field (the date half uses the field id). */
export function timeInputId(fieldId: string): string {
  return `${fieldId}.time`;
}

/**
 * Value of one cascading choice in the dialog: `parent` or `parent:child`. Choice values must
 * not contain commas, which multi-selects use as separators; Jira option ids are digits.
 */
export function cascadingValue(parentId: string, childId?: string): string {
  return childId ? `${parentId}:${childId}` : parentId;
}
