import { isAdfDoc } from '../site/adf';
import { FieldId } from '../site/field-ids';
import type { WebhookEventPayload } from '../webhook-event';
import { adfToWiki } from './adf-to-wiki';
import type { Realism } from './realism';

/** The issue fields a real comment_created / comment_updated carries (samples/recorded/webhook-cloud-comment-*.json). */
const THIN_COMMENT_FIELDS = ['summary', 'issuetype', 'project', 'assignee', 'priority', 'status'];

/** Fields whose changelog items Jira's webhooks name by display name in `fieldId` (samples/recorded/*-rank, *-sprint). */
const DISPLAY_NAME_FIELD_IDS: Record<string, string> = { [FieldId.Rank]: 'Rank', [FieldId.Sprint]: 'Sprint' };

/** REST v2: /rest/api/2/ links and wiki-markup text where v3 has ADF. */
function toRestV2(value: unknown): unknown {
  if (typeof value === 'string') return !/^https?:/.test(value) ? value : value.replace(/\/rest\/api\/3\//g, '/rest/api/2/');
  if (Array.isArray(value)) return value.map(toRestV2);
  if (value && typeof value === 'object') {
    if (isAdfDoc(value)) return adfToWiki(value);
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toRestV2(inner)]));
  }
  return value;
}

/**
 * Turns the simulator's full REST v3 webhook body into what Jira Cloud actually sends, per the
 * realism switches that are on. Each step mirrors one of the recorded samples in shared/ref/jira.
 */
export function reshapeWebhookPayload(payload: WebhookEventPayload, realism: Realism): WebhookEventPayload {
  let out: WebhookEventPayload = { ...payload };
  const isCommentEvent = out.webhookEvent === 'comment_created' || out.webhookEvent === 'comment_updated';
  if (realism.thinCommentEvents && isCommentEvent) {
    const { user: _user, ...rest } = out;
    const fields = (out.issue.fields ?? {}) as Record<string, unknown>;
    out = {
      ...rest,
      issue: {
        id: out.issue.id,
        self: out.issue.self,
        key: out.issue.key,
        fields: Object.fromEntries(THIN_COMMENT_FIELDS.filter((f) => f in fields).map((f) => [f, fields[f]])),
      },
    };
  }
  if (out.changelog && realism.emptyAssigneeChangelog && out.issue_event_type_name === 'issue_assigned') {
    out.changelog = { id: out.changelog.id, items: [] };
  }
  if (out.changelog && realism.displayNameFieldIds) {
    out.changelog = {
      id: out.changelog.id,
      items: out.changelog.items.map((item) => {
        const name = DISPLAY_NAME_FIELD_IDS[String(item.fieldId)];
        return name ? { ...item, field: name, fieldtype: 'jira', fieldId: name } : item;
      }),
    };
  }
  if (realism.webhookRestV2) out = toRestV2(out) as WebhookEventPayload;
  return out;
}
