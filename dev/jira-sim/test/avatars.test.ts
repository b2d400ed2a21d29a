import assert from 'node:assert/strict';
import { avatarPng } from '../src/render/avatar-png';
import { startJiraSim, type JiraSim } from '../src/start-jira-sim';
import { simClient } from './support/sim-client';

describe('jira-sim avatars', () => {
  let sim: JiraSim;
  before(async () => {
    sim = await startJiraSim();
  });
  after(() => sim.close());

  const png = async (url: string) => {
    const res = await fetch(url);
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };

  it("serves each user's own disc at each size, the same bytes when asked again (kept after the first drawing)", async () => {
    const people = [
      (await simClient(sim, { email: 'alice@example.com' }).get('/rest/api/3/myself')).body,
      (await simClient(sim, { email: 'bob@example.com' }).get('/rest/api/3/myself')).body,
    ];
    for (let round = 0; round < 2; round++) {
      for (const person of people) {
        for (const size of [24, 48]) {
          const got = await png(`${sim.url}/sim-avatars/user/${encodeURIComponent(person.accountId)}.png?size=${size}`);
          assert.equal(got.status, 200);
          assert.equal(got.type, 'image/png');
          assert.ok(got.bytes.equals(avatarPng(person.accountId, size)), `${person.displayName} at ${size} px, round ${round + 1}`);
        }
      }
    }
  });

  it('answers an unknown account with 404 and a disc, every time', async () => {
    for (let round = 0; round < 2; round++) {
      const got = await png(`${sim.url}/sim-avatars/user/nobody-${round}.png?size=32`);
      assert.equal(got.status, 404);
      assert.ok(got.bytes.equals(avatarPng(`nobody-${round}`, 32)));
    }
  });
});
