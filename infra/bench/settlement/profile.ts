import { Kysely, PostgresDialect, type LogEvent } from "kysely";
import pg from "pg";
import type { Database } from "@souk/db";

export interface TracedStatement {
  sql: string;
  ms: number;
}

/**
 * A one-connection Kysely handle that keeps every statement it sends (begin and commit included),
 * to show what one settlement costs in round trips and where its time goes.
 */
export function tracingDb(connectionString: string): { db: Kysely<Database>; take(): TracedStatement[]; close(): Promise<void> } {
  let statements: TracedStatement[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString, max: 1, application_name: "souk-bench-settlement-trace" }) }),
    log: (event: LogEvent) => {
      statements.push({ sql: event.query.sql.replace(/\s+/g, " ").trim(), ms: event.queryDurationMillis });
    },
  });
  return {
    db,
    take: () => {
      const taken = statements;
      statements = [];
      return taken;
    },
    close: () => db.destroy(),
  };
}
