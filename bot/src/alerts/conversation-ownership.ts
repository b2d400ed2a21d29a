import type { Clock } from '../jira/clock';
import type { HeldLease, StoreLeases } from '../store/store-lease';

/** Whether a drain may go on: owned (`taken` afresh, so rows and windows must be read again), or held by another instance. */
export type Ownership = { owned: true; taken: boolean } | { owned: false };

export interface ConversationOwnership {
  /**
   * Owns the conversation with time to spare for a send, renewing or taking its lease as needed.
   * When another instance holds it, `beat` says when that lease is free (given up or lapsed).
   */
  own(conversationId: string): Promise<Ownership>;
  /** Nothing is due: the lease is kept for the linger, in case more comes, then `beat` reads the rows once and gives it up if none came. */
  idle(conversationId: string): void;
  /**
   * Of these conversations (with rows), those to drain from here: owned here, or held by no live
   * owner (one listing of the leases, not a read per conversation) and with rows due or waiting
   * (`hasWork`: a conversation with parked rows only is not taken). The others are watched as
   * `own` watches them: a live owner finds its own work.
   */
  unclaimed(conversationIds: readonly string[]): Promise<string[]>;
  /**
   * The heartbeat: renews the leases due in one write, looks again (`hasWork`) at the conversations
   * idle for the whole linger, gives up in one write those still without work, and resolves with the
   * conversations to drain: those that got work meanwhile (other instances enqueue without telling
   * the owner) and the watched ones whose lease is now free (one listing) that have work; and
   * `later`, watched ones whose holder missed a renewal (its lease runs out before the next
   * heartbeat), to drain the moment it does.
   */
  beat(): Promise<{ now: string[]; later: Array<{ conversationId: string; at: number }> }>;
  /** Gives every lease up (a stop), in one write. */
  releaseAll(): Promise<void>;
}

/**
 * Which conversations this worker owns, on the store's leases, at a few requests per busy
 * period instead of a take and a release per drain (per send, in a burst of cards): a conversation
 * stays owned while it has work and for `lingerMs` after (a burst's rows arrive seconds apart, each
 * drain ending idle), its rows read again at the end of it, as other instances enqueue without
 * telling the owner (a burst's own drains list the partition meanwhile); every lease due is renewed in one write per heartbeat (they share a
 * partition: one entity group transaction per 100 on Azure Tables), those idle for the whole
 * linger are given up in one write, and an instance that finds a conversation held elsewhere
 * watches it through one listing of the leases per heartbeat instead of a read per conversation.
 */
export function conversationOwnership(options: {
  leases: StoreLeases;
  owner: string;
  leaseMs: number;
  lingerMs: number;
  clock: Clock;
  /** Whether a conversation has rows waiting (a read of its partition). */
  hasWork(conversationId: string): Promise<boolean>;
}): ConversationOwnership {
  const { leases, leaseMs, clock } = options;
  const owned = new Map<string, HeldLease>();
  const idleSince = new Map<string, number>();
  /** Conversations with work here that another instance held when last looked at. */
  const watched = new Set<string>();

  /** The conversations a live instance other than this one holds. */
  /** Of these conversations, those with rows waiting, a few reads at a time. */
  const withWork = async (conversationIds: readonly string[]) => {
    const found: string[] = [];
    let next = 0;
    const lane = async () => {
      while (next < conversationIds.length) {
        const id = conversationIds[next++];
        if (await options.hasWork(id)) found.push(id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, conversationIds.length) }, lane));
    return found;
  };

  /** The conversations a live instance other than this one holds, with when their leases run out. */
  const heldElsewhere = async () =>
    new Map(
      (await leases.list()).filter((lease) => !lease.expired && lease.owner !== options.owner && !owned.has(lease.name)).map((lease) => [lease.name, lease.expiresAt] as const),
    );

  return {
    async own(conversationId) {
      // Held elsewhere when last looked at: the heartbeat's listing says when that changes, so
      // a burst's rows routed here do not read the lease one by one.
      if (watched.has(conversationId)) return { owned: false };
      idleSince.delete(conversationId);
      const held = owned.get(conversationId);
      const now = clock.now();
      // The heartbeat renews owned leases; this only catches a lapse (a stalled process).
      if (held && held.expiresAt - now > leaseMs / 3) return { owned: true, taken: false };
      const renewed = held && held.expiresAt > now ? await leases.renew(held) : undefined;
      if (renewed) {
        owned.set(conversationId, renewed);
        return { owned: true, taken: false };
      }
      owned.delete(conversationId);
      const outcome = await leases.attempt(conversationId);
      if (outcome.lease) {
        owned.set(conversationId, outcome.lease);
        watched.delete(conversationId);
        return { owned: true, taken: true };
      }
      // Looked at again by the heartbeat's one listing, not a read each: by then its holder has
      // renewed it (and sends these rows itself), given it up, or died.
      watched.add(conversationId);
      return { owned: false };
    },

    idle(conversationId) {
      if (owned.has(conversationId)) idleSince.set(conversationId, clock.now());
    },

    async unclaimed(conversationIds) {
      const elsewhere = await heldElsewhere();
      for (const id of conversationIds) if (elsewhere.has(id)) watched.add(id);
      const free = conversationIds.filter((id) => !elsewhere.has(id));
      for (const id of free) watched.delete(id);
      return [...free.filter((id) => owned.has(id)), ...(await withWork(free.filter((id) => !owned.has(id))))];
    },

    async beat() {
      // Renewals first: reads of idle conversations must not make a lease lapse on a slow store.
      const due = [...owned.values()].filter((held) => held.expiresAt - clock.now() <= (leaseMs * 2) / 3);
      const renewed = await leases.renewAll(due);
      due.forEach((held, i) => {
        // A drain renewed or took it again meanwhile: its copy is the newer one.
        if (owned.get(held.name) !== held) return;
        if (renewed[i]) owned.set(held.name, renewed[i]);
        // Another instance took it over after a lapse: the next drain here sees that and stops.
        else {
          owned.delete(held.name);
          idleSince.delete(held.name);
        }
      });
      // Idle for the whole linger: one read each before giving it up, instead of a release here and
      // a take, a windows read and a listing on the instance that enqueued; rows other instances
      // added meanwhile go from here.
      const lingered = [...idleSince].filter(([, since]) => clock.now() - since >= options.lingerMs).map(([id]) => id);
      const busy = new Set(await withWork(lingered));
      const done: HeldLease[] = [];
      for (const id of lingered) {
        const held = owned.get(id);
        // A drain took it up again meanwhile.
        if (!held || !idleSince.has(id)) continue;
        idleSince.delete(id);
        if (!busy.has(id)) {
          owned.delete(id);
          done.push(held);
        }
      }
      await leases.releaseAll(done);
      if (watched.size === 0) return { now: [...busy], later: [] };
      const elsewhere = await heldElsewhere();
      const free = [...watched].filter((id) => !elsewhere.has(id));
      for (const id of free) watched.delete(id);
      // A live holder renews with two thirds of its lease left: one that runs out before the next
      // heartbeat missed a renewal (its holder died or stalled), so its takeover need not wait for that.
      const heartbeat = leaseMs / 3;
      const later = [...watched].flatMap((conversationId) => {
        const at = elsewhere.get(conversationId) ?? Infinity;
        return at <= clock.now() + heartbeat ? [{ conversationId, at: at + 1 }] : [];
      });
      // Those `own` tries again (a read), and watches again if the holder renewed after all.
      for (const { conversationId } of later) watched.delete(conversationId);
      // Its owner may have sent these rows before giving it up: a read, not a take, says whether to.
      return { now: [...busy, ...(await withWork(free))], later };
    },

    async releaseAll() {
      const all = [...owned.values()];
      owned.clear();
      idleSince.clear();
      await leases.releaseAll(all);
    },
  };
}
