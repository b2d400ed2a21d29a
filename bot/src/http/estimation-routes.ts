import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { DECK_KINDS, MAX_CUSTOM_CARDS } from '../meetings/estimation/deck-cards';
import type { EstimationService } from '../meetings/estimation/estimation-service';
import type { TabUser } from '../meetings/verify-tab-token';

type Handler = (req: Request, res: Response) => Promise<void>;
type Handle = (work: (req: Request, user: TabUser) => Promise<{ status?: number; body: unknown }>) => Handler;
type Parse = <T extends z.ZodTypeAny>(schema: T, value: unknown) => z.infer<T>;

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-[1-9]\d{0,9}$/;
const startBody = z
  .object({
    issueKey: z
      .string()
      .trim()
      .regex(ISSUE_KEY, 'expected an issue key like PHX-12')
      .transform((k) => k.toUpperCase())
      .optional(),
    next: z.literal(true).optional(),
    timerSeconds: z.number().int('expected whole seconds').min(5, 'expected 5 to 3600 seconds').max(3600, 'expected 5 to 3600 seconds').optional(),
  })
  .strict()
  .refine((b) => (b.issueKey === undefined) !== (b.next === undefined), { message: 'expected exactly one of issueKey and next' });
const voteBody = z.object({ card: z.string({ message: 'expected a card' }).trim().min(1).max(16) }).strict();
const roleBody = z.object({ observer: z.boolean({ message: 'expected observer: true or false' }) }).strict();
const acceptBody = z.object({ value: z.number({ message: 'expected a number' }).finite().min(0, 'expected 0 or more').max(1_000_000) }).strict();
const settingsBody = z
  .object({
    deck: z.enum(DECK_KINDS, { message: `expected one of ${DECK_KINDS.join(', ')}` }),
    customCards: z.array(z.number().finite().min(0).max(1_000_000)).max(MAX_CUSTOM_CARDS, `expected at most ${MAX_CUSTOM_CARDS} cards`).default([]),
    acceptBy: z.enum(['anyone', 'starter']),
    comment: z.boolean(),
  })
  .strict();

const param = (req: Request, name: string) => String((req.params as Record<string, unknown> | undefined)?.[name] ?? '');

/**
 * The estimation part of the tab API (docs/tab-api.md, "Estimation"), under the backlog routes:
 * the round, its steps, and the backlog's estimation settings. Answers carry the caller's own view.
 */
export function mountEstimationRoutes(server: Server, base: string, deps: { estimation: EstimationService; handle: Handle; parse: Parse }): void {
  const { estimation, handle, parse } = deps;
  const round = `${base}/:id/estimation`;
  const id = (req: Request) => param(req, 'id');
  const roundId = (req: Request) => param(req, 'roundId');

  server.get(
    round,
    handle(async (req, user) => ({ body: { round: await estimation.getRound(user, id(req)) } })),
  );
  server.post(
    round,
    handle(async (req, user) => ({ status: 201, body: { round: await estimation.startRound(user, id(req), parse(startBody, req.body)) } })),
  );
  server.post(
    `${round}/:roundId/votes`,
    handle(async (req, user) => ({ body: { round: await estimation.vote(user, id(req), roundId(req), parse(voteBody, req.body).card) } })),
  );
  server.post(
    `${round}/:roundId/role`,
    handle(async (req, user) => ({ body: { round: await estimation.setRole(user, id(req), roundId(req), parse(roleBody, req.body).observer) } })),
  );
  server.post(
    `${round}/:roundId/reveal`,
    handle(async (req, user) => ({ body: { round: await estimation.reveal(user, id(req), roundId(req)) } })),
  );
  server.post(
    `${round}/:roundId/revote`,
    handle(async (req, user) => ({ body: { round: await estimation.revote(user, id(req), roundId(req)) } })),
  );
  server.post(
    `${round}/:roundId/accept`,
    handle(async (req, user) => ({ body: { round: await estimation.accept(user, id(req), roundId(req), parse(acceptBody, req.body).value) } })),
  );
  server.post(
    `${round}/:roundId/cancel`,
    handle(async (req, user) => ({ body: { round: await estimation.cancel(user, id(req), roundId(req)) } })),
  );
  server.get(
    `${base}/:id/estimation-settings`,
    handle(async (req, user) => ({ body: { settings: await estimation.getSettings(user, id(req)) } })),
  );
  server.put(
    `${base}/:id/estimation-settings`,
    handle(async (req, user) => ({ body: { settings: await estimation.putSettings(user, id(req), parse(settingsBody, req.body)) } })),
  );
}
