import fs from 'node:fs';
import path from 'node:path';
import { parseEnvFile } from './parse-env-file';

export interface EnvSources {
  /** Every variable, later sources winning: env/.env.<name>, then env/.env.<name>.user, then the process. */
  vars: Record<string, string>;
  /** Which file or the process environment gave each variable its value, for error messages. */
  origin: Record<string, string>;
}

/**
 * Layers the Toolkit's environment files the way the Toolkit does: the committed template, the
 * gitignored `.user` file with SECRET_* values, and the process environment on top (so CI can
 * inject values without writing files). TEAMSFX_ENV is set to the environment name, as the
 * Toolkit sets it.
 */
export function readEnvFiles(envDir: string, envName: string, processEnv: NodeJS.ProcessEnv = process.env): EnvSources {
  const base = path.join(envDir, `.env.${envName}`);
  if (!fs.existsSync(base)) {
    throw new Error(`No environment file ${path.relative(process.cwd(), base) || base}: create it (see env/README.md) or pick another environment.`);
  }
  const vars: Record<string, string> = { TEAMSFX_ENV: envName };
  const origin: Record<string, string> = { TEAMSFX_ENV: 'the environment name' };
  const layer = (values: Record<string, string>, from: string) => {
    for (const [key, value] of Object.entries(values)) {
      vars[key] = value;
      origin[key] = from;
    }
  };
  for (const file of [base, `${base}.user`]) {
    if (fs.existsSync(file)) layer(parseEnvFile(fs.readFileSync(file, 'utf8')), path.relative(process.cwd(), file) || file);
  }
  const fromProcess: Record<string, string> = {};
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) fromProcess[key] = value;
  layer(fromProcess, 'the process environment');
  return { vars, origin };
}
