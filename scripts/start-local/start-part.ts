import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface PartSpec {
  name: string;
  /** ANSI color code for the prefix when the output is a terminal. */
  color: number;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  format?: (line: string) => string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Part {
  name: string;
  child: ChildProcess;
  /** Every output line so far, unprefixed, so the caller can pick up what a part printed. */
  lines: string[];
  exited: Promise<Exit>;
  running(): boolean;
}

export const PREFIX_WIDTH = 14;

/** Spawns one part of the local run, its stdout and stderr prefixed line by line with its name. */
export function startPart(spec: PartSpec, out: NodeJS.WritableStream = process.stdout): Part {
  // Own process group: a terminal's Ctrl-C reaches only start-local, which then stops each part once.
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const label = `[${spec.name}]`.padEnd(PREFIX_WIDTH);
  const prefix = (out as { isTTY?: boolean }).isTTY ? `\u001b[${spec.color}m${label}\u001b[0m` : label;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      out.write(`${prefix}${spec.format ? spec.format(line) : line}\n`);
    });
  }
  let done = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      out.write(`${prefix}could not start: ${error.message}\n`);
      done = true;
      resolve({ code: 127, signal: null });
    });
  });
  return { name: spec.name, child, lines, exited, running: () => !done };
}
