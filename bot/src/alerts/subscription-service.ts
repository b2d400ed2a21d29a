import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { StoreConflictError } from '../store/store';
import { AlertError, AlertErrorCode } from './alert-error';
import type { AlertOutbox, OutboxEntry } from './alert-outbox';
import { ALL_EVENT_KINDS, IssueEventKind, type IssueEvent } from './issue-event';
import type { Subscription } from './subscription';
import type { SubscriptionRepository } from './subscription-repository';

/** Who asks, from the Teams activity. */
export interface SubscriptionActor {
  tenantId: string;
  /** The conversation without a `;messageid=` thread suffix. */
  conversationId: string;
  conversationType: 'channel' | 'groupChat' | 'personal';
  teamId?: string;
  /** The team's Microsoft 365 group id (`channelData.team.aadGroupId`): its id in Microsoft Graph. */
  teamAadGroupId?: string;
  /** Teams user id (`29:...`), for roster lookups. */
  userId: string;
  aadObjectId?: string;
}

export type PermissionAnswer = { allowed: true } | { allowed: false; reason: string };

/**
 * The server-side permission check (wired in wiring/subscription-permissions.ts): who owns the
 * team or chat, from Microsoft Graph, and the actor's own Jira connection
 * (`GET /rest/api/3/mypermissions?permissions=ADMINISTER` / `ADMINISTER_PROJECTS&projectKey=...`).
 */
export interface SubscriptionPermissions {
  /**
   * A team owner; in a group chat a member from the chat's own organization; in a meeting chat its
   * organizer (see wiring/subscription-permissions.ts for why). Fails closed: `reason` is shown.
   */
  canManageConversation(actor: SubscriptionActor): Promise<PermissionAnswer>;
  /** Jira administrator, or administrator of every chosen project (global admin when none is named). */
  canAdministerJira(actor: SubscriptionActor, site: string, projects: readonly string[]): Promise<PermissionAnswer>;
}

/** Validates JQL with Jira as the actor (`POST /rest/api/3/jql/parse?validation=strict`); resolves Jira's error text, or undefined when valid. */
export interface JqlValidator {
  validate(actor: SubscriptionActor, site: string, jql: string): Promise<string | undefined>;
}

const list = (max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter(Boolean))
    .refine((v) => v.length <= max, { message: `at most ${max} entries` });

/** The dialog's submit data; lists arrive as comma-separated strings. */
export const subscriptionInputSchema = z.object({
  site: z.string().trim().min(1, 'Choose a Jira site.'),
  projects: list(50)
    .transform((keys) => keys.map((k) => k.toUpperCase()))
    .refine((keys) => keys.every((k) => /^[A-Z][A-Z0-9_]{0,49}$/.test(k)), {
      message: 'Project keys are letters and digits, like PHX.',
    }),
  jql: z
    .string()
    .trim()
    .max(2000, 'The JQL is too long.')
    .optional()
    .transform((v) => (v ? v : undefined)),
  events: list(ALL_EVENT_KINDS.length).refine((kinds) => kinds.length > 0 && kinds.every((k) => (ALL_EVENT_KINDS as readonly string[]).includes(k)), {
    message: 'Choose at least one event.',
  }),
  statuses: list(50),
  fields: list(50),
  twoWayThreads: z
    .union([z.boolean(), z.string()])
    .optional()
    .transform((v) => v === true || v === 'true'),
});

export type SubscriptionInput = z.input<typeof subscriptionInputSchema>;

export interface SubscriptionSummary {
  subscription: Subscription;
  parked: { count: number; lastCode?: string };
}

export interface SubscriptionService {
  /** Anyone in the conversation may list. */
  list(conversationId: string): Promise<SubscriptionSummary[]>;
  get(conversationId: string, id: string): Promise<Subscription | undefined>;
  save(actor: SubscriptionActor, input: SubscriptionInput, id?: string): Promise<Subscription>;
  setMuted(actor: SubscriptionActor, id: string, muted: boolean): Promise<Subscription>;
  remove(actor: SubscriptionActor, id: string): Promise<void>;
  sendTest(actor: SubscriptionActor, id: string): Promise<void>;
  retryParked(actor: SubscriptionActor, id: string): Promise<number>;
  /** Whether the actor may change subscriptions here, and why not (for the buttons and the dialog; changes check again). */
  mayManage(actor: SubscriptionActor): Promise<PermissionAnswer>;
}

export function subscriptionService(deps: {
  repository: SubscriptionRepository;
  outbox: AlertOutbox;
  permissions: SubscriptionPermissions;
  jql: JqlValidator;
  now?: () => Date;
}): SubscriptionService {
  const now = deps.now ?? (() => new Date());

  async function authorize(actor: SubscriptionActor, site: string, projects: readonly string[]): Promise<void> {
    if (actor.conversationType === 'personal') {
      throw new AlertError(AlertErrorCode.NotPermitted, 'Channel alerts are set up in a channel or group chat.');
    }
    const teams = await deps.permissions.canManageConversation(actor);
    if (!teams.allowed) throw new AlertError(AlertErrorCode.NotPermitted, teams.reason);
    const jira = await deps.permissions.canAdministerJira(actor, site, projects);
    if (!jira.allowed) throw new AlertError(AlertErrorCode.NotPermitted, jira.reason);
  }

  async function existing(actor: SubscriptionActor, id: string) {
    const found = await deps.repository.get(actor.conversationId, id);
    if (!found) throw new AlertError(AlertErrorCode.InvalidSubscription, 'That subscription no longer exists.');
    return found;
  }

  /** Changes one stored subscription after checking the actor against its site and projects. */
  async function change(actor: SubscriptionActor, id: string, edit: (s: Subscription) => Subscription): Promise<Subscription> {
    const { subscription, etag } = await existing(actor, id);
    await authorize(actor, subscription.site, subscription.projects);
    const changed = { ...edit(subscription), changedBy: actor.aadObjectId ?? actor.userId, updatedAt: now().toISOString() };
    try {
      await deps.repository.save(changed, { ifMatch: etag });
    } catch (error) {
      if (error instanceof StoreConflictError) throw new AlertError(AlertErrorCode.InvalidSubscription, 'Someone changed this subscription at the same time. Please try again.');
      throw error;
    }
    return changed;
  }

  const parkedFor = (entries: OutboxEntry[], id: string) => {
    const mine = entries.filter((e) => e.subscriptionIds.includes(id)).sort((a, b) => (a.lastError?.at ?? 0) - (b.lastError?.at ?? 0));
    return { count: mine.length, ...(mine.length > 0 ? { lastCode: mine[mine.length - 1].lastError?.code } : {}) };
  };

  return {
    async list(conversationId) {
      const [subscriptions, parked] = await Promise.all([deps.repository.forConversation(conversationId), deps.outbox.parked(conversationId)]);
      return subscriptions.map((subscription) => ({ subscription, parked: parkedFor(parked, subscription.id) }));
    },

    async get(conversationId, id) {
      return (await deps.repository.get(conversationId, id))?.subscription;
    },

    async save(actor, raw, id) {
      const parsed = subscriptionInputSchema.safeParse(raw);
      if (!parsed.success) throw new AlertError(AlertErrorCode.InvalidSubscription, parsed.error.issues[0]?.message ?? 'Check the form.');
      const input = parsed.data;
      if (input.projects.length === 0 && !input.jql) {
        throw new AlertError(AlertErrorCode.InvalidSubscription, 'Name at least one project, or a JQL filter.');
      }
      await authorize(actor, input.site, input.projects);
      if (input.projects.length > 0) {
        // A key Jira does not know would make the poller's one query for the site fail for every subscription.
        const problem = await deps.jql.validate(actor, input.site, `project in (${input.projects.map((key) => `"${key}"`).join(', ')})`);
        if (problem)
          throw new AlertError(AlertErrorCode.InvalidSubscription, `Jira does not know ${input.projects.length > 1 ? 'one of these projects' : 'this project'}: ${problem}`);
      }
      if (input.jql) {
        const problem = await deps.jql.validate(actor, input.site, input.jql);
        if (problem) throw new AlertError(AlertErrorCode.InvalidSubscription, `Jira does not accept this JQL: ${problem}`);
      }
      const fields = {
        site: input.site,
        projects: input.projects,
        ...(input.jql ? { jql: input.jql } : {}),
        eventKinds: input.events as IssueEventKind[],
        statuses: input.statuses,
        fields: input.fields,
        twoWayThreads: input.twoWayThreads,
      };
      if (id) {
        // The stored subscription's own site and projects are checked too: moving a subscription
        // away needs the right to change it where it was.
        return change(actor, id, (s) => {
          const { jql: _jql, ...rest } = s;
          return { ...rest, ...fields };
        });
      }
      const stamp = now().toISOString();
      const subscription: Subscription = {
        id: randomUUID(),
        target: { tenantId: actor.tenantId, conversationId: actor.conversationId },
        ...fields,
        muted: false,
        changedBy: actor.aadObjectId ?? actor.userId,
        createdAt: stamp,
        updatedAt: stamp,
      };
      await deps.repository.save(subscription);
      return subscription;
    },

    setMuted: (actor, id, muted) => change(actor, id, (s) => ({ ...s, muted })),

    async remove(actor, id) {
      const { subscription } = await existing(actor, id);
      await authorize(actor, subscription.site, subscription.projects);
      await deps.repository.remove(actor.conversationId, id);
    },

    async sendTest(actor, id) {
      const { subscription } = await existing(actor, id);
      await authorize(actor, subscription.site, subscription.projects);
      await deps.outbox.enqueue(testEvent(subscription, now()), [{ target: subscription.target, subscriptionIds: [subscription.id] }]);
    },

    async retryParked(actor, id) {
      const { subscription } = await existing(actor, id);
      await authorize(actor, subscription.site, subscription.projects);
      return deps.outbox.retryParked(actor.conversationId);
    },

    async mayManage(actor) {
      if (actor.conversationType === 'personal') return { allowed: false, reason: 'Channel alerts are set up in a channel or group chat.' };
      return deps.permissions.canManageConversation(actor);
    },
  };
}

/** A made-up change that goes through the real outbox and worker, so it proves the whole path. */
function testEvent(subscription: Subscription, at: Date): IssueEvent {
  const project = subscription.projects[0] ?? 'TEST';
  return {
    id: `test:${subscription.id}:${at.getTime()}`,
    site: subscription.site,
    kinds: [IssueEventKind.FieldChanged],
    changes: [{ field: 'Test alert', from: null, to: 'Alerts reach this conversation' }],
    issue: {
      id: `test-${subscription.id}`,
      key: `${project}-0`,
      summary: 'Test alert from Jira for Teams',
      url: subscription.site,
      projectKey: project,
      labels: [],
    },
    actor: { displayName: 'Jira for Teams' },
    occurredAt: at.toISOString(),
    source: 'webhook',
    test: true,
  };
}
