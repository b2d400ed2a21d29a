import type { Config } from '../config';
import type { Store } from './store';
import { openSqliteStore } from './sqlite-store';

/** Picks the Store implementation the configuration names. */
export async function openStore(config: Config['store']): Promise<Store> {
  switch (config.kind) {
    case 'sqlite':
      return openSqliteStore(config.path);
    case 'azure': {
      // Loaded only for this store: the Azure Tables SDK is resident memory the SQLite default never uses.
      const { openAzureTableStore } = await import('./azure-table-store.js');
      return openAzureTableStore({ connectionString: config.connectionString, accountUrl: config.accountUrl });
    }
    default: {
      const never: never = config;
      throw new Error(`Unknown store ${JSON.stringify(never)}`);
    }
  }
}
