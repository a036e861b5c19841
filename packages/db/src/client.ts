import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import type { Database } from "./schema";

export interface DbConfig {
  connectionString: string;
  /** Pool size per process. */
  max?: number;
  /** Name shown in pg_stat_activity, to tell the apps and the worker apart. */
  applicationName?: string;
}

/** Either the root handle or a transaction: services accept both. */
export type Db = Kysely<Database> | Transaction<Database>;

export function createDb(config: DbConfig): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.max ?? 10,
    application_name: config.applicationName ?? "souk",
    // Fail fast when PostgreSQL is unreachable instead of queueing requests forever.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its server (PostgreSQL restart) emits 'error' on the pool; without a
  // listener that would crash the process. The pool drops the client and recovers by itself.
  pool.on("error", () => undefined);
  // A checked-out client has no pool listener: a restart that ends its connection while a
  // transaction holds it between two statements emitted an unheard 'error' and ended the process
  // (the postgres-restart drill). Heard here, the transaction's next statement fails instead, and
  // the pool drops the dead client when it is released.
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Runs `fn` in a transaction. Nested calls (db is already a transaction) join the outer one, so a
 * service can call another service and both commit or roll back together.
 */
export async function withTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(fn);
}
