import { escapeCardText, type CardElement } from './adaptive-card';
import type { FormField } from './form-field';
import { cascadingValue, timeInputId } from './form-field';

/** A person a user picker offers. */
export interface UserChoice {
  accountId: string;
  displayName: string;
}

/** Most choices one picker carries: Teams caps a card at 28 KB. */
export const MAX_CHOICES = 100;

export type InputValues = Readonly<Record<string, unknown>>;

function stringValue(values: InputValues, id: string, fallback?: string): string | undefined {
  const value = values[id];
  if (value === undefined || value === null) return fallback;
  return Array.isArray(value) ? value.join(',') : String(value);
}

function label(field: FormField): string {
  return field.required ? `${field.name} (required)` : field.name;
}

/** The red line under an input that Jira or the form rejected. */
export function fieldError(error: string | undefined): CardElement[] {
  return error ? [{ type: 'TextBlock', text: escapeCardText(error), color: 'Attention', wrap: true, spacing: 'None', size: 'Small' }] : [];
}

function choiceSet(field: FormField, choices: Array<{ title: string; value: string }>, value: string | undefined, multi: boolean): CardElement {
  return {
    type: 'Input.ChoiceSet',
    id: field.id,
    label: label(field),
    style: 'compact',
    isMultiSelect: multi,
    choices: choices.slice(0, MAX_CHOICES),
    ...(value ? { value } : {}),
    ...(multi ? {} : { placeholder: field.required ? `Choose ${field.name}` : 'None' }),
  };
}

/**
 * The input (or inputs) for one create-screen field, showing the user's value if they typed
 * one, else Jira's default, followed by the field's error.
 */
export function createIssueFieldInput(field: FormField, values: InputValues, users: readonly UserChoice[], error?: string): CardElement[] {
  const value = stringValue(values, field.id, field.defaultValue);
  let inputs: CardElement[];
  switch (field.kind) {
    case 'text':
      inputs = [{ type: 'Input.Text', id: field.id, label: label(field), maxLength: 255, ...(value ? { value } : {}) }];
      break;
    case 'textarea':
      inputs = [{ type: 'Input.Text', id: field.id, label: label(field), isMultiline: true, ...(value ? { value } : {}) }];
      break;
    case 'number': {
      const number = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
      inputs = [{ type: 'Input.Number', id: field.id, label: label(field), ...(Number.isFinite(number) ? { value: number } : {}) }];
      break;
    }
    case 'date':
      inputs = [{ type: 'Input.Date', id: field.id, label: label(field), ...(value ? { value } : {}) }];
      break;
    case 'datetime': {
      const time = stringValue(values, timeInputId(field.id));
      inputs = [
        {
          type: 'ColumnSet',
          columns: [
            { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: field.id, label: label(field), ...(value ? { value } : {}) }] },
            { type: 'Column', width: 'stretch', items: [{ type: 'Input.Time', id: timeInputId(field.id), label: 'Time', ...(time ? { value: time } : {}) }] },
          ],
        },
      ];
      break;
    }
    case 'select':
    case 'multiselect':
      inputs = [
        choiceSet(
          field,
          field.choices.map((c) => ({ title: c.label, value: c.id })),
          value,
          field.kind === 'multiselect',
        ),
      ];
      break;
    case 'cascading':
      // Two dependent pickers need a round trip per change; one list of "Parent › Child" does not.
      inputs = [
        choiceSet(
          field,
          field.choices.flatMap((parent) => [
            { title: parent.label, value: cascadingValue(parent.id) },
            ...parent.children.map((child) => ({ title: `${parent.label} › ${child.label}`, value: cascadingValue(parent.id, child.id) })),
          ]),
          value,
          false,
        ),
      ];
      break;
    case 'user':
    case 'multiuser':
      inputs = [
        choiceSet(
          field,
          users.map((u) => ({ title: u.displayName, value: u.accountId })),
          value,
          field.kind === 'multiuser',
        ),
      ];
      break;
    case 'labels':
      inputs = [{ type: 'Input.Text', id: field.id, label: label(field), placeholder: 'Separate labels with spaces or commas', ...(value ? { value } : {}) }];
      break;
    case 'unsupported':
      inputs = field.required
        ? [{ type: 'TextBlock', text: `${field.name} is required, and Teams can't set it yet. Create this issue in Jira instead.`, color: 'Warning', wrap: true }]
        : [];
      break;
    default:
      inputs = [];
  }
  return [...inputs, ...fieldError(error)];
}
