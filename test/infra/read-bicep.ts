import fs from 'node:fs';
import path from 'node:path';

export interface BicepParam {
  type: string;
  hasDefault: boolean;
  secure: boolean;
}

export interface BicepFile {
  file: string;
  params: Map<string, BicepParam>;
  outputs: Map<string, string>;
  vars: string[];
  resources: Array<{ name: string; type: string; apiVersion: string }>;
  modules: Array<{ name: string; path: string; params: string[] }>;
  /** The source without comments and with string contents blanked, for structural checks. */
  code: string;
}

/** Blanks comments and the insides of '...' strings (keeping ${...} holes), so braces can be counted. */
export function stripBicep(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const two = source.slice(i, i + 2);
    if (two === '//') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (two === '/*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (source[i] === "'") {
      out += "'";
      i++;
      while (i < source.length && source[i] !== "'") {
        if (source[i] === '\\') i += 2;
        else if (source.slice(i, i + 2) === '${') {
          out += '${';
          i += 2;
          for (let depth = 1; depth > 0 && i < source.length; i++) {
            if (source[i] === '{') depth++;
            if (source[i] === '}') depth--;
            out += source[i];
          }
        } else {
          out += source[i] === '\n' ? '\n' : ' ';
          i++;
        }
      }
      out += "'";
      i++;
    } else {
      out += source[i];
      i++;
    }
  }
  return out;
}

/**
 * Reads the declarations of a Bicep file: enough to check, without a Bicep compiler, that the
 * Toolkit files, the parameters file and the modules agree with it. Not a Bicep parser.
 */
export function readBicep(file: string): BicepFile {
  const source = fs.readFileSync(file, 'utf8');
  const code = stripBicep(source);
  const params = new Map<string, BicepParam>();
  const outputs = new Map<string, string>();
  const vars: string[] = [];
  const resources: BicepFile['resources'] = [];
  const modules: BicepFile['modules'] = [];
  const lines = source.split('\n');
  let secure = false;
  lines.forEach((line, index) => {
    if (/^@secure\(\)/.test(line)) secure = true;
    let m: RegExpExecArray | null;
    if ((m = /^param\s+(\w+)\s+(\w+)(\s*=)?/.exec(line))) {
      params.set(m[1], { type: m[2], hasDefault: Boolean(m[3]), secure });
    } else if ((m = /^output\s+(\w+)\s+(\w+)\s*=/.exec(line))) {
      outputs.set(m[1], m[2]);
    } else if ((m = /^var\s+(\w+)\s*=/.exec(line))) {
      vars.push(m[1]);
    } else if ((m = /^resource\s+(\w+)\s+'([^'@]+)@([^']+)'/.exec(line))) {
      resources.push({ name: m[1], type: m[2], apiVersion: m[3] });
    } else if ((m = /^module\s+(\w+)\s+'([^']+)'/.exec(line))) {
      modules.push({ name: m[1], path: path.resolve(path.dirname(file), m[2]), params: moduleParams(lines, index) });
    }
    if (!line.startsWith('@')) secure = secure && line.trim() === '';
  });
  return { file, params, outputs, vars, resources, modules, code };
}

/** Keys of the `params: { ... }` block of the module declared at `start`. */
function moduleParams(lines: string[], start: number): string[] {
  const keys: string[] = [];
  let i = start;
  while (i < lines.length && !/^\s*params:\s*\{\s*$/.test(lines[i])) i++;
  const indent = (lines[i + 1] ?? '').match(/^\s*/)![0].length;
  for (i = i + 1; i < lines.length && !/^\s*\}\s*$/.test(lines[i]); i++) {
    const m = /^(\s*)(\w+):/.exec(lines[i]);
    if (m && m[1].length === indent) keys.push(m[2]);
  }
  return keys;
}
