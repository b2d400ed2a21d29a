import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { deployedCommand } from '../../bench/measures/deployed-command';

const ROOT = path.resolve(__dirname, '..', '..');
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((l) => l.trim() && !l.trim().startsWith('#'));
const workspaces: string[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).workspaces;

describe('Dockerfile', () => {
  it('copies every workspace manifest before npm ci, or the lockfile would not match', () => {
    for (const workspace of workspaces) {
      assert.ok(
        instructions.some((l) => l.startsWith(`COPY ${workspace}/package.json `)),
        `no COPY of ${workspace}/package.json`,
      );
    }
  });

  it('copies only paths that exist in the repository', () => {
    for (const line of instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
      const sources = line
        .split(/\s+/)
        .slice(1, -1)
        .filter((s) => !s.startsWith('--'));
      for (const source of sources) assert.ok(fs.existsSync(path.join(ROOT, source)), `${line}: ${source} does not exist`);
    }
  });

  it('runs Node 22 as a non-root user with production dependencies, port 3978 and a /healthz check', () => {
    assert.ok(instructions.some((l) => /^FROM node:22[-.\w]*/.test(l)));
    assert.ok(instructions.some((l) => /npm ci --omit=dev/.test(l)));
    const runtime = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));
    assert.ok(
      runtime.some((l) => l === 'USER node'),
      'the runtime stage must not run as root',
    );
    assert.ok(runtime.some((l) => l === 'EXPOSE 3978'));
    assert.ok(runtime.some((l) => l.startsWith('HEALTHCHECK ') && l.includes('/healthz')));
    assert.ok(!runtime.some((l) => /apt-get install/.test(l)), 'compilers belong in the build stages');
  });

  it('builds the grooming tab and ships tab/dist beside bot/dist, where the bot serves it from', () => {
    const buildStage = instructions.slice(instructions.findIndex((l) => l.startsWith('FROM toolchain AS build')));
    assert.ok(
      buildStage.some((l) => l === 'RUN npm run build:tab'),
      'the build stage must run npm run build:tab',
    );
    const runtime = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));
    assert.ok(
      runtime.some((l) => /^COPY --from=build .*\/app\/tab\/dist tab\/dist$/.test(l)),
      'the runtime stage must copy tab/dist',
    );
  });

  it('starts the bot from inside bot/, where its own dependency versions resolve', () => {
    assert.match(instructions.at(-1)!, /^CMD \["node", ("--[\w-]+=\d+", )*"bot\/dist\/index\.js"\]$/);
  });

  it("sizes V8's heap for the memory target, and App Service starts the bot with the same command", () => {
    const command = deployedCommand(dockerfile);
    // Without a ceiling V8 lets the old generation grow to 4x its live size on a roomy host (DESIGN's memory row).
    assert.ok(
      command.some((arg) => /^--max-old-space-size=\d+$/.test(arg)),
      `no --max-old-space-size in ${command.join(' ')}`,
    );
    const bicep = fs.readFileSync(path.join(ROOT, 'infra', 'azure.bicep'), 'utf8');
    assert.equal(/appCommandLine: '([^']*)'/.exec(bicep)?.[1], command.join(' '));
  });
});
