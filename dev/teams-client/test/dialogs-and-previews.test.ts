import assert from 'node:assert/strict';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/chromium/launch-chromium';
import { startBotConnector, type BotConnector } from '../../bot-connector-emu/src';
import { startTeamsHostEmu, type TeamsHostEmu } from '../../teams-host-emu/src';
import { startTeamsClient, type TeamsClient } from '../src';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const SCREENSHOTS = path.resolve(__dirname, '../../../screenshots/teams-client');

/**
 * The subject under test is the local Teams client (and the Teams host emulation framing its URL
 * dialogs), not the app: the app's bot opens no URL dialog and answers no action command with a
 * botMessagePreview, so a SMALL stand-in bot (node:http, below) answers invokes the way Microsoft's
 * docs describe bots doing, behind the client's Bot Connector emulation. What the client must do, as
 * Teams does:
 * - a task/fetch or composeExtension/fetchTask answered with `task: { type: 'continue', value: { url } }`
 *   opens that page in a dialog, framed with frameContext `task`; the page's teams-js
 *   `dialog.url.submit(result)` reaches the bot as task/submit or composeExtension/submitAction with
 *   `data: result`;
 * - `composeExtension: { type: 'botMessagePreview', activityPreview }` shows the preview with Edit and
 *   Send; each goes back as submitAction with `botMessagePreviewAction` and `botActivityPreview`; the
 *   bot answers Edit with its dialog again and, on Send, posts the message itself.
 */
describe('local Teams client: URL dialogs and botMessagePreview', function () {
  this.timeout(30_000);
  let standIn: StandInBot;
  let connector: BotConnector;
  let host: TeamsHostEmu;
  let client: TeamsClient;
  let browser: Browser;
  let tmp: string;
  let page: Page;

  before(async () => {
    connector = await startBotConnector();
    host = await startTeamsHostEmu({
      // The dialog pages here ask for no SSO token, so entra-emu is never called.
      entraUrl: 'http://127.0.0.1:9',
      audience: 'api://localhost/stand-in',
      defaultUser: { name: 'Nobody', aadObjectId: '00000000-0000-4000-8000-000000000999', tenantId: '00000000-0000-4000-8000-0000000000aa' },
    });
    standIn = await startStandInBot(new URL(host.url).origin);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-client-dialogs-'));
    const manifestPath = path.join(tmp, 'manifest.json');
    fs.writeFileSync(manifestPath, JSON.stringify(STAND_IN_MANIFEST));
    client = await startTeamsClient({ botUrl: standIn.url, connector, teamsHostUrl: host.url, manifestPath });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Nothing leaves the machine (teams-js would fetch its valid domains from a CDN).
    await context.route(
      (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
      (route) => route.abort(),
    );
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(client.pageUrl('alice'));
    await page.locator('#compose-text').waitFor();
  });

  after(async () => {
    await page
      ?.context()
      .close()
      .catch(() => undefined);
    await browser?.close();
    await client?.close();
    await standIn?.close();
    await host?.close();
    await connector?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The page inside the dialog: the client's dialog frames the host emulation, which frames the app's URL. */
  const dialogPage = (): FrameLocator => page.frameLocator('#dialog-frame').frameLocator('#tab');

  const shot = async (name: string) => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  };

  it("opens a card's task/fetch URL dialog in the host emulation and sends its dialog.url.submit as task/submit", async () => {
    await page.locator('#compose-text').fill('colour please');
    await page.locator('#send').click();
    await page.locator('.message[data-from-bot="true"]').getByRole('button', { name: 'Pick a colour' }).click();

    const dialog = page.locator('#dialog');
    await dialog.getByRole('heading', { name: 'Pick a colour' }).waitFor();
    // The framed page runs teams-js against the host emulation, which tells it it is in a dialog.
    await dialogPage().locator('body[data-frame-context="task"]').waitFor();
    await dialogPage().locator('#colour').fill('teal');
    await shot('url-dialog');
    await dialogPage().locator('#submit').click();

    await page.locator('#toast', { hasText: 'Colour saved: teal' }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    const fetch = standIn.invokes.find((i) => i.name === 'task/fetch');
    assert.deepEqual(fetch?.value.data.ask, 'colour');
    const submit = standIn.invokes.find((i) => i.name === 'task/submit');
    assert.deepEqual(submit?.value.data, { colour: 'teal' });
    assert.equal(submit?.from, client.people[0].id);
  });

  it('runs an action command whose fetchTask is a URL dialog, then its botMessagePreview: Edit reopens the dialog, Send has the bot post', async () => {
    standIn.invokes.length = 0;
    await page.locator('.compose-tools button[data-command="draftNote"]').click();
    await page.locator('#dialog').getByRole('heading', { name: 'Draft a note' }).waitFor();
    await dialogPage().locator('#note').fill('Groom PHX-12 first');
    await dialogPage().locator('#submit').click();

    // The preview: the bot's card with Edit and Send.
    const dialog = page.locator('#dialog');
    await dialog.getByText('Note: Groom PHX-12 first').waitFor();
    await shot('bot-message-preview');
    await dialog.locator('#preview-edit').click();
    // Edit: the bot answers with a (card) dialog again, filled from the preview Teams sent back.
    const input = dialog.locator('input[type="text"], input:not([type])').first();
    await input.waitFor();
    assert.equal(await input.inputValue(), 'Groom PHX-12 first');
    await input.fill('Groom PHX-12 and PHX-13');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByText('Note: Groom PHX-12 and PHX-13').waitFor();
    await dialog.locator('#preview-send').click();

    // Send: the bot posts the previewed message into the chat; the dialog closes.
    await page.locator('.message[data-from-bot="true"]', { hasText: 'Note: Groom PHX-12 and PHX-13' }).waitFor();
    await dialog.waitFor({ state: 'detached' });

    const calls = standIn.invokes.map((i) => [i.name, i.value.commandId, i.value.botMessagePreviewAction ?? null]);
    assert.deepEqual(calls, [
      ['composeExtension/fetchTask', 'draftNote', null],
      ['composeExtension/submitAction', 'draftNote', null],
      ['composeExtension/submitAction', 'draftNote', 'edit'],
      ['composeExtension/submitAction', 'draftNote', null],
      ['composeExtension/submitAction', 'draftNote', 'send'],
    ]);
    assert.deepEqual(standIn.invokes[1].value.data, { note: 'Groom PHX-12 first' });
    assert.equal(standIn.invokes[1].value.commandContext, 'compose');
    assert.equal(noteOf(standIn.invokes[2].value.botActivityPreview[0]), 'Groom PHX-12 first');
    assert.equal(standIn.invokes[3].value.data.note, 'Groom PHX-12 and PHX-13');
    assert.equal(noteOf(standIn.invokes[4].value.botActivityPreview[0]), 'Groom PHX-12 and PHX-13');
    // The bot's post went through the Bot Connector emulation, where Teams would take it.
    const posted = connector.calls.filter((c) => c.kind === 'sendToConversation' && JSON.stringify(c.body).includes('Note: Groom PHX-12 and PHX-13'));
    assert.equal(posted.length, 1);
  });
});

const STAND_IN_MANIFEST = {
  name: { short: 'Stand-in' },
  bots: [{ botId: '00000000-0000-4000-8000-000000000000', scopes: ['personal'], commandLists: [] }],
  composeExtensions: [
    {
      botId: '00000000-0000-4000-8000-000000000000',
      commands: [{ id: 'draftNote', type: 'action', title: 'Draft a note', context: ['compose'], fetchTask: true }],
    },
  ],
};

interface StandInBot {
  url: string;
  invokes: Array<{ name: string; value: any; from: string }>;
  close(): Promise<void>;
}

const noteCard = (note: string) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text: `Note: ${note}`, wrap: true }],
});

function noteOf(activity: any): string {
  const text = String(activity?.attachments?.[0]?.content?.body?.[0]?.text ?? '');
  return text.replace(/^Note: /, '');
}

/**
 * A bot as small as the docs' samples: a card with a task/fetch button on any message; a URL dialog
 * for task/fetch and for the draftNote command's fetchTask; a botMessagePreview for its submitAction;
 * the dialog again (as a card) on Edit; on Send it posts the previewed activity through the connector.
 */
async function startStandInBot(hostOrigin: string): Promise<StandInBot> {
  const teamsJs = (
    await build({
      stdin: { contents: "import { app, dialog } from '@microsoft/teams-js'; window.teamsJs = { app, dialog };", resolveDir: __dirname, loader: 'ts' },
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2022',
      logLevel: 'silent',
    })
  ).outputFiles[0].text;
  const invokes: StandInBot['invokes'] = [];
  let url = '';

  const post = async (activity: any, message: unknown) => {
    const target = `${String(activity.serviceUrl).replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities`;
    const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
    if (!response.ok) throw new Error(`connector answered ${response.status}`);
  };

  const answerActivity = async (activity: any): Promise<unknown> => {
    if (activity.type === 'message') {
      await post(activity, {
        type: 'message',
        from: activity.recipient,
        attachments: [
          {
            contentType: ADAPTIVE,
            content: {
              type: 'AdaptiveCard',
              version: '1.5',
              body: [{ type: 'TextBlock', text: 'Which colour?' }],
              actions: [{ type: 'Action.Submit', title: 'Pick a colour', data: { msteams: { type: 'task/fetch' }, ask: 'colour' } }],
            },
          },
        ],
      });
      return undefined;
    }
    if (activity.type !== 'invoke') return undefined;
    const value = activity.value ?? {};
    invokes.push({ name: activity.name, value, from: activity.from?.id });
    switch (activity.name) {
      case 'task/fetch':
        return { task: { type: 'continue', value: { url: `${url}/colour`, title: 'Pick a colour', height: 'small', width: 'small' } } };
      case 'task/submit':
        return { task: { type: 'message', value: `Colour saved: ${String(value.data?.colour)}` } };
      case 'composeExtension/fetchTask':
        return { task: { type: 'continue', value: { url: `${url}/note`, title: 'Draft a note', height: 260, width: 520 } } };
      case 'composeExtension/submitAction': {
        if (value.botMessagePreviewAction === 'edit') {
          const note = noteOf(value.botActivityPreview?.[0]);
          const card = {
            type: 'AdaptiveCard',
            version: '1.5',
            body: [{ type: 'Input.Text', id: 'note', label: 'Note', value: note }],
            actions: [{ type: 'Action.Submit', title: 'Preview' }],
          };
          return { task: { type: 'continue', value: { title: 'Draft a note', card: { contentType: ADAPTIVE, content: card } } } };
        }
        if (value.botMessagePreviewAction === 'send') {
          const preview = value.botActivityPreview?.[0] ?? {};
          await post(activity, { type: 'message', from: activity.recipient, attachments: preview.attachments });
          return {};
        }
        const activityPreview = { type: 'message', attachments: [{ contentType: ADAPTIVE, content: noteCard(String(value.data?.note ?? '')) }] };
        return { composeExtension: { type: 'botMessagePreview', activityPreview } };
      }
      default:
        return undefined;
    }
  };

  const dialogPage = (field: string, label: string) => `<!doctype html>
<html><body data-frame-context="">
<label>${label} <input id="${field}"></label> <button id="submit">Submit</button>
<script src="/teams.js"></script>
<script>
  const { app, dialog } = window.teamsJs;
  app.initialize([${JSON.stringify(hostOrigin)}]).then(() => app.getContext()).then((context) => {
    document.body.dataset.frameContext = context.page.frameContext;
  });
  document.getElementById('submit').onclick = () => dialog.url.submit({ ${field}: document.getElementById('${field}').value });
</script>
</body></html>`;

  // Not res.writeHead(...).end(...): restify (the connector emulation, in this process) replaces writeHead with one returning nothing.
  const reply = (res: ServerResponse, status: number, headers: Record<string, string>, body?: string) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url ?? '/', 'http://stand-in');
    // connect-src 'self': teams-js then uses its bundled list of Teams' domains instead of fetching one.
    const page = (body: string) => reply(res, 200, { 'content-type': 'text/html', 'content-security-policy': "connect-src 'self'" }, body);
    if (req.method === 'GET' && pathname === '/teams.js') return reply(res, 200, { 'content-type': 'text/javascript' }, teamsJs);
    if (req.method === 'GET' && pathname === '/colour') return page(dialogPage('colour', 'Colour'));
    if (req.method === 'GET' && pathname === '/note') return page(dialogPage('note', 'Note'));
    if (req.method === 'POST' && pathname === '/api/messages') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await answerActivity(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      return answer === undefined ? reply(res, 200, {}) : reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify(answer));
    }
    reply(res, 404, {});
  };

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: Error) => reply(res, 500, { 'content-type': 'text/plain' }, error.message));
  });
  const address = await new Promise<AddressInfo>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo)));
  url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    invokes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
