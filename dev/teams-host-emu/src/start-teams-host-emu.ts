import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ts from 'typescript';
import { hostPageQuery, readHostPageConfig, type EmulatedUser, type HostPageConfig, type HostPageRequest } from './host-page-config';
import { renderHostPage } from './render-host-page';

export interface TeamsHostEmuOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** dev/entra-emu's URL: tokens come from its `POST /_emu/token`. */
  entraUrl: string;
  /** The audience the bot accepts (TAB_SSO_AUDIENCE). */
  audience: string;
  /** Who the page plays when its URL names nobody. */
  defaultUser: EmulatedUser;
  /** The tab page framed when the URL has no `tab`. */
  defaultTabUrl?: string;
  /** Meeting and its chat given to side panel and stage contexts (as Teams does for meeting apps). */
  meetingId?: string;
  chatId?: string;
}

export interface TeamsHostEmu {
  url: string;
  /** The host page URL that frames `request.tab` as `request.user` in `request.context`. */
  pageUrl(request: HostPageRequest): string;
  close(): Promise<void>;
}

export const DEFAULT_MEETING_ID = 'MCMxOTptZWV0aW5nX2xvY2FsQHRocmVhZC52MiMw';
export const DEFAULT_MEETING_CHAT_ID = '19:meeting_local@thread.v2';

/**
 * Plays the Teams web client for the tab: serves a host page (render-host-page.ts) whose script
 * (page/host-page.ts, transpiled once at start) answers teams-js, and mints the user's SSO token
 * through entra-emu, as Teams gets one from Entra for `authentication.getAuthToken`.
 */
export async function startTeamsHostEmu(options: TeamsHostEmuOptions): Promise<TeamsHostEmu> {
  const script = ts.transpileModule(readFileSync(path.join(__dirname, '..', 'page', 'host-page.ts'), 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const defaults = {
    user: options.defaultUser,
    tabUrl: options.defaultTabUrl,
    meetingId: options.meetingId ?? DEFAULT_MEETING_ID,
    chatId: options.chatId ?? DEFAULT_MEETING_CHAT_ID,
  };

  const tokens = tokenCache(options);
  const meetings = meetingState();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (req.method === 'GET' && url.pathname === '/') {
      let config: HostPageConfig;
      try {
        config = readHostPageConfig(url.searchParams, defaults);
      } catch (error) {
        send(res, 400, 'text/plain; charset=utf-8', `Bad host page parameter: ${(error as Error).message}\n`);
        return;
      }
      // The app is in this meeting already (someone saved its tab): Teams opens the tab itself, not its setup.
      const saved = config.reuse && config.frameContext === 'settings' && config.then && config.meetingId ? meetings.tabOf(config.meetingId) : undefined;
      if (saved && config.then) {
        const next = new URLSearchParams(url.searchParams);
        next.set('tab', saved.contentUrl);
        next.set('context', config.then);
        if (saved.entityId) next.set('entityId', saved.entityId);
        next.delete('then');
        next.delete('reuse');
        res.writeHead(302, { location: `/?${next}`, 'cache-control': 'no-store' });
        res.end();
        return;
      }
      send(res, 200, 'text/html; charset=utf-8', renderHostPage(config));
      return;
    }
    if (req.method === 'POST' && (url.pathname === '/_host/meeting/tab' || url.pathname === '/_host/meeting/stage')) {
      readJson(req)
        .then((body) => {
          const change = body as { meetingId?: unknown; contentUrl?: unknown; entityId?: unknown; sharedBy?: unknown };
          const meetingId = typeof change.meetingId === 'string' && change.meetingId ? change.meetingId : undefined;
          const contentUrl = typeof change.contentUrl === 'string' && /^https?:\/\//.test(change.contentUrl) ? change.contentUrl : undefined;
          if (!meetingId) throw new Error('meetingId is required');
          if (url.pathname === '/_host/meeting/tab') {
            if (!contentUrl) throw new Error('contentUrl: an http(s) URL is required');
            meetings.saveTab(meetingId, { contentUrl, ...(typeof change.entityId === 'string' ? { entityId: change.entityId } : {}) });
          } else if (change.contentUrl === null) {
            meetings.share(meetingId, undefined);
          } else {
            if (!contentUrl) throw new Error('contentUrl: an http(s) URL, or null to stop sharing, is required');
            meetings.share(meetingId, { contentUrl, sharedBy: typeof change.sharedBy === 'string' ? change.sharedBy.slice(0, 200) : 'Someone' });
          }
        })
        .then(
          () => send(res, 200, 'application/json', '{}'),
          (error: Error) => send(res, 400, 'application/json', JSON.stringify({ error: error.message })),
        );
      return;
    }
    if (req.method === 'GET' && url.pathname === '/_host/meeting/events') {
      const meetingId = url.searchParams.get('meeting');
      if (!meetingId) {
        send(res, 400, 'text/plain; charset=utf-8', 'meeting is required\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const write = (stage: StageShare | undefined) => res.write(`data: ${JSON.stringify({ stage: stage ?? null })}\n\n`);
      write(meetings.stageOf(meetingId));
      const stop = meetings.follow(meetingId, write);
      req.on('close', stop);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/_host/host-page.js') {
      send(res, 200, 'text/javascript; charset=utf-8', script);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/_host/token') {
      readJson(req)
        .then((body) => tokens.get(body as Partial<EmulatedUser>))
        .then(
          (token) => send(res, 200, 'application/json', JSON.stringify({ token })),
          (error: Error) => send(res, 502, 'application/json', JSON.stringify({ error: error.message })),
        );
      return;
    }
    send(
      res,
      404,
      'text/plain; charset=utf-8',
      'Not found. The host page is at / (?tab=<tab URL>&context=sidePanel|content|meetingStage|settings&theme=default|dark|contrast&name=&oid=&tid=)\n',
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
  return {
    url: base,
    pageUrl: (request) => `${base}/?${hostPageQuery(request)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface MeetingTab {
  contentUrl: string;
  entityId?: string;
}

interface StageShare {
  contentUrl: string;
  sharedBy: string;
}

/** What a meeting holds for all its attendees: the app's saved tab and what is shared to its stage. */
function meetingState() {
  const tabs = new Map<string, MeetingTab>();
  const stages = new Map<string, StageShare>();
  const followers = new Map<string, Set<(stage: StageShare | undefined) => void>>();
  return {
    tabOf: (meetingId: string) => tabs.get(meetingId),
    saveTab: (meetingId: string, tab: MeetingTab) => void tabs.set(meetingId, tab),
    stageOf: (meetingId: string) => stages.get(meetingId),
    share(meetingId: string, stage: StageShare | undefined): void {
      if (stage) stages.set(meetingId, stage);
      else stages.delete(meetingId);
      for (const follower of followers.get(meetingId) ?? []) follower(stage);
    },
    follow(meetingId: string, follower: (stage: StageShare | undefined) => void): () => void {
      const set = followers.get(meetingId) ?? new Set();
      followers.set(meetingId, set);
      set.add(follower);
      return () => set.delete(follower);
    },
  };
}

/** Teams keeps a user's SSO token and hands it out again until shortly before it expires; so does the emulation. */
function tokenCache(options: TeamsHostEmuOptions) {
  const cached = new Map<string, { token: string; refreshAt: number }>();
  return {
    async get(user: Partial<EmulatedUser>): Promise<string> {
      const key = JSON.stringify([user.tenantId, user.aadObjectId, user.name]);
      const hit = cached.get(key);
      if (hit && Date.now() < hit.refreshAt) return hit.token;
      const token = await mintToken(options, user);
      cached.set(key, { token, refreshAt: Date.now() + 30 * 60_000 });
      return token;
    },
  };
}

async function mintToken(options: TeamsHostEmuOptions, user: Partial<EmulatedUser>): Promise<string> {
  if (!user.aadObjectId || !user.tenantId || !user.name) throw new Error('name, aadObjectId and tenantId are required');
  const response = await fetch(`${options.entraUrl.replace(/\/$/, '')}/_emu/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: user.tenantId, aadObjectId: user.aadObjectId, name: user.name, audience: options.audience }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(`entra-emu refused the token: ${body.error ?? `HTTP ${response.status}`}`);
  return body.token;
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) req.destroy(new Error('body too large'));
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(text || '{}'));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on('error', reject);
  });
}
