import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "./client";

const admin = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const killer = new pg.Client({ connectionString: admin });
await killer.connect();
afterAll(() => killer.end());

describe("createDb's pool when PostgreSQL ends a connection", () => {
  it("survives a connection ended between two statements of a transaction: the transaction fails, the pool goes on", async () => {
    const db = createDb({ connectionString: admin, max: 2, applicationName: "souk-client-test" });
    try {
      const transaction = db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        // What a restart (`pg_ctl restart -m fast`) does to every backend: a FATAL 57P01 message.
        await killer.query("select pg_terminate_backend($1)", [rows[0]!.pid]);
        // It arrives while the transaction runs no statement (the app is working between two): the
        // checked-out client has no pool listener then, and an unheard 'error' ends the process.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 1`.execute(trx);
      });
      await expect(transaction).rejects.toThrow();
      // The dead connection was dropped: the next query gets a new one.
      const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(db);
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
