import assert from 'node:assert/strict';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import { RequestPipeline, type HttpResult, type PipelineRequest } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import { ManualClock, settle } from '../support/manual-clock';

const get: PipelineRequest = { site: 's', method: 'GET', path: '/rest/api/3/issue/ABC-1', priority: 'interactive' };
const create: PipelineRequest = { site: 's', method: 'POST', path: '/rest/api/3/issue', priority: 'interactive' };
const ok: HttpResult = { status: 200, headers: {}, data: '{}' };

function setup(options: { maxTries?: number; random?: () => number } = {}) {
  const clock = new ManualClock();
  const scheduler = new SiteScheduler({ clock });
  const pipeline = new RequestPipeline({
    scheduler,
    clock,
    random: options.random ?? (() => 0.5),
    maxTries: options.maxTries ?? 4,
    backoff: { baseMs: 1000, capMs: 30_000 },
    deadlineMs: { interactive: 60_000, background: 600_000 },
  });
  return { clock, scheduler, pipeline };
}

/** An attempt function answering from a script, recording when each try was sent. */
function scripted(clock: ManualClock, answers: Array<HttpResult | Error>) {
  const sentAt: number[] = [];
  const attempt = async () => {
    sentAt.push(clock.now());
    const answer = answers.shift();
    if (!answer) throw new Error('no more scripted answers');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { attempt, sentAt };
}

async function expectJiraError(promise: Promise<unknown>, code: string): Promise<JiraError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof JiraError, `expected a JiraError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('RequestPipeline', () => {
  it('waits exactly as long as Retry-After says on a 429, then succeeds', async () => {
    const { clock, pipeline } = setup();
    const { attempt, sentAt } = scripted(clock, [{ status: 429, headers: { 'retry-after': '7' }, data: '' }, ok]);
    const result = pipeline.send(get, attempt);
    await clock.advance(6999);
    assert.equal(sentAt.length, 1);
    await clock.advance(1);
    assert.equal((await result).status, 200);
    assert.deepEqual(
      sentAt.map((t) => t - sentAt[0]),
      [0, 7000],
    );
  });

  it('backs off exponentially with full jitter on 5xx for idempotent calls', async () => {
    const { clock, pipeline } = setup({ random: () => 0.5 });
    const { attempt, sentAt } = scripted(clock, [{ status: 502, headers: {}, data: '' }, { status: 503, headers: {}, data: '' }, ok]);
    const result = pipeline.send(get, attempt);
    await clock.advance(10_000);
    assert.equal((await result).status, 200);
    // Half of 1000 ms, then half of 2000 ms.
    assert.deepEqual(
      sentAt.map((t) => t - sentAt[0]),
      [0, 500, 1500],
    );
  });

  it('retries network errors for idempotent calls only', async () => {
    const { clock, pipeline } = setup();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const read = scripted(clock, [refused, ok]);
    const readResult = pipeline.send(get, read.attempt);
    await clock.advance(1000);
    assert.equal((await readResult).status, 200);

    const write = scripted(clock, [refused, ok]);
    await expectJiraError(pipeline.send(create, write.attempt), JiraErrorCode.Unavailable);
    assert.equal(write.sentAt.length, 1);
  });

  it('does not retry a 500 on a POST that creates something', async () => {
    const { clock, pipeline } = setup();
    const { attempt, sentAt } = scripted(clock, [{ status: 500, headers: {}, data: '' }, ok]);
    await expectJiraError(pipeline.send(create, attempt), JiraErrorCode.Unavailable);
    assert.equal(sentAt.length, 1);
  });

  it('gives up after the bounded number of tries with "busy, try again in N s"', async () => {
    const { clock, pipeline } = setup({ maxTries: 3 });
    const busy = { status: 429, headers: { 'retry-after': '2' }, data: '' };
    const { attempt, sentAt } = scripted(clock, [busy, busy, busy, ok]);
    const result = pipeline.send(get, attempt);
    const settled = expectJiraError(result, JiraErrorCode.RateLimited);
    await clock.advance(10_000);
    const error = await settled;
    assert.equal(sentAt.length, 3);
    assert.equal(error.retryAfterSeconds, 2);
  });

  it('fails fast when Retry-After reaches past the deadline, saying when to try again', async () => {
    const { clock, pipeline } = setup();
    const { attempt, sentAt } = scripted(clock, [{ status: 429, headers: { 'retry-after': '120' }, data: '' }, ok]);
    const error = await expectJiraError(pipeline.send(get, attempt), JiraErrorCode.RateLimited);
    assert.equal(error.retryAfterSeconds, 120);
    assert.equal(sentAt.length, 1);
    assert.deepEqual(clock.pending(), [], 'no timers left behind');
  });

  it('stops at the overall deadline even while a try hangs', async () => {
    const { clock, pipeline } = setup();
    const result = pipeline.send(get, ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))));
    const settled = expectJiraError(result, JiraErrorCode.Unavailable);
    await clock.advance(60_000);
    await settled;
  });

  it('maps final failures to coded errors, with the permission named on 403', async () => {
    const { clock, pipeline } = setup();
    const { attempt } = scripted(clock, [{ status: 403, headers: {}, data: '' }]);
    const error = await expectJiraError(pipeline.send(create, attempt), JiraErrorCode.Forbidden);
    assert.equal(error.permission, 'Create Issues');
  });

  it('tries once more with a refreshed token after a 401 when the connection can refresh', async () => {
    const { clock, pipeline } = setup();
    const refreshFlags: boolean[] = [];
    const answers = [{ status: 401, headers: {}, data: '' }, ok];
    const result = await pipeline.send(
      get,
      async ({ refreshAuth }) => {
        refreshFlags.push(refreshAuth);
        return answers.shift()!;
      },
      { canRefreshAuth: true },
    );
    assert.equal(result.status, 200);
    assert.deepEqual(refreshFlags, [false, true]);

    const { attempt } = scripted(clock, [{ status: 401, headers: {}, data: '' }, ok]);
    await expectJiraError(pipeline.send(get, attempt), JiraErrorCode.Unauthorized);
  });

  it('does not refresh the token for a 401 that names a missing scope: a refresh cannot add one', async () => {
    const { clock, pipeline } = setup();
    const mismatch = { status: 401, headers: {}, data: '{"code":401,"message":"Unauthorized; scope does not match"}' };
    const { attempt, sentAt } = scripted(clock, [mismatch, ok]);
    await expectJiraError(pipeline.send(get, attempt, { canRefreshAuth: true }), JiraErrorCode.Unauthorized);
    assert.equal(sentAt.length, 1);
  });

  it('feeds the budget from response headers, so background work yields afterwards', async () => {
    const { clock, pipeline } = setup();
    const low = { status: 200, headers: { ratelimit: '"q";r=10;t=30', 'ratelimit-policy': '"q";q=1000;w=3600' }, data: '' };
    await pipeline.send(get, async () => low);
    let polled = false;
    const poll = pipeline.send({ ...get, priority: 'background' }, async () => ((polled = true), ok));
    await settle();
    assert.equal(polled, false);
    await clock.advance(30_000);
    await poll;
    assert.equal(polled, true);
  });
});
