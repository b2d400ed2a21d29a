import type { DeckCard } from './deck-cards';

/** Who took part, by the same key as Jira connections (tenant and Entra object id). */
export interface RoundPerson {
  userKey: string;
  name: string;
}

export type RoundPhase = 'voting' | 'revealed' | 'accepted' | 'cancelled';

/**
 * One estimation round of a backlog as stored. `votes` holds the cards chosen: it never leaves
 * the service before the phase is `revealed` (see toRoundView).
 */
export interface StoredRound {
  id: string;
  backlogId: string;
  tenantId: string;
  siteUrl: string;
  issueKey: string;
  issueSummary: string;
  issueUrl: string;
  startedBy: RoundPerson;
  startedAt: string;
  cards: DeckCard[];
  acceptBy: 'anyone' | 'starter';
  comment: boolean;
  /** ISO time the voting closes by itself (the reveal happens then), when the starter set a timer. */
  endsAt?: string;
  phase: RoundPhase;
  /** Counts re-votes: 1 for the first vote. */
  attempt: number;
  votes: Array<RoundPerson & { card: string }>;
  observers: RoundPerson[];
  accepted?: { value: number; by: string; field: string; at: string };
}
