import { GraphError, isGraphError } from './graph-error';
import type { GraphClient } from './create-graph-client';

/**
 * The resource-specific consent (RSC) application permissions each read needs; appPackage/manifest.json
 * declares them, and a 403 names them.
 */
export const GraphPermission = {
  TeamMembers: 'TeamMember.Read.Group',
  ChatMembers: 'ChatMember.Read.Chat',
  ChatSettings: 'ChatSettings.Read.Chat',
} as const;

/** A person in a team or chat as Graph's conversationMember has it. */
export interface GraphMember {
  /** Entra object id. */
  userId: string;
  /** `owner`, `guest`, or none for a plain member. */
  roles: string[];
  tenantId?: string;
}

export interface GraphChat {
  /** 'group', 'meeting' or 'oneOnOne' today; Graph may add kinds, so any string is kept. */
  chatType: string;
  tenantId?: string;
  /** A meeting chat's organizer (Entra object id), from `onlineMeetingInfo.organizer`. */
  organizerId?: string;
}

export interface ConversationRoles {
  /** The person in the team (by the team's group id), or undefined when not a member. */
  teamMember(tenantId: string, groupId: string, userId: string): Promise<GraphMember | undefined>;
  chat(tenantId: string, chatId: string): Promise<GraphChat>;
  /** The person in the chat, or undefined when not a member. */
  chatMember(tenantId: string, chatId: string, userId: string): Promise<GraphMember | undefined>;
}

interface RawMember {
  userId?: string | null;
  roles?: string[] | null;
  tenantId?: string | null;
}

const TTL_MS = 60_000;
const MAX_ENTRIES = 5_000;

/**
 * Who owns a team or chat, from Graph, remembered for a minute: a person who opens the dialog,
 * saves and then mutes costs one lookup, and a role change in Teams takes effect within a minute.
 * Failures are not remembered, so the next change asks again.
 */
export function conversationRoles(graph: GraphClient, now: () => number = Date.now): ConversationRoles {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();

  function remembered<T>(key: string, load: () => Promise<T>, permission: string): Promise<T> {
    const hit = cache.get(key);
    if (hit && now() - hit.at < TTL_MS) return hit.value as Promise<T>;
    if (cache.size >= MAX_ENTRIES) {
      for (const [k, entry] of cache) if (now() - entry.at >= TTL_MS) cache.delete(k);
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    }
    const value = load().catch((error: unknown) => {
      cache.delete(key);
      throw isGraphError(error) ? new GraphError(error.code, error.message, error.status, error.graphCode, permission) : error;
    });
    cache.set(key, { at: now(), value });
    return value;
  }

  const member = (raw: RawMember): GraphMember => ({
    userId: String(raw.userId ?? ''),
    roles: (raw.roles ?? []).map((r) => String(r).toLowerCase()),
    ...(raw.tenantId ? { tenantId: raw.tenantId } : {}),
  });
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const chatMembers = (tenantId: string, chatId: string) =>
    remembered(
      `chat-members:${chatId}`,
      async () => (await graph.list<RawMember>(tenantId, `/chats/${encodeURIComponent(chatId)}/members`)).map(member),
      GraphPermission.ChatMembers,
    );

  return {
    teamMember(tenantId, groupId, userId) {
      return remembered(
        `team-member:${groupId}:${userId}`,
        async () => {
          // The documented filter asks for one person instead of paging through a large team.
          const filter = encodeURIComponent(`(microsoft.graph.aadUserConversationMember/userId eq '${userId.replace(/'/g, "''")}')`);
          const found = await graph.list<RawMember>(tenantId, `/teams/${encodeURIComponent(groupId)}/members?$filter=${filter}`);
          return found.map(member).find((m) => same(m.userId, userId));
        },
        GraphPermission.TeamMembers,
      );
    },

    chat(tenantId, chatId) {
      return remembered(
        `chat:${chatId}`,
        async () => {
          const raw = await graph.get<{ chatType?: string; tenantId?: string; onlineMeetingInfo?: { organizer?: { id?: string | null } | null } | null }>(
            tenantId,
            `/chats/${encodeURIComponent(chatId)}`,
          );
          const organizerId = raw.onlineMeetingInfo?.organizer?.id ?? undefined;
          return { chatType: String(raw.chatType ?? 'unknownFutureValue'), ...(raw.tenantId ? { tenantId: raw.tenantId } : {}), ...(organizerId ? { organizerId } : {}) };
        },
        GraphPermission.ChatSettings,
      );
    },

    async chatMember(tenantId, chatId, userId) {
      return (await chatMembers(tenantId, chatId)).find((m) => same(m.userId, userId));
    },
  };
}
