import type { CreateMetaField } from './create-meta-field';
import type { CascadingChoice, FieldChoice, FormField } from '../../cards/form-field';
import { cascadingValue } from '../../cards/form-field';

const CUSTOM = 'com.atlassian.jira.plugin.system.customfieldtypes:';

/** Fields the dialog never shows as their own input: chosen before (project, type) or set by Jira. */
const NOT_ON_FORM = new Set(['project', 'issuetype', 'reporter', 'attachment', 'issuelinks']);

/** Kinds of the custom field types Jira Cloud ships, by `schema.custom`. */
const CUSTOM_KINDS: Record<string, FormField['kind']> = {
  [`${CUSTOM}textfield`]: 'text',
  [`${CUSTOM}url`]: 'text',
  [`${CUSTOM}textarea`]: 'textarea',
  [`${CUSTOM}float`]: 'number',
  [`${CUSTOM}datepicker`]: 'date',
  [`${CUSTOM}datetime`]: 'datetime',
  [`${CUSTOM}select`]: 'select',
  [`${CUSTOM}radiobuttons`]: 'select',
  [`${CUSTOM}multiselect`]: 'multiselect',
  [`${CUSTOM}multicheckboxes`]: 'multiselect',
  [`${CUSTOM}cascadingselect`]: 'cascading',
  [`${CUSTOM}userpicker`]: 'user',
  [`${CUSTOM}multiuserpicker`]: 'multiuser',
  [`${CUSTOM}labels`]: 'labels',
};

/** Rich-text system fields: Jira Cloud's v3 API takes them as ADF, not as a string. */
const RICH_TEXT_SYSTEM = new Set(['description', 'environment']);

function kindOf(field: CreateMetaField): FormField['kind'] {
  const { type, items, system, custom } = field.schema;
  if (custom) {
    if (CUSTOM_KINDS[custom]) return CUSTOM_KINDS[custom];
    // Apps' and Jira Software's own types (sprint, rank, team...) need their own pickers.
    return 'unsupported';
  }
  if (system && RICH_TEXT_SYSTEM.has(system)) return 'textarea';
  switch (type) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'user':
      return 'user';
    case 'priority':
    case 'option':
    case 'version':
    case 'component':
    case 'securitylevel':
    case 'resolution':
      return field.allowedValues ? 'select' : 'unsupported';
    case 'option-with-child':
      return 'cascading';
    case 'array':
      if (items === 'string') return 'labels';
      if (items === 'user') return 'multiuser';
      if ((items === 'option' || items === 'version' || items === 'component') && field.allowedValues) return 'multiselect';
      return 'unsupported';
    default:
      return 'unsupported';
  }
}

function choiceOf(value: unknown): FieldChoice | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { id?: unknown; value?: unknown; name?: unknown; disabled?: unknown; archived?: unknown };
  if (v.id === undefined || v.disabled === true || v.archived === true) return undefined;
  const label = typeof v.value === 'string' ? v.value : typeof v.name === 'string' ? v.name : String(v.id);
  return { id: String(v.id), label };
}

function cascadingChoiceOf(value: unknown): CascadingChoice | undefined {
  const parent = choiceOf(value);
  if (!parent) return undefined;
  const children = (value as { children?: unknown[] }).children ?? [];
  return { ...parent, children: children.map(choiceOf).filter((c): c is FieldChoice => !!c) };
}

/** Jira's default value in the form's value format, when the form can show it. */
function defaultOf(field: CreateMetaField, kind: FormField['kind']): string | undefined {
  const value = field.defaultValue;
  if (!field.hasDefaultValue || value === undefined || value === null) return undefined;
  switch (kind) {
    case 'select':
      return choiceOf(value)?.id;
    case 'multiselect':
      return Array.isArray(value)
        ? value
            .map((v) => choiceOf(v)?.id)
            .filter(Boolean)
            .join(',') || undefined
        : undefined;
    case 'cascading': {
      const parent = choiceOf(value);
      const child = choiceOf((value as { child?: unknown }).child);
      return parent ? cascadingValue(parent.id, child?.id) : undefined;
    }
    case 'text':
    case 'date':
      return typeof value === 'string' ? value : undefined;
    case 'number':
      return typeof value === 'number' ? String(value) : undefined;
    case 'labels':
      return Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(' ') || undefined : undefined;
    default:
      return undefined;
  }
}

/**
 * The form model for a project's issue type: one typed field per createmeta field the user
 * sets, in Jira's order. Fields Jira sets itself or the dialog picks first are left out;
 * fields no Adaptive Card input can set come back as `unsupported`, so a required one can be
 * named to the user instead of failing the create.
 */
export function formFieldsFromCreateMeta(fields: readonly CreateMetaField[]): FormField[] {
  const out: FormField[] = [];
  for (const field of fields) {
    const id = field.fieldId ?? field.key;
    if (NOT_ON_FORM.has(id) || (field.operations && !field.operations.includes('set'))) continue;
    const kind = kindOf(field);
    const base = { id, name: field.name, required: field.required, defaultValue: defaultOf(field, kind) };
    if (base.defaultValue === undefined) delete base.defaultValue;
    switch (kind) {
      case 'select':
      case 'multiselect':
        out.push({ ...base, kind, choices: (field.allowedValues ?? []).map(choiceOf).filter((c): c is FieldChoice => !!c) });
        break;
      case 'cascading':
        out.push({ ...base, kind, choices: (field.allowedValues ?? []).map(cascadingChoiceOf).filter((c): c is CascadingChoice => !!c) });
        break;
      case 'unsupported':
        out.push({ ...base, kind, schemaType: field.schema.custom ?? field.schema.type });
        break;
      default:
        out.push({ ...base, kind });
    }
  }
  return out;
}
