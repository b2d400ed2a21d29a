import { randomBytes } from 'node:crypto';
import { addTextComment } from '../../jira/operations/comments';
import type { BacklogIssue } from '../backlog';
import { guardTab, openBacklog, type BacklogParts } from '../backlog-access';
import type { StoredBacklog } from '../backlog-repository';
import { orderBacklogJql } from '../order-backlog-jql';
import { JiraError, JiraErrorCode } from '../../jira/jira-error';
import { TabError, toTabError } from '../tab-error';
import type { TabUser } from '../verify-tab-token';
import { deckCards } from './deck-cards';
import type { RoundPerson, StoredRound } from './estimation-round';
import type { EstimationSettings, EstimationSettingsRepository } from './estimation-settings';
import type { RoundRepository } from './round-repository';
import { summarizeVotes } from './summarize-votes';
import { toRoundView, type RoundView } from './to-round-view';
import { writeEstimate } from './write-estimate';

export interface EstimationDeps {
  parts: BacklogParts;
  rounds: RoundRepository;
  settings: EstimationSettingsRepository;
  /** Told of every accepted estimate, for the meeting's recap. */
  onEstimated?(backlog: StoredBacklog, change: { issue: BacklogIssue; value: number; field: string; by: string }): void;
}

export interface StartRequest {
  issueKey?: string;
  /** Instead of a key: the first issue of the backlog, in its order, with no estimate. */
  next?: boolean;
  timerSeconds?: number;
}

/** How far "the next unestimated issue" walks: pages of the backlog's own order. */
const NEXT_PAGES = 5;
const PAGE_SIZE = 100;

/**
 * Planning-poker rounds of a backlog: one current round per backlog, kept in the Store, every
 * change told to the meeting's panels as a keyed `estimation` event that carries no votes (panels
 * then ask for their own view). Cards stay on the server until the reveal.
 */
export function estimationService(deps: EstimationDeps) {
  const { parts, rounds } = deps;
  const { hub, reader } = parts;
  const personOf = (user: TabUser): RoundPerson => ({ userKey: `${user.owner.tenantId}|${user.owner.userId}`, name: user.name });

  const present = (backlog: StoredBacklog) => (hub.openBacklogs(backlog.siteUrl).find((open) => open.backlogId === backlog.id)?.users ?? []).map(personOf);
  const view = (backlog: StoredBacklog, round: StoredRound, user: TabUser) => toRoundView(round, personOf(user), present(backlog));
  const announce = (backlog: StoredBacklog, round: StoredRound, user: TabUser) => {
    hub.publish(backlog.id, { event: 'estimation', data: { key: round.issueKey, phase: round.phase, by: user.name } });
  };

  /** The caller may see the round only if they may see its issue (their own Jira said so). */
  const mayView = async (backlog: StoredBacklog, jira: Parameters<BacklogParts['reader']['fetchIssue']>[0], round: StoredRound, user: TabUser) => {
    if (hub.hasShown(backlog.id, round.issueKey, user)) return true;
    try {
      const found = await reader.fetchIssue(jira, round.issueKey);
      hub.noteShown(backlog.id, backlog.siteUrl, [found.key], user);
      return true;
    } catch (error) {
      // Jira answers 404 for an issue the caller may not browse, as for one that is gone.
      if (error instanceof JiraError && error.code === JiraErrorCode.NotFound) return false;
      throw toTabError(error) ?? error;
    }
  };

  /** A round whose timer ran out is revealed by whoever asks first after it did. */
  const expired = (round: StoredRound, now: Date) => round.phase === 'voting' && round.endsAt !== undefined && Date.parse(round.endsAt) <= now.getTime();

  const current = async (user: TabUser, backlogId: string) => {
    const opened = await openBacklog(parts, user, backlogId);
    let round = await rounds.get(user.owner.tenantId, backlogId);
    if (round && expired(round, parts.now())) {
      round = await rounds.update(user.owner.tenantId, backlogId, (r) => (r && r.id === round!.id && expired(r, parts.now()) ? { ...r, phase: 'revealed' } : undefined));
      if (round?.phase === 'revealed') announce(opened.backlog, round, user);
    }
    if (round && !(await mayView(opened.backlog, opened.jira, round, user))) round = undefined;
    return { ...opened, round };
  };

  /** Applies `change` to the current round of `id`, or refuses with `refusal` when it gives undefined. */
  const change = async (user: TabUser, backlogId: string, roundId: string, apply: (round: StoredRound) => StoredRound | string) => {
    const { backlog, round } = await current(user, backlogId);
    if (!round || round.id !== roundId) throw new TabError('notFound', 'This estimation round has ended or another one was started. The panel shows the current one.');
    let refusal: string | undefined;
    const updated = await rounds.update(user.owner.tenantId, backlogId, (stored) => {
      if (!stored || stored.id !== roundId) return undefined;
      const next = apply(stored);
      if (typeof next === 'string') {
        refusal = next;
        return undefined;
      }
      return next;
    });
    if (refusal) throw new TabError('badRequest', refusal);
    if (!updated || updated.id !== roundId) throw new TabError('notFound', 'This estimation round has ended or another one was started.');
    announce(backlog, updated, user);
    return view(backlog, updated, user);
  };

  const findNext = async (backlog: StoredBacklog, jira: Parameters<BacklogParts['reader']['search']>[0], skip: string | undefined): Promise<BacklogIssue> => {
    let token: string | undefined;
    for (let page = 0; page < NEXT_PAGES; page++) {
      const result = await guardTab(() => reader.search(jira, orderBacklogJql(backlog.jql), { maxResults: PAGE_SIZE, nextPageToken: token }), { jql: true });
      const found = result.issues.find((issue) => issue.estimate === null && issue.key !== skip);
      if (found) return found;
      token = result.nextPageToken;
      if (!token) break;
    }
    throw new TabError('notFound', 'Every issue of this backlog has an estimate.');
  };

  return {
    async getRound(user: TabUser, backlogId: string): Promise<RoundView | null> {
      const { backlog, round } = await current(user, backlogId);
      return round ? view(backlog, round, user) : null;
    },

    async startRound(user: TabUser, backlogId: string, request: StartRequest): Promise<RoundView> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      const previous = await rounds.get(user.owner.tenantId, backlogId);
      let issue: BacklogIssue | undefined;
      if (request.next) issue = await findNext(backlog, jira, previous?.phase === 'accepted' ? undefined : previous?.issueKey);
      else {
        issue = await guardTab(() => reader.matchIssue(jira, backlog, request.issueKey!), { jql: true });
        if (!issue) throw new TabError('notFound', `${request.issueKey} is not in this backlog, or you do not have access to it.`);
      }
      hub.noteShown(backlogId, backlog.siteUrl, [issue.key], user);
      const settings = await deps.settings.get(user.owner.tenantId, backlogId);
      const now = parts.now();
      const round: StoredRound = {
        id: randomBytes(9).toString('base64url'),
        backlogId,
        tenantId: user.owner.tenantId,
        siteUrl: backlog.siteUrl,
        issueKey: issue.key,
        issueSummary: issue.summary,
        issueUrl: issue.url,
        startedBy: personOf(user),
        startedAt: now.toISOString(),
        cards: deckCards(settings.deck, settings.customCards),
        acceptBy: settings.acceptBy,
        comment: settings.comment,
        ...(request.timerSeconds ? { endsAt: new Date(now.getTime() + request.timerSeconds * 1000).toISOString() } : {}),
        phase: 'voting',
        attempt: 1,
        votes: [],
        // Observers stay observers from one round to the next.
        observers: previous?.observers ?? [],
      };
      // A new round replaces the current one, whatever its phase: any attendee may move the meeting on.
      await rounds.update(user.owner.tenantId, backlogId, () => round);
      announce(backlog, round, user);
      return view(backlog, round, user);
    },

    vote(user: TabUser, backlogId: string, roundId: string, card: string): Promise<RoundView> {
      const me = personOf(user);
      return change(user, backlogId, roundId, (round) => {
        if (round.phase !== 'voting') return 'Voting is over for this round. Start a re-vote to vote again.';
        if (round.observers.some((o) => o.userKey === me.userKey)) return 'You are observing this round. Join as a voter to vote.';
        if (!round.cards.some((c) => c.label === card)) return `"${card}" is not a card of this round's deck.`;
        return { ...round, votes: [...round.votes.filter((v) => v.userKey !== me.userKey), { ...me, card }] };
      });
    },

    setRole(user: TabUser, backlogId: string, roundId: string, observer: boolean): Promise<RoundView> {
      const me = personOf(user);
      return change(user, backlogId, roundId, (round) => ({
        ...round,
        // An observer's vote, if any, no longer counts.
        votes: observer ? round.votes.filter((v) => v.userKey !== me.userKey) : round.votes,
        observers: [...round.observers.filter((o) => o.userKey !== me.userKey), ...(observer ? [me] : [])],
      }));
    },

    reveal(user: TabUser, backlogId: string, roundId: string): Promise<RoundView> {
      return change(user, backlogId, roundId, (round) => {
        if (round.phase !== 'voting') return 'This round is already revealed.';
        if (round.votes.length === 0) return 'Nobody has voted yet.';
        return { ...round, phase: 'revealed' };
      });
    },

    revote(user: TabUser, backlogId: string, roundId: string): Promise<RoundView> {
      const now = parts.now();
      return change(user, backlogId, roundId, (round) => {
        if (round.phase === 'accepted') return 'This round is accepted already. Start a new round on the issue to estimate it again.';
        const { endsAt: _ended, ...rest } = round;
        const seconds = round.endsAt ? (Date.parse(round.endsAt) - Date.parse(round.startedAt)) / 1000 : 0;
        return {
          ...rest,
          phase: 'voting',
          attempt: round.attempt + 1,
          votes: [],
          startedAt: now.toISOString(),
          ...(seconds > 0 ? { endsAt: new Date(now.getTime() + seconds * 1000).toISOString() } : {}),
        };
      });
    },

    async accept(user: TabUser, backlogId: string, roundId: string, value: number): Promise<RoundView> {
      const { backlog, jira, round } = await current(user, backlogId);
      const me = personOf(user);
      if (!round || round.id !== roundId) throw new TabError('notFound', 'This estimation round has ended or another one was started.');
      if (round.phase !== 'revealed')
        throw new TabError('badRequest', round.phase === 'accepted' ? 'This round is accepted already.' : 'Reveal the votes before accepting a value.');
      if (round.acceptBy === 'starter' && round.startedBy.userKey !== me.userKey) {
        throw new TabError('forbidden', `In this backlog only the person who started the round (${round.startedBy.name}) accepts its value.`);
      }
      // As the accepting attendee: their own permissions decide whether the estimate may change.
      const { field, issue } = await guardTab(async () => {
        const written = await writeEstimate(jira, round.issueKey, value, reader);
        if (round.comment) await addTextComment(jira, round.issueKey, roundComment(round, value, written));
        return { field: written, issue: await reader.fetchIssue(jira, round.issueKey) };
      });
      const accepted = await rounds.update(user.owner.tenantId, backlogId, (stored) =>
        stored && stored.id === roundId ? { ...stored, phase: 'accepted', accepted: { value, by: user.name, field, at: parts.now().toISOString() } } : undefined,
      );
      hub.noteShown(backlogId, backlog.siteUrl, [issue.key], user);
      hub.issueChanged(backlog.siteUrl, issue.key, { by: user.name, alsoTo: backlogId, updated: issue.updated });
      deps.onEstimated?.(backlog, { issue, value, field, by: user.name });
      const final = accepted?.id === roundId ? accepted : { ...round, phase: 'accepted' as const, accepted: { value, by: user.name, field, at: parts.now().toISOString() } };
      announce(backlog, final, user);
      return view(backlog, final, user);
    },

    async cancel(user: TabUser, backlogId: string, roundId: string): Promise<RoundView> {
      return change(user, backlogId, roundId, (round) => (round.phase === 'accepted' ? 'This round is accepted already.' : { ...round, phase: 'cancelled' }));
    },

    async getSettings(user: TabUser, backlogId: string): Promise<EstimationSettings> {
      await openBacklog(parts, user, backlogId);
      return deps.settings.get(user.owner.tenantId, backlogId);
    },

    async putSettings(user: TabUser, backlogId: string, settings: EstimationSettings): Promise<EstimationSettings> {
      await openBacklog(parts, user, backlogId);
      await deps.settings.put(user.owner.tenantId, backlogId, settings);
      return settings;
    },
  };
}

export type EstimationService = ReturnType<typeof estimationService>;

/** The comment an accepted round leaves on the issue: the votes and the value, as plain text. */
function roundComment(round: StoredRound, value: number, field: string): string {
  const summary = summarizeVotes(
    round.cards,
    round.votes.map((v) => v.card),
  );
  const votes = round.votes.map((v) => `${v.name}: ${v.card}`).join(', ');
  const numbers = summary.median === null ? '' : ` Median ${summary.median}, average ${summary.average}.`;
  return `Estimated ${value} (${field}) in a Teams meeting, after ${round.attempt === 1 ? 'one round' : `${round.attempt} rounds`} of planning poker. Votes: ${votes}.${numbers}`;
}
