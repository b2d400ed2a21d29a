import type { ConversationMembership } from './conversation-membership';

/** A yes holds for a minute (every tab call asks); a no for less, so someone just added gets in soon. */
const MEMBER_TTL_MS = 60_000;
const NOT_MEMBER_TTL_MS = 15_000;
const MAX_ENTRIES = 10_000;

/**
 * The roster answer per tenant, conversation and user, reused briefly; a roster call per request
 * would cost every panel's every click a round trip to Teams. Failures are not remembered.
 */
export function cachedMembership(roster: ConversationMembership, now: () => number = Date.now): ConversationMembership {
  const answers = new Map<string, { member: boolean; until: number }>();
  const pending = new Map<string, Promise<boolean>>();
  return {
    async isMember(tenantId, conversationId, userId) {
      const id = `${tenantId}|${conversationId}|${userId}`.toLowerCase();
      const known = answers.get(id);
      if (known && known.until > now()) return known.member;
      let asking = pending.get(id);
      if (!asking) {
        asking = roster.isMember(tenantId, conversationId, userId).then((member) => {
          if (answers.size >= MAX_ENTRIES) answers.clear();
          answers.set(id, { member, until: now() + (member ? MEMBER_TTL_MS : NOT_MEMBER_TTL_MS) });
          return member;
        });
        pending.set(id, asking);
        void asking.catch(() => undefined).finally(() => pending.delete(id));
      }
      return asking;
    },
  };
}
