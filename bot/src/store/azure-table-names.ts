/**
 * Names of the Azure tables behind the store. Each logical table (the store's `table`) has an
 * Azure table of its own, named by a base name and the logical table's letters and digits: Azure
 * (and Azurite, which scans a whole table for every query) then reads only that table's entities
 * for a query on it, where one table for everything had every listing of a small outbox pass over
 * all sent records and claimed event ids too.
 *
 * Azure table names are letters and digits, start with a letter, are 3 to 63 characters long and
 * case-insensitive, so the name cannot carry the logical table exactly. It need not: the logical
 * table still leads every PartitionKey (azure-key-codec), so two logical tables that happened to
 * share an Azure table would still never see each other's entities; a shared name costs speed only.
 */

const MAX_TABLE_NAME = 63;

/** The base of the store's table names: the whole name of the one table earlier versions kept everything in. */
export function checkBaseTableName(base: string): string {
  // At least 3 characters, so every name built on it is long enough; 40 at most, so a logical table's name has room.
  if (!/^[A-Za-z][A-Za-z0-9]{2,39}$/.test(base)) throw new Error(`Azure table base name ${JSON.stringify(base)} must be 3 to 40 letters and digits, starting with a letter`);
  return base;
}

/** The Azure table that holds the logical table `table`. */
export function azureTableNameOf(base: string, table: string): string {
  const own = table.replace(/[^A-Za-z0-9]/g, '');
  // Without letters or digits the name would be the base, the earlier versions' table, which every
  // start empties into the new ones (azure-legacy-table.ts): such a table's rows would go each start.
  if (!own) throw new Error(`Logical table ${JSON.stringify(table)} needs a letter or digit to name its Azure table`);
  return (base + own).slice(0, MAX_TABLE_NAME);
}
