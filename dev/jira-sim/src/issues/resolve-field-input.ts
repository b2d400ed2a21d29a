/**
 * Validates the `fields` and `update` parts of a create, edit or transition request against the
 * issue type's screen, and returns the new stored values. All field errors are collected and
 * answered together, keyed by field id, as Jira does.
 */
import { parseFieldValue } from '../fields/field-codec';
import { timeTrackingValues, type TimeTracking } from '../fields/time-tracking';
import { JiraError } from '../http/jira-error';
import type { Project } from '../site/site-model';
import type { SiteState } from '../site/site-state';

const NOT_ON_SCREEN = (fieldId: string) => `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;

export interface FieldInput {
  fields?: unknown;
  update?: unknown;
}

type Op = { set?: unknown; add?: unknown; remove?: unknown };

function asObject(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw JiraError.badRequest({}, [`The '${name}' value must be an object.`]);
  return value as Record<string, unknown>;
}

export function resolveFieldInput(
  state: SiteState,
  project: Project,
  issueTypeId: string,
  input: FieldInput,
  current: Record<string, unknown>,
  skip: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const { values, errors } = readFieldInput(state, project, issueTypeId, input, current, skip);
  if (Object.keys(errors).length) throw JiraError.badRequest(errors);
  return values;
}

/** Like resolveFieldInput, but hands back the errors so a caller can add its own (create's required fields). */
export function readFieldInput(
  state: SiteState,
  project: Project,
  issueTypeId: string,
  input: FieldInput,
  current: Record<string, unknown>,
  skip: ReadonlySet<string> = new Set(),
): { values: Record<string, unknown>; errors: Record<string, string> } {
  const screen = new Set((project.screens[issueTypeId] ?? []).map((f) => f.fieldId));
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const fieldDef = (fieldId: string) => {
    const def = state.field(fieldId);
    if (!def || !screen.has(fieldId) || fieldId === 'project' || fieldId === 'issuetype') {
      errors[fieldId] = NOT_ON_SCREEN(fieldId);
      return undefined;
    }
    return def;
  };
  const set = (fieldId: string, raw: unknown) => {
    const def = fieldDef(fieldId);
    if (!def) return;
    const parsed = parseFieldValue(state, def, raw, project);
    if ('error' in parsed) errors[fieldId] = parsed.error;
    else if (def.kind === 'timetracking') Object.assign(values, timeTrackingValues(current[fieldId] as TimeTracking | undefined, parsed.value as TimeTracking));
    else values[fieldId] = def.kind === 'sprint' ? keepClosedSprints(state, current[fieldId], parsed.value as number[]) : parsed.value;
  };

  const fields = asObject(input.fields, 'fields');
  const update = asObject(input.update, 'update');
  for (const [fieldId, raw] of Object.entries(fields)) {
    if (skip.has(fieldId)) continue;
    if (fieldId in update) {
      errors[fieldId] = `Field '${fieldId}' cannot be set with both 'fields' and 'update'.`;
      continue;
    }
    set(fieldId, raw);
  }
  for (const [fieldId, ops] of Object.entries(update)) {
    if (skip.has(fieldId)) continue;
    const def = fieldDef(fieldId);
    if (!def) continue;
    if (!Array.isArray(ops)) {
      errors[fieldId] = `Operations for '${fieldId}' must be a list.`;
      continue;
    }
    for (const op of ops as Op[]) {
      if (op && 'set' in op) {
        set(fieldId, op.set);
        continue;
      }
      const adding = op && 'add' in op;
      const removing = op && 'remove' in op;
      if ((!adding && !removing) || (def.kind !== 'labels' && def.kind !== 'multiselect')) {
        const name = op && typeof op === 'object' ? Object.keys(op)[0] : String(op);
        errors[fieldId] = `Field '${fieldId}' does not support operation '${name}'. Supported operation(s) are: 'set'.`;
        break;
      }
      const existing = (fieldId in values ? values[fieldId] : current[fieldId]) as string[] | undefined;
      const parsed = parseFieldValue(state, def, [adding ? op.add : op.remove], project);
      if ('error' in parsed) {
        errors[fieldId] = parsed.error;
        break;
      }
      const item = (parsed.value as string[])[0];
      const base = [...(existing ?? [])];
      values[fieldId] = adding ? (base.includes(item) ? base : [...base, item]) : base.filter((v) => v !== item);
    }
  }
  return { values, errors };
}

/** Jira keeps the closed sprints an issue went through when its sprint is set again. */
function keepClosedSprints(state: SiteState, current: unknown, next: number[]): number[] {
  const closed = ((current as number[] | undefined) ?? []).filter((id) => state.site.sprints.find((s) => s.id === id)?.state === 'closed');
  return [...new Set([...closed, ...next])];
}
