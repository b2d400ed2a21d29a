import type { Config } from '../config';
import type { Store } from './store';
import { openSqliteStore } from './sqlite-store';
import { openAzureTableStore } from './azure-table-store';

/** Picks the Store implementation the configuration names. */
export async function openStore(config: Config['store']): Promise<Store> {
  switch (config.kind) {
    case 'sqlite':
      return openSqliteStore(config.path);
    case 'azure':
      return openAzureTableStore({ connectionString: config.connectionString, accountUrl: config.accountUrl });
    default: {
      const never: never = config;
      throw new Error(`Unknown store ${JSON.stringify(never)}`);
    }
  }
}
