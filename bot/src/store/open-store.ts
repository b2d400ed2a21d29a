import type { Config } from '../config';
import type { Store } from './store';
import { openSqliteStore } from './sqlite-store';

/** Picks the Store implementation the configuration names. */
export async function openStore(config: Config['store']): Promise<Store> {
  switch (config.kind) {
    case 'sqlite':
      return openSqliteStore(config.path);
    case 'azure':
      throw new Error('STORE=azure: the Azure Storage implementation is not available in this build yet; use STORE=sqlite');
    default: {
      const never: never = config;
      throw new Error(`Unknown store ${JSON.stringify(never)}`);
    }
  }
}
