import { Kysely, PostgresDialect, type LogEvent } from "kysely";
import pg from "pg";
import type { Database } from "@souk/db";

export interface StatementTrace {
  sql: string;
  ms: number;
}

export interface CallProfile {
  statements: StatementTrace[];
  /** Index of the statement that takes the RFQ row lock (null when none was seen). */
  lockAt: number | null;
  /** Statements from the lock to the end of the transaction (commit included): the part every other offer on the RFQ waits for. */
  underLock: number;
  underLockMs: number;
}

const LOCKING = /\bfrom\s+"?rfqs"?\b[\s\S]*\bfor\s+(no\s+key\s+)?update\b/i;

/**
 * A Kysely handle of its own (one connection) that records every statement it sends, `begin` and
 * `commit` included, to count what one service call does and how much of it runs while the RFQ
 * row is locked. The recorder is reset before each profiled call.
 */
export function profilingDb(connectionString: string): { db: Kysely<Database>; take(): CallProfile; close(): Promise<void> } {
  let statements: StatementTrace[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString, max: 1, application_name: "souk-bench-offers-profile" }) }),
    log: (event: LogEvent) => {
      statements.push({ sql: event.query.sql.replace(/\s+/g, " ").trim(), ms: event.queryDurationMillis });
    },
  });
  return {
    db,
    take() {
      const taken = statements;
      statements = [];
      const lockAt = taken.findIndex((s) => LOCKING.test(s.sql));
      const under = lockAt < 0 ? [] : taken.slice(lockAt);
      return {
        statements: taken,
        lockAt: lockAt < 0 ? null : lockAt,
        underLock: under.length,
        underLockMs: under.reduce((sum, s) => sum + s.ms, 0),
      };
    },
    close: () => db.destroy(),
  };
}
