import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";
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
 * A fresh database for the calling test file, cloned from the migrated template, dropped after
 * the file's tests. Call at module level or in beforeAll: `const t = await createTestDatabase()`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `souk_t_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`create database "${name}" template "${template}"`));
  const url = databaseUrl(name);
  const db = createDb({ connectionString: url, max: 5, applicationName: "souk-test" });
  afterAll(async () => {
    await db.destroy();
    await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
  });
  return { db, name, url };
}
