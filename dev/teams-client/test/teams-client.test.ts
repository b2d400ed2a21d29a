import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { startTestBot, type TestBot } from '../../../bot/test/support/start-test-bot';
import { launchChromium } from '../../../scripts/chromium/launch-chromium';
import { startBotConnector, type BotConnector } from '../../bot-connector-emu/src';
import { startEntraEmu, type EntraEmu } from '../../entra-emu/src';
import { startJiraSim, type JiraSim } from '../../jira-sim/src';
import { startTeamsHostEmu, type TeamsHostEmu } from '../../teams-host-emu/src';
import { ensureTabBuilt } from '../../../tab/test/support/start-tab-stack';
import { startTeamsClient, type TeamsClient } from '../src';

const AUDIENCE = 'api://localhost/teams-client-test';
const WEBHOOK_SECRET = 'teams-client-test-webhook-secret';
const SCREENSHOTS = path.resolve(__dirname, '../../../screenshots/teams-client');

/**
 * The local Teams client driven in Chromium through README's flows, against the real bot and the
 * Jira simulator. Each flow asserts on the simulator (or the bot's store), not only on the screen.
 */
describe('local Teams client', function () {
  this.timeout(60_000);
  let sim: JiraSim;
  let bot: TestBot;
  let client: TeamsClient;
  let browser: Browser;
  let connector: BotConnector;
  let entra: EntraEmu;
  let host: TeamsHostEmu;
  const pages: Page[] = [];

  before(async () => {
    sim = await startJiraSim({ port: 0, seed: 'demo' });
    // The client's Bot Connector emulation is also the bot's Microsoft Graph (who owns the team).
    connector = await startBotConnector();
    // The meeting's side panel: the tab, framed by the Teams host emulation, signed in by entra-emu.
    ensureTabBuilt();
    entra = await startEntraEmu();
    // Sign in with Atlassian: the simulator is the authorization server; the bot's callback needs its address up front.
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    sim.oauth.registerClient({ clientId: 'teams-client-test', clientSecret: 'secret', redirectUris: [`${publicUrl}/auth/atlassian/callback`] });
    bot = await startTestBot({
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      ATLASSIAN_CLIENT_ID: 'teams-client-test',
      ATLASSIAN_CLIENT_SECRET: 'secret',
      ATLASSIAN_AUTH_URL: sim.url,
      ATLASSIAN_API_URL: sim.url,
      JIRA_BASE_URL: sim.url,
      ALERT_POLL_INTERVAL_SECONDS: '0',
      GRAPH_BASE_URL: connector.graphUrl,
      JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: entra.jwksUrl,
      TAB_SSO_ISSUER: entra.issuerTemplate,
    });
    host = await startTeamsHostEmu({
      entraUrl: entra.url,
      audience: AUDIENCE,
      defaultUser: { name: 'Nobody', aadObjectId: '00000000-0000-4000-8000-000000000999', tenantId: '00000000-0000-4000-8000-0000000000aa' },
    });
    client = await startTeamsClient({ botUrl: bot.bot.url, connector, teamsHostUrl: host.url, extraLinkDomains: [new URL(sim.url).host] });
    // What npm start does as the site admin: Jira's changes reach the bot at once.
    const registered = await fetch(`${sim.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Jira for Teams',
        url: `${bot.bot.url}/api/jira/webhooks/admin/${encodeURIComponent(new URL(sim.url).host)}`,
        events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created'],
        secret: WEBHOOK_SECRET,
      }),
    });
    assert.ok(registered.ok, await registered.text());
    browser = await launchChromium();
  });

  after(async () => {
    for (const page of pages)
      await page
        .context()
        .close()
        .catch(() => undefined);
    await browser?.close();
    await client?.close();
    await bot?.close();
    await host?.close();
    await entra?.close();
    await connector?.close();
    await sim?.close();
  });

  const jira = async (user: string, requestPath: string) => {
    const response = await fetch(`${sim.url}${requestPath}`, { headers: { authorization: sim.basicAuth(`${user}@example.com`), accept: 'application/json' } });
    return (await response.json()) as any;
  };

  async function openAs(handle: string, conversationId?: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Nothing leaves the machine.
    await context.route(
      (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
      (route) => route.abort(),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    pages.push(page);
    await page.goto(client.pageUrl(handle, { conversationId }));
    await page.locator('#compose-text').waitFor();
    return page;
  }

  async function say(page: Page, text: string): Promise<void> {
    await page.locator('#compose-text').fill(text);
    await page.locator('#send').click();
  }

  const botMessages = (page: Page) => page.locator('.message[data-from-bot="true"]');

  async function shot(page: Page, name: string): Promise<void> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }

  const personalChat = (handle: string) => client.conversations.find((c) => c.personOf === handle)!.id;
  const channel = () => client.conversations.find((c) => c.type === 'channel')!.id;

  it('answers help in the personal chat with a card drawn by the adaptivecards renderer', async () => {
    const page = await openAs('alice');
    await say(page, 'help');
    const help = botMessages(page).filter({ hasText: 'connect' }).last();
    await help.locator('.ac-adaptiveCard').waitFor();
    // The bot got the message from Alice's own Teams id in her own 1:1 chat.
    const alice = client.people.find((p) => p.handle === 'alice')!;
    const replies = client.connector.activities(personalChat('alice'));
    assert.ok(replies.length >= 1);
    assert.ok(client.log.list(personalChat('alice')).some((e) => !e.fromBot && e.from.id === alice.id && e.text === 'help'));
    await shot(page, 'help-light');
    // Teams' three themes: the page and the cards' host config follow the switch.
    for (const theme of ['dark', 'contrast'] as const) {
      await page.locator('#theme').selectOption(theme);
      assert.equal(await page.locator('#app').getAttribute('class'), `theme-${theme}`);
      await help.locator('.ac-adaptiveCard').waitFor();
      await shot(page, `help-${theme}`);
    }
  });

  it('connects Jira with an API token from the connect card, then shows an issue and assigns it with Assign to me', async () => {
    const page = await openAs('bob');
    await say(page, 'connect');
    const card = botMessages(page).filter({ hasText: 'API token' }).last();
    await card.locator('.ac-adaptiveCard').first().waitFor();
    // With Sign in with Atlassian configured, the token form is behind a ShowCard.
    const showForm = card.getByRole('button', { name: 'Use an API token instead' });
    if (await showForm.count()) await showForm.click();
    await card.getByLabel('Atlassian account email').fill('bob@example.com');
    await card.getByLabel(/API token \(from/).fill('sim-token-bob');
    const site = card.getByLabel(/site/i);
    if (await site.count()) await site.first().fill(sim.url);
    await card.getByRole('button', { name: 'Connect with API token' }).click();
    // Bob's own view of the card says he is connected; the bot stored his connection.
    await page
      .locator('.message')
      .filter({ hasText: 'Bob Builder' })
      .filter({ hasText: /connected/i })
      .first()
      .waitFor();
    const bob = client.people.find((p) => p.handle === 'bob')!;
    const stored = await bot.bot.connections.repository.get({ tenantId: bob.tenantId!, userId: bob.aadObjectId });
    assert.ok(stored, 'the connection is stored for Bob');

    await say(page, 'show KAN-1');
    const issue = botMessages(page).filter({ hasText: 'KAN-1' }).last();
    await issue.getByRole('button', { name: 'Assign to me' }).click();
    const bobAccount = (await jira('bob', '/rest/api/3/myself')).accountId;
    for (let i = 0; i < 50; i++) {
      if ((await jira('alice', '/rest/api/3/issue/KAN-1')).fields.assignee?.accountId === bobAccount) break;
      await page.waitForTimeout(100);
    }
    assert.equal((await jira('alice', '/rest/api/3/issue/KAN-1')).fields.assignee?.accountId, bobAccount);
    // The card Bob sees now offers no "Assign to me": it is his own, updated view.
    await issue.getByRole('button', { name: 'Assign to me' }).waitFor({ state: 'detached' });
    await shot(page, 'show-and-assign');
  });

  async function connectDirectly(handle: string): Promise<void> {
    const person = client.people.find((p) => p.handle === handle)!;
    await bot.bot.connections.connectWithApiToken(
      { tenantId: person.tenantId!, userId: person.aadObjectId },
      { siteUrl: sim.url, email: `${handle}@example.com`, apiToken: `sim-token-${handle}` },
    );
  }

  it('connects with Sign in with Atlassian: consent in the simulator, then the sign-in code sent in the chat', async () => {
    const page = await openAs('alice');
    await say(page, 'connect');
    // adaptivecards gives an Action.OpenUrl button the role of a link.
    const signIn = botMessages(page).locator('button', { hasText: 'Sign in with Atlassian' }).last();
    const [consent] = await Promise.all([page.context().waitForEvent('page'), signIn.click()]);
    const alice = sim.state.site.users.find((u) => u.displayName === 'Alice Admin')!;
    await consent.locator('select[name="account_id"]').selectOption(alice.accountId);
    await consent.getByRole('button', { name: 'Accept' }).click();
    const code = (await consent.locator('#sign-in-code').textContent())!.trim();
    await consent.close();
    await say(page, code);
    // Case-sensitive: the help card's status line says "you are connected to" too.
    await botMessages(page)
      .filter({ hasText: /You are connected to .+ as/ })
      .waitFor();
    const person = client.people.find((p) => p.handle === 'alice')!;
    assert.equal((await bot.bot.connections.repository.get({ tenantId: person.tenantId!, userId: person.aadObjectId }))?.kind, 'oauth');
  });

  it('unfurls a pasted Jira link into a preview card in the compose box, and posts it with the message', async () => {
    await connectDirectly('carol');
    const page = await openAs('carol', channel());
    const issue = await jira('carol', '/rest/api/3/issue/KAN-2');
    await page.locator('#compose-text').fill(`Look at ${sim.url}/browse/KAN-2`);
    const preview = page.locator('#compose-previews .preview');
    // The card comes from the bot's queryLink answer, with the simulator's summary of the issue.
    await preview.filter({ hasText: issue.fields.summary }).waitFor();
    await shot(page, 'unfurl-preview');
    await page.locator('#send').click();
    await page.locator('.message').filter({ hasText: 'Look at' }).locator('.ac-adaptiveCard').filter({ hasText: issue.fields.summary }).waitFor();
    assert.equal(await preview.count(), 0);
  });

  it('creates a Jira issue from a channel message through the "..." menu and its dialog', async () => {
    await connectDirectly('dave');
    const page = await openAs('dave', channel());
    const summary = `Checkout button does nothing on Safari ${Date.now()}`;
    await say(page, summary);
    const message = page.locator('.message').filter({ hasText: summary });
    await message.locator('.more').click();
    await message.getByRole('button', { name: 'Create Jira issue' }).click();
    const dialog = page.locator('#dialog .dialog');
    await dialog.locator('.ac-adaptiveCard').waitFor();
    await shot(page, 'create-dialog');
    const project = dialog.getByLabel('Project', { exact: true });
    if (await project.count()) {
      await project.selectOption('KAN');
      const show = dialog.getByRole('button', { name: 'Show fields for this project and type' });
      if (await show.count()) {
        await show.click();
        await page.waitForTimeout(300);
        await dialog.locator('.ac-adaptiveCard').waitFor();
      }
    }
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await page
      .locator('#dialog')
      .waitFor({ state: 'detached' })
      .catch(async (error: Error) => {
        await shot(page, 'create-dialog-stuck');
        throw error;
      });
    const found = await jira('dave', `/rest/api/3/search/jql?jql=${encodeURIComponent(`summary ~ "${summary}"`)}&fields=summary`);
    assert.equal(found.issues?.length, 1, JSON.stringify(found));
    await shot(page, 'create-done');
  });

  it("sends Teams' HTML for bold, lists, code and @mentions, and the issue made from it keeps them in Jira", async () => {
    await connectDirectly('dave');
    const page = await openAs('dave', channel());
    const stamp = Date.now();
    await page
      .locator('#compose-text')
      .fill(`**Checkout** fails on _Safari_ ${stamp}\n- open the cart\n- pay\n\`\`\`\nTypeError: x is undefined\n\`\`\`\n@Bob Builder can you look?`);
    await page.locator('#send').click();
    const message = page.locator('.message').filter({ hasText: String(stamp) });
    // Shown as Teams shows it: bold, a list, a code block, the mention highlighted.
    await message.locator('.body strong', { hasText: 'Checkout' }).waitFor();
    assert.equal(await message.locator('.body li').count(), 2);
    assert.equal(await message.locator('.body pre').textContent(), 'TypeError: x is undefined');
    assert.equal(await message.locator('.body .mention').textContent(), 'Bob Builder');
    await shot(page, 'formatted-message');
    const sent = client.log.list(channel()).find((e) => e.text?.includes(String(stamp)))!;
    const bob = client.people.find((p) => p.handle === 'bob')!;
    assert.deepEqual(sent.mentions, [{ id: bob.id, name: bob.name, aadObjectId: bob.aadObjectId }]);

    await message.locator('.more').click();
    await message.getByRole('button', { name: 'Create Jira issue' }).click();
    const dialog = page.locator('#dialog .dialog');
    await dialog.locator('.ac-adaptiveCard').waitFor();
    await dialog.getByLabel('Project', { exact: true }).selectOption('KAN');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await page.locator('#dialog').waitFor({ state: 'detached' });
    const found = await jira('dave', `/rest/api/3/search/jql?jql=${encodeURIComponent(`summary ~ "${stamp}"`)}&fields=summary,description`);
    assert.equal(found.issues?.length, 1, JSON.stringify(found));
    const description = JSON.stringify(found.issues[0].fields.description);
    // The bot turned the message's HTML into Jira's format: a strong mark, a bullet list, a code block, the mention's name.
    assert.match(description, /"type":"strong"/);
    assert.match(description, /"type":"bulletList"/);
    assert.match(description, /"type":"codeBlock"/);
    assert.match(description, /Bob Builder/);
  });

  it("edits and deletes one's own message: every window shows it, the bot hears messageUpdate and messageDelete", async () => {
    await connectDirectly('dave');
    const stamp = Date.now();
    const dave = await openAs('dave', channel());
    const bob = await openAs('bob', channel());
    await say(dave, `Draft title ${stamp}`);
    // By id: while being edited, the message's text is in a text box.
    const id = await dave
      .locator('.message')
      .filter({ hasText: String(stamp) })
      .getAttribute('data-id');
    const mine = dave.locator(`.message[data-id="${id}"]`);
    await mine.locator('.more').click();
    await mine.getByRole('button', { name: 'Edit', exact: true }).click();
    await mine.locator('.edit-text').fill(`Final title ${stamp}`);
    await mine.locator('.edit-save').click();
    // Bob's window: the new text, marked Edited.
    const seen = bob.locator('.message').filter({ hasText: `Final title ${stamp}` });
    await seen.filter({ hasText: 'Edited' }).waitFor();
    assert.equal(
      await bob
        .locator('.message')
        .filter({ hasText: `Draft title ${stamp}` })
        .count(),
      0,
    );
    await shot(bob, 'edited-message');

    // A message action on the edited message reads its new text: the issue is made with it.
    await mine.locator('.more').click();
    await mine.getByRole('button', { name: 'Create Jira issue' }).click();
    const dialog = dave.locator('#dialog .dialog');
    await dialog.locator('.ac-adaptiveCard').waitFor();
    await dialog.getByLabel('Project', { exact: true }).selectOption('KAN');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dave.locator('#dialog').waitFor({ state: 'detached' });
    const found = await jira('dave', `/rest/api/3/search/jql?jql=${encodeURIComponent(`summary ~ "${stamp}"`)}&fields=summary`);
    assert.equal(found.issues?.[0]?.fields.summary, `Final title ${stamp}`);

    await mine.locator('.more').click();
    await mine.getByRole('button', { name: 'Delete', exact: true }).click();
    await bob.locator(`.message[data-id="${id}"] .deleted`).filter({ hasText: 'This message has been deleted.' }).waitFor();
    assert.equal(await bob.locator(`.message[data-id="${id}"] .body`).count(), 0);

    // In the chat with the bot, the bot hears the edit and the deletion (and accepts them).
    const alice = await openAs('alice');
    await say(alice, `note to self ${stamp}`);
    const noteId = await alice
      .locator('.message.mine')
      .filter({ hasText: String(stamp) })
      .getAttribute('data-id');
    const note = alice.locator(`.message[data-id="${noteId}"]`);
    await note.locator('.more').click();
    await note.getByRole('button', { name: 'Edit', exact: true }).click();
    await note.locator('.edit-text').fill(`note, edited ${stamp}`);
    const [edited] = await Promise.all([alice.waitForResponse((r) => r.url().endsWith('/api/edit')), note.locator('.edit-save').click()]);
    assert.deepEqual(await edited.json(), { status: 200 });
    await note.locator('.more').click();
    const [deleted] = await Promise.all([alice.waitForResponse((r) => r.url().endsWith('/api/delete')), note.getByRole('button', { name: 'Delete', exact: true }).click()]);
    assert.deepEqual(await deleted.json(), { status: 200 });
  });

  it('searches Jira from the compose box and sends the chosen result as a card', async () => {
    await connectDirectly('alice');
    const page = await openAs('alice', client.conversations.find((c) => c.type === 'groupChat')!.id);
    const expected = await jira('alice', `/rest/api/3/search/jql?jql=${encodeURIComponent('text ~ "CSV"')}&fields=summary`);
    const summary: string = expected.issues[0].fields.summary;
    await page.locator('.compose-tools button[data-command="searchIssues"]').click();
    await page.locator('#search-input').fill('CSV');
    const result = page.locator('#search-results .result').filter({ hasText: summary });
    await result.first().waitFor();
    await shot(page, 'search-results');
    await result.first().click();
    await page.locator('#compose-previews .preview').filter({ hasText: summary }).waitFor();
    await page.locator('#send').click();
    await page.locator('.message.mine .ac-adaptiveCard').filter({ hasText: summary }).waitFor();
  });

  // The app's compose-box action answers with the created issue's card as a result (no botMessagePreview, no URL dialog): Teams puts it in the compose box.
  it('creates an issue from the compose box: the dialog, then the issue card waiting in the compose box until Send', async () => {
    await connectDirectly('carol');
    const page = await openAs('carol', channel());
    await page.locator('.compose-tools button[data-command="createIssue"]').click();
    const dialog = page.locator('#dialog .dialog');
    await dialog.locator('.ac-adaptiveCard').waitFor();
    const summary = `Compose-box issue ${Date.now()}`;
    await dialog.getByLabel('Project', { exact: true }).selectOption('KAN');
    await dialog.getByLabel(/^Summary/).fill(summary);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await page.locator('#dialog').waitFor({ state: 'detached' });
    const found = await jira('carol', `/rest/api/3/search/jql?jql=${encodeURIComponent(`summary ~ "${summary}"`)}&fields=summary`);
    assert.equal(found.issues?.length, 1, JSON.stringify(found));
    const key: string = found.issues[0].key;
    const preview = page.locator('#compose-previews .preview').filter({ hasText: key });
    await preview.waitFor();
    await shot(page, 'compose-create-preview');
    const before = client.log.list(channel()).length;
    await page.locator('#send').click();
    await page.locator('.message.mine .ac-adaptiveCard').filter({ hasText: key }).waitFor();
    const posted = client.log.list(channel()).slice(before);
    assert.ok(
      posted.some((e) => JSON.stringify(e.attachments ?? []).includes(key)),
      'the card went with the message',
    );
  });

  it('opens the create dialog from the create command card (task/fetch) and creates the issue (task/submit)', async () => {
    await connectDirectly('carol');
    const page = await openAs('carol');
    await say(page, 'create');
    const card = botMessages(page)
      .filter({ has: page.getByRole('button', { name: 'Create issue' }) })
      .last();
    await card.getByRole('button', { name: 'Create issue' }).click();
    const dialog = page.locator('#dialog .dialog');
    await dialog.locator('.ac-adaptiveCard').waitFor();
    const summary = `Dialog-made issue ${Date.now()}`;
    await dialog.getByLabel('Project', { exact: true }).selectOption('KAN');
    await dialog.getByLabel(/^Summary/).fill(summary);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await page.locator('#dialog').waitFor({ state: 'detached' });
    const found = await jira('carol', `/rest/api/3/search/jql?jql=${encodeURIComponent(`summary ~ "${summary}"`)}&fields=summary,reporter`);
    assert.equal(found.issues?.length, 1, JSON.stringify(found));
  });

  it('gives each person their own view of a card: Alice assigns herself, Bob still sees Assign to me', async () => {
    await connectDirectly('alice');
    await connectDirectly('bob');
    const alicePage = await openAs('alice', channel());
    await say(alicePage, '@Jira show KAN-3');
    const aliceCard = botMessages(alicePage).filter({ hasText: 'KAN-3' }).last();
    await aliceCard.getByRole('button', { name: 'Assign to me' }).waitFor();
    const bobPage = await openAs('bob', channel());
    const bobCard = botMessages(bobPage).filter({ hasText: 'KAN-3' }).last();
    await bobCard.getByRole('button', { name: 'Assign to me' }).waitFor();

    await aliceCard.getByRole('button', { name: 'Assign to me' }).click();
    await aliceCard.getByRole('button', { name: 'Assign to me' }).waitFor({ state: 'detached' });
    const aliceAccount = (await jira('alice', '/rest/api/3/myself')).accountId;
    assert.equal((await jira('alice', '/rest/api/3/issue/KAN-3')).fields.assignee?.accountId, aliceAccount);
    // Bob's window: the card is not his to change; it still offers him Assign to me.
    await bobPage.waitForTimeout(500);
    assert.equal(await bobCard.getByRole('button', { name: 'Assign to me' }).count(), 1);
    await shot(alicePage, 'two-people-alice');
    await shot(bobPage, 'two-people-bob');
  });

  it('refreshes a card on its own for each person in a small conversation: the assignee gets a view without Assign to me', async () => {
    await connectDirectly('alice');
    await connectDirectly('bob');
    const bobAccount = (await jira('bob', '/rest/api/3/myself')).accountId;
    const assigned = await fetch(`${sim.url}/rest/api/3/issue/KAN-5/assignee`, {
      method: 'PUT',
      headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: bobAccount }),
    });
    assert.equal(assigned.status, 204);
    const group = client.conversations.find((c) => c.type === 'groupChat' && !c.meetingId)!.id;
    const alicePage = await openAs('alice', group);
    await say(alicePage, '@Jira show KAN-5');
    const aliceCard = botMessages(alicePage).filter({ hasText: 'KAN-5' }).last();
    await aliceCard.getByRole('button', { name: 'Assign to me' }).waitFor();
    // Bob's client asks the bot for his own view (adaptiveCard/action, trigger automatic): KAN-5 is his already.
    const bobPage = await openAs('bob', group);
    const bobCard = botMessages(bobPage).filter({ hasText: 'KAN-5' }).last();
    await bobCard.getByRole('button', { name: 'Change status' }).waitFor();
    await bobCard.getByRole('button', { name: 'Assign to me' }).waitFor({ state: 'detached' });
    assert.equal(await aliceCard.getByRole('button', { name: 'Assign to me' }).count(), 1);
    assert.equal((await jira('alice', '/rest/api/3/issue/KAN-5')).fields.assignee?.accountId, bobAccount);
    await shot(bobPage, 'refresh-own-view-bob');
  });

  it('stays on the machine: avatars and the issue page of "Open in Jira" come from the simulator, and the page asks nothing elsewhere', async () => {
    await connectDirectly('carol');
    const page = await openAs('carol');
    const offMachine: string[] = [];
    page.on('request', (request) => {
      if (!['127.0.0.1', 'localhost'].includes(new URL(request.url()).hostname) && !request.url().startsWith('data:')) offMachine.push(request.url());
    });
    const issue = await jira('carol', '/rest/api/3/issue/KAN-2');
    assert.ok(issue.fields.assignee, 'KAN-2 has an assignee, whose avatar the card shows');
    await say(page, 'show KAN-2');
    const card = botMessages(page).filter({ hasText: 'KAN-2' }).last();
    const avatar = card.locator(`img[src^="${sim.url}/sim-avatars/"]`).first();
    await avatar.waitFor();
    // The service's tsconfig has no DOM types: the image is read by the two properties the check needs.
    await page.waitForFunction(
      (img) => {
        const image = img as unknown as { complete: boolean; naturalWidth: number };
        return image.complete && image.naturalWidth > 0;
      },
      await avatar.elementHandle(),
    );
    // The card's key links to the issue in Jira: the simulator's own page for it.
    const href = await card.locator('a', { hasText: 'KAN-2' }).first().getAttribute('href');
    assert.equal(href, `${sim.url}/browse/KAN-2`);
    const browse = await page.context().newPage();
    await browse.goto(href);
    assert.equal(await browse.locator('h1').textContent(), issue.fields.summary);
    await shot(browse, 'browse-page');
    await browse.close();
    assert.deepEqual(offMachine, []);
  });

  it('subscribes the channel in the Set up alerts dialog, and an alert arrives when the issue changes in Jira', async () => {
    await connectDirectly('alice');
    const page = await openAs('alice', channel());
    await say(page, '@Jira subscribe');
    const card = botMessages(page)
      .filter({ has: page.getByRole('button', { name: 'Set up alerts' }) })
      .last();
    await card.getByRole('button', { name: 'Set up alerts' }).click();
    const dialog = page.locator('#dialog .dialog');
    // The dialog lists the projects Alice's Jira has; with no list it asks for keys.
    await dialog.locator('.ac-adaptiveCard').waitFor();
    const typed = dialog.getByLabel('Projects (keys, comma-separated)');
    if (await typed.count()) await typed.fill('PHX');
    else await dialog.getByRole('checkbox', { name: /^PHX\b/ }).check();
    await shot(page, 'subscribe-dialog');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .locator('#dialog')
      .waitFor({ state: 'detached' })
      .catch(async (error: Error) => {
        await shot(page, 'subscribe-dialog-stuck');
        throw error;
      });
    const before = client.connector.activities(channel()).length;
    // A change in Jira (the simulator fires its webhook) becomes an alert card in the channel.
    const changed = await fetch(`${sim.url}/rest/api/3/issue/PHX-1/comment`, {
      method: 'POST',
      headers: { authorization: sim.basicAuth('bob@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify({ body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Alert from the local client test' }] }] } }),
    });
    assert.equal(changed.status, 201);
    await client.connector.waitFor(() => client.connector.activities(channel()).length > before, { timeoutMs: 15_000 });
    const alert = botMessages(page).filter({ hasText: 'PHX-1' }).last();
    await alert.locator('.ac-adaptiveCard').waitFor();
    await shot(page, 'alert-arrived');

    // The alert's own action: Assign to me assigns PHX-1 to Alice in Jira and shows her the live issue card.
    const aliceAccount = (await jira('alice', '/rest/api/3/myself')).accountId;
    assert.notEqual((await jira('alice', '/rest/api/3/issue/PHX-1')).fields.assignee?.accountId, aliceAccount);
    await alert.getByRole('button', { name: 'Assign to me' }).click();
    await alert.getByRole('button', { name: 'Assign to me' }).waitFor({ state: 'detached' });
    assert.equal((await jira('alice', '/rest/api/3/issue/PHX-1')).fields.assignee?.accountId, aliceAccount);
    assert.equal(await alert.locator('.error').count(), 0, 'no refusal such as "this card is from another site"');
    await shot(page, 'alert-assigned');
  });

  it('adds a channel message as a comment on a Jira issue through the "..." menu', async () => {
    await connectDirectly('dave');
    const page = await openAs('dave', channel());
    const text = `Repro also on iOS 17 ${Date.now()}`;
    await say(page, text);
    const message = page.locator('.message').filter({ hasText: text });
    await message.locator('.more').click();
    // A message arriving while the menu is open redraws the list; the menu stays open, as in Teams.
    const meanwhile = `Carol meanwhile ${Date.now()}`;
    const sent = await fetch(`${client.url}/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'carol', conversationId: channel(), text: meanwhile }),
    });
    assert.equal(sent.status, 200);
    await page.locator('.message').filter({ hasText: meanwhile }).waitFor();
    await message.getByRole('button', { name: 'Add comment to Jira issue' }).click();
    const dialog = page.locator('#dialog .dialog');
    await dialog.getByLabel('Or find an issue').fill('KAN-4');
    await dialog.getByRole('button', { name: 'Find', exact: true }).click();
    await dialog.getByLabel('Issue', { exact: true }).locator('option[value="KAN-4"]').waitFor({ state: 'attached' });
    await dialog.getByLabel('Issue', { exact: true }).selectOption('KAN-4');
    await dialog.getByRole('button', { name: 'Add comment', exact: true }).click();
    // The bot answers with a confirmation in the dialog (task/continue), as the app does in Teams.
    await dialog.getByText('Comment added to KAN-4').waitFor();
    const comments = await jira('dave', '/rest/api/3/issue/KAN-4/comment');
    assert.ok(JSON.stringify(comments.comments).includes(text), 'the message is a comment on KAN-4');
  });

  it("opens the meeting's side panel as the person in the meeting chat: the tab framed by the Teams host emulation", async () => {
    await connectDirectly('bob');
    const meeting = client.conversations.find((c) => c.meetingId)!;
    const page = await openAs('bob', meeting.id);
    const [panel] = await Promise.all([page.waitForEvent('popup'), page.locator('#open-side-panel').click()]);
    const bob = client.people.find((p) => p.handle === 'bob')!;
    const url = new URL(panel.url());
    assert.equal(url.searchParams.get('oid'), bob.aadObjectId);
    assert.equal(url.searchParams.get('meeting'), meeting.meetingId);
    assert.equal(url.searchParams.get('then'), 'sidePanel');
    // The tab's configuration asks for the backlog's JQL: it started inside the host page as Bob.
    const deadline = Date.now() + 10_000;
    while (!panel.frames().some((f) => f.url().includes('/tab/')) && Date.now() < deadline) await panel.waitForTimeout(50);
    const tab = panel.frames().find((f) => f.url().includes('/tab/'))!;
    assert.ok(tab, 'the host page framed the tab');
    await tab.getByLabel('JQL query').waitFor();
    await panel.close();
  });

  describe('grooming in a meeting', () => {
    // One meeting, in order: Alice adds the tab, Bob joins its backlog, Alice shares it to the stage, Alice ends the meeting.
    const meeting = () => client.conversations.find((c) => c.meetingId)!;
    const estimate = async (key: string) => (await jira('alice', `/rest/api/3/issue/${key}?fields=customfield_10016`)).fields.customfield_10016 as number | null;
    const row = (frame: FrameLocator, key: string) => frame.locator(`li.row[data-key="${key}"]`);
    const offMachine: string[] = [];
    let alicePanel: Page;
    let bobPanel: Page;
    let key: string;
    const estimates: number[] = [];

    async function openPanel(handle: string): Promise<Page> {
      const page = await openAs(handle, meeting().id);
      const [panel] = await Promise.all([page.waitForEvent('popup'), page.locator('#open-side-panel').click()]);
      panel.setDefaultTimeout(15_000);
      // Everything the panel and the tabs it frames ask for (the popup's own requests and its frames').
      panel.on('request', (request) => {
        const url = new URL(request.url());
        if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:') offMachine.push(request.url());
      });
      return panel;
    }

    async function setEstimate(frame: FrameLocator, value: number): Promise<void> {
      await row(frame, key).locator('.c-estimate').click();
      await row(frame, key).locator('input.c-estimate').fill(String(value));
      await row(frame, key).locator('input.c-estimate').press('Enter');
    }

    it("Alice adds the tab to the meeting; Bob's side panel opens the same backlog, and his edit reaches Jira and Alice's panel live", async () => {
      await connectDirectly('alice');
      await connectDirectly('bob');
      alicePanel = await openPanel('alice');
      const config = alicePanel.frameLocator('#tab');
      await config.getByRole('textbox', { name: /Name/ }).fill('Meeting backlog');
      await config.getByRole('radio', { name: /JQL query/ }).check();
      await config.getByRole('textbox', { name: /JQL/ }).fill('project = PHX AND issuetype = Story ORDER BY Rank ASC');
      await alicePanel.waitForFunction('window.teamsHost.validity === true');
      await alicePanel.click('#save');
      await alicePanel.waitForURL(/context=sidePanel/);
      const alice = alicePanel.frameLocator('#tab');
      await alice.locator('li.row').first().waitFor();
      // The backlog belongs to the meeting's chat: the one Bob is in too.
      const url = new URL(alicePanel.url());
      assert.equal(url.searchParams.get('chat'), meeting().id);
      const backlogId = /backlog-(.+)$/.exec(url.searchParams.get('entityId') ?? '')?.[1];
      assert.ok(backlogId, url.toString());
      // The bot keeps it for that chat: Bob, who did not create it, may open it only as a member of its
      // conversation (bot/src/meetings/backlog-access.ts), below. (The emulations' tests do not read bot/src.)

      // Bob opens the panel of the same meeting: Teams gives him the tab Alice added, not its setup.
      bobPanel = await openPanel('bob');
      await bobPanel.waitForURL(/context=sidePanel/);
      const bob = bobPanel.frameLocator('#tab');
      await bob.locator('li.row').first().waitFor();
      assert.match((await bob.locator('.backlog-title h1').textContent()) ?? '', /Meeting backlog/);
      await alice.locator('.live-live').waitFor();
      await bob.locator('.live-live').waitFor();
      key = (await bob.locator('li.row').first().getAttribute('data-key'))!;
      const next = (await estimate(key)) === 5 ? 3 : 5;
      estimates.push(next);
      await setEstimate(bob, next);
      // Alice's panel shows Bob's edit by itself (the live stream), and Jira has it.
      await row(alice, key)
        .locator('.c-estimate')
        .filter({ hasText: new RegExp(`^${next}$`) })
        .waitFor();
      assert.equal(await estimate(key), next);
      await shot(bobPanel, 'meeting-side-panel-bob');
    });

    it('shares the backlog to the meeting stage from the side panel: every attendee sees it there, framed as meetingStage', async () => {
      assert.ok(alicePanel && bobPanel, 'the meeting from the test before');
      await alicePanel.locator('#share-to-stage').click();
      for (const panel of [alicePanel, bobPanel]) {
        const stage = panel.frameLocator('#stage-tab');
        await stage.locator(`li.row[data-key="${key}"]`).waitFor();
        await stage.locator('.live-live').waitFor();
        // The host answered the stage's teams-js with the meetingStage frame context.
        const contexts = await panel.evaluate<string[]>("window.teamsHost.messages.filter((m) => m.func === 'initialize').map((m) => m.frameContext)");
        assert.deepEqual(contexts, ['sidePanel', 'meetingStage']);
      }
      assert.match((await bobPanel.locator('.stage-bar').textContent()) ?? '', /Alice Admin is sharing/);
      // An edit on Bob's stage reaches Jira and Alice's side panel.
      const next = estimates.at(-1) === 8 ? 13 : 8;
      estimates.push(next);
      await setEstimate(bobPanel.frameLocator('#stage-tab'), next);
      await row(alicePanel.frameLocator('#tab'), key)
        .locator('.c-estimate')
        .filter({ hasText: new RegExp(`^${next}$`) })
        .waitFor();
      assert.equal(await estimate(key), next);
      await shot(bobPanel, 'meeting-stage-bob');
      await alicePanel.locator('#stop-sharing').click();
      await bobPanel.locator('#stage-tab').waitFor({ state: 'detached' });
      // Neither the panels nor the tabs they framed asked anything of another machine (teams-js's CDN included).
      assert.deepEqual(offMachine, []);
    });

    it('ends the meeting: Teams sends meetingEnd and the recap card with the estimates lands in the meeting chat', async () => {
      assert.ok(key, 'the meeting from the tests before');
      const page = await openAs('alice', meeting().id);
      const before = client.connector.activities(meeting().id).length;
      await page.locator('#end-meeting').click();
      await client.connector.waitFor(() => client.connector.activities(meeting().id).length > before, { timeoutMs: 15_000 });
      const recap = botMessages(page).filter({ hasText: 'Meeting recap' }).last();
      await recap.locator('.ac-adaptiveCard').waitFor();
      const text = (await recap.textContent()) ?? '';
      assert.match(text, new RegExp(key));
      assert.match(text, /Bob Builder/);
      // One card: the recap, posted by the bot on hearing meetingEnd in the meeting chat.
      const sent = client.connector.activities(meeting().id).slice(before);
      assert.equal(sent.length, 1);
      await shot(page, 'meeting-recap');
    });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}
