import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, onTestFinished } from "vitest";
import type { Kysely } from "kysely";
import { createDb, type Database } from "@souk/db";
import { adminDatabaseUrl, databaseUrl } from "./env";
import { ensureTemplate } from "./template";

export interface TestDatabase {
  db: Kysely<Database>;
  name: string;
  url: string;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database cloned from the migrated template. Called at module level (or in beforeAll) it
 * serves the whole file and is dropped after its tests; called inside a test, it is dropped when
 * that test finishes.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `souk_t_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`create database "${name}" template "${template}"`));
  const url = databaseUrl(name);
  const db = createDb({ connectionString: url, max: 5, applicationName: "souk-test" });
  const drop = async () => {
    await db.destroy();
    await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
  };
  // Inside a test, Vitest ignores a new afterAll: the database would outlive the run.
  try {
    onTestFinished(drop);
  } catch {
    afterAll(drop);
  }
  return { db, name, url };
}
