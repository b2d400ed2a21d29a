import { textToAdf } from '../adf/text-to-adf';
import type { FormField } from '../../cards/form-field';
import { cascadingValue, timeInputId } from '../../cards/form-field';
import { isCalendarDate, jiraDateTime } from './jira-date-time';

/** Jira caps single-line text fields, the summary included, at 255 characters. */
export const TEXT_FIELD_MAX = 255;

/** What the dialog submitted: Adaptive Card inputs send strings, tests and quick-create may send values. */
export type FormValues = Readonly<Record<string, unknown>>;

export interface MappedFields {
  /** The `fields` object of `POST /rest/api/3/issue`, for the fields that had a value. */
  fields: Record<string, unknown>;
  /** User-facing error per field id; empty when the form is valid. */
  errors: Record<string, string>;
}

export interface MapOptions {
  /** IANA zone the user picked date-times in (Teams' `activity.localTimezone`). */
  timeZone?: string;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value).trim();
}

function list(value: unknown): string[] {
  return text(value)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

type FieldResult = { value: unknown } | { error: string };

function mapField(field: FormField, values: FormValues, options: MapOptions): FieldResult | undefined {
  const raw = text(values[field.id]);
  const name = field.name;
  if (field.kind === 'datetime') {
    const time = text(values[timeInputId(field.id)]);
    if (raw === '' && time === '') return undefined;
    if (raw === '') return { error: `${name} needs a date as well as a time.` };
    const value = jiraDateTime(raw, time || '00:00', options.timeZone);
    return value ? { value } : { error: `${name} must be a date and time, like 2026-03-31 at 14:30.` };
  }
  if (raw === '') return undefined;
  switch (field.kind) {
    case 'text': {
      const value = raw.replace(/\s*[\r\n]+\s*/g, ' ');
      return value.length > TEXT_FIELD_MAX ? { error: `${name} must be ${TEXT_FIELD_MAX} characters or fewer (it has ${value.length}).` } : { value };
    }
    case 'textarea':
      return { value: textToAdf(String(values[field.id])) };
    case 'number': {
      const value = Number(raw.replace(/\s/g, ''));
      return Number.isFinite(value) ? { value } : { error: `${name} must be a number, like 3 or 2.5.` };
    }
    case 'date':
      return isCalendarDate(raw) ? { value: raw } : { error: `${name} must be a date, like 2026-03-31.` };
    case 'select':
      return field.choices.some((c) => c.id === raw) ? { value: { id: raw } } : { error: `Choose one of the listed values for ${name}.` };
    case 'multiselect': {
      const ids = list(raw);
      const unknown = ids.filter((id) => !field.choices.some((c) => c.id === id));
      return unknown.length === 0 ? { value: ids.map((id) => ({ id })) } : { error: `Choose only listed values for ${name}.` };
    }
    case 'cascading': {
      const [parentId, childId] = raw.split(':');
      const parent = field.choices.find((c) => c.id === parentId);
      const child = childId === undefined ? undefined : parent?.children.find((c) => c.id === childId);
      if (!parent || (childId !== undefined && !child) || cascadingValue(parentId, childId) !== raw) {
        return { error: `Choose one of the listed values for ${name}.` };
      }
      return { value: child ? { id: parent.id, child: { id: child.id } } : { id: parent.id } };
    }
    case 'user':
      return { value: { accountId: raw } };
    case 'multiuser':
      return { value: list(raw).map((accountId) => ({ accountId })) };
    case 'labels': {
      // Jira labels cannot contain spaces, so a space separates labels as a comma does.
      const labels = [...new Set(raw.split(/[\s,]+/).filter((l) => l !== ''))];
      const tooLong = labels.find((l) => l.length > TEXT_FIELD_MAX);
      return tooLong ? { error: `Each label in ${name} must be ${TEXT_FIELD_MAX} characters or fewer.` } : { value: labels };
    }
    case 'unsupported':
      return { error: `${name} can't be set from Teams yet; create this issue in Jira instead.` };
    default:
      return { error: `${name} has a type this app does not know.` };
  }
}

/**
 * Maps submitted dialog values back to Jira's create payload, field by field: dates as
 * `yyyy-MM-dd`, date-times with the user's offset, numbers, options as `{id}`, cascading
 * options as `{id, child: {id}}`, users as `{accountId}`, labels as strings, rich text as ADF.
 * Every field that is missing or malformed gets one error in words a user can act on.
 */
export function mapFormValues(fields: readonly FormField[], values: FormValues, options: MapOptions = {}): MappedFields {
  const mapped: MappedFields = { fields: {}, errors: {} };
  for (const field of fields) {
    const result = mapField(field, values, options);
    if (result === undefined) {
      if (field.required) mapped.errors[field.id] = `${field.name} is required.`;
    } else if ('error' in result) {
      mapped.errors[field.id] = result.error;
    } else {
      mapped.fields[field.id] = result.value;
    }
  }
  return mapped;
}
