import type { DeckCard } from './deck-cards';
import type { RoundPhase, StoredRound } from './estimation-round';
import { summarizeVotes, type VoteSummary } from './summarize-votes';

/** What one attendee is told of a round (docs/tab-api.md, "Estimation"). */
export interface RoundView {
  id: string;
  issue: { key: string; summary: string; url: string };
  phase: RoundPhase;
  attempt: number;
  startedBy: string;
  startedAt: string;
  endsAt?: string;
  cards: DeckCard[];
  acceptBy: 'anyone' | 'starter';
  /** Names of those who have voted: never what, until the reveal. */
  voted: string[];
  observers: string[];
  /** Attendees with the backlog open who are neither observers nor have voted yet. */
  waiting: string[];
  me: { observer: boolean; voted: boolean; mayAccept: boolean };
  /** Only once revealed: each vote and the numbers. */
  result?: { votes: Array<{ name: string; card: string }>; summary: VoteSummary };
  accepted?: { value: number; by: string; field: string };
}

/**
 * The one place a round leaves the service. Votes' cards go out only in `result`, and `result`
 * only after the reveal: a voter is not even shown their own card back (their panel remembers it).
 */
export function toRoundView(round: StoredRound, viewer: { userKey: string }, present: ReadonlyArray<{ userKey: string; name: string }>): RoundView {
  const revealed = round.phase === 'revealed' || round.phase === 'accepted';
  const voters = new Set(round.votes.map((v) => v.userKey));
  const observers = new Set(round.observers.map((o) => o.userKey));
  const waiting = new Map<string, string>();
  for (const person of present) if (!voters.has(person.userKey) && !observers.has(person.userKey)) waiting.set(person.userKey, person.name);
  return {
    id: round.id,
    issue: { key: round.issueKey, summary: round.issueSummary, url: round.issueUrl },
    phase: round.phase,
    attempt: round.attempt,
    startedBy: round.startedBy.name,
    startedAt: round.startedAt,
    ...(round.endsAt ? { endsAt: round.endsAt } : {}),
    cards: round.cards,
    acceptBy: round.acceptBy,
    voted: round.votes.map((v) => v.name),
    observers: round.observers.map((o) => o.name),
    waiting: [...waiting.values()],
    me: {
      observer: observers.has(viewer.userKey),
      voted: voters.has(viewer.userKey),
      mayAccept: round.acceptBy === 'anyone' || round.startedBy.userKey === viewer.userKey,
    },
    ...(revealed
      ? {
          result: {
            votes: round.votes.map((v) => ({ name: v.name, card: v.card })),
            summary: summarizeVotes(
              round.cards,
              round.votes.map((v) => v.card),
            ),
          },
        }
      : {}),
    ...(round.accepted ? { accepted: { value: round.accepted.value, by: round.accepted.by, field: round.accepted.field } } : {}),
  };
}
