import { sql, type Kysely } from "kysely";
import { afterAll } from "vitest";
import { createDb, type Database } from "@souk/db";
import type { TestDatabase } from "./database";

export interface PinnedClock {
  /** A second pool on the test database whose clock_timestamp() reads the pinned instant. */
  db: Kysely<Database>;
  /** Pins the instant that pool's clock_timestamp() returns; null gives it the real clock back. */
  pin(at: Date | null): Promise<void>;
  /** Pins the instant one microsecond before `at` (finer than a JavaScript Date can say). */
  pinJustBefore(at: Date): Promise<void>;
}

/**
 * A database clock the test sets, for the exact edges of deadlines (decided by the database clock,
 * never the app's). The test database gets a schema `testclock` whose clock_timestamp() returns a
 * pinned instant (or the real clock when none is pinned), and a second pool puts that schema before
 * pg_catalog in its search_path: the services run unchanged on that pool, only the instant they read
 * is chosen. The pool is closed after the file's tests. Call it once per test database.
 */
export async function createPinnedClock(test: Pick<TestDatabase, "db" | "url">, options: { applicationName?: string; max?: number } = {}): Promise<PinnedClock> {
  const { db } = test;
  await sql`create schema testclock`.execute(db);
  await sql`create table testclock.pinned (at timestamptz not null)`.execute(db);
  await sql`
    create function testclock.clock_timestamp() returns timestamptz language sql volatile as $$
      select coalesce((select at from testclock.pinned limit 1), pg_catalog.clock_timestamp())
    $$`.execute(db);
  const withPins = new URL(test.url);
  withPins.searchParams.set("options", "-c search_path=testclock,pg_catalog,public");
  const pinnedDb = createDb({ connectionString: withPins.toString(), max: options.max ?? 4, applicationName: options.applicationName ?? "souk-test-pinned" });
  afterAll(() => pinnedDb.destroy());
  return {
    db: pinnedDb,
    async pin(at) {
      await sql`delete from testclock.pinned`.execute(db);
      if (at) await sql`insert into testclock.pinned (at) values (${at})`.execute(db);
    },
    async pinJustBefore(at) {
      await sql`delete from testclock.pinned`.execute(db);
      await sql`insert into testclock.pinned (at) select ${at}::timestamptz - interval '1 microsecond'`.execute(db);
    },
  };
}
