/**
 * Schema versions of the embedded SQLite store, applied in order on open. Append only: a shipped
 * migration never changes, since databases in the field already ran it.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'items',
    sql: `
      CREATE TABLE items (
        tbl TEXT NOT NULL,
        pk TEXT NOT NULL,
        rk TEXT NOT NULL,
        etag TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tbl, pk, rk)
      ) WITHOUT ROWID;
    `,
  },
];
