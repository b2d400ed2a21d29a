import { renderFieldValue } from '../fields/field-codec';
import type { FieldDef, Project, ScreenField } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { projectAvatarUrls, renderIssueType, renderPriority } from './render-catalog';

const OPERATIONS: Record<string, string[]> = {
  labels: ['add', 'set', 'remove'],
  multiselect: ['add', 'set', 'remove'],
};

function allowedValues(state: SiteState, def: FieldDef, project: Project): unknown[] | undefined {
  const siteUrl = state.site.url;
  switch (def.kind) {
    case 'priority':
      return state.site.priorities.map((p) => renderPriority(siteUrl, p));
    case 'issuetype':
      return project.issueTypeIds.map((id) => renderIssueType(siteUrl, state.issueType(id)!));
    case 'project':
      return [
        {
          self: `${siteUrl}/rest/api/3/project/${project.id}`,
          id: project.id,
          key: project.key,
          name: project.name,
          projectTypeKey: project.projectTypeKey,
          simplified: false,
          avatarUrls: projectAvatarUrls(siteUrl, project),
        },
      ];
    case 'select':
    case 'multiselect':
      return (def.options ?? []).map((o) => renderFieldValue(state, { ...def, kind: 'select' }, o.id));
    case 'cascading':
      return (def.options ?? []).map((o) => ({
        self: `${siteUrl}/rest/api/3/customFieldOption/${o.id}`,
        value: o.value,
        id: o.id,
        children: (o.children ?? []).map((c) => ({ self: `${siteUrl}/rest/api/3/customFieldOption/${c.id}`, value: c.value, id: c.id })),
      }));
    default:
      return undefined;
  }
}

/** FieldCreateMetadata / FieldMetadata: one field of a create or edit screen. */
export function renderFieldMeta(state: SiteState, project: Project, screenField: ScreenField, form: 'create' | 'edit'): Record<string, unknown> {
  const def = state.field(screenField.fieldId)!;
  const values = allowedValues(state, def, project);
  const userField = def.kind === 'user';
  return {
    required: screenField.required,
    schema: def.schema,
    name: def.name,
    key: def.id,
    // FieldMetadata (editmeta) has no fieldId; FieldCreateMetadata has.
    ...(form === 'create' ? { fieldId: def.id } : {}),
    ...(userField ? { autoCompleteUrl: `${state.site.url}/rest/api/3/user/search?query=` } : {}),
    hasDefaultValue: def.id === 'priority' || def.id === 'reporter',
    operations: OPERATIONS[def.kind] ?? ['set'],
    ...(values ? { allowedValues: values } : {}),
    ...(def.id === 'priority' ? { defaultValue: renderPriority(state.site.url, state.priority('3')!) } : {}),
  };
}
