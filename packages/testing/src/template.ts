import { createHash } from "node:crypto";
import pg from "pg";
import { createDb, migrateToLatest } from "@souk/db";
import { migrations } from "@souk/db/migrations";
import { adminDatabaseUrl, databaseUrl } from "./env";

/**
 * The migrated template every test database is cloned from. Its name carries a hash of the
 * migrations, so a changed migration gets a new template and parallel runs (turbo starts several
 * Vitest processes) share one without racing: creation happens under an advisory lock.
 */
export function templateName(): string {
  const source = Object.entries(migrations)
    .map(([name, m]) => `${name}:${m.up.toString()}`)
    .join("\n");
  return `souk_template_${createHash("sha256").update(source).digest("hex").slice(0, 12)}`;
}

export async function ensureTemplate(): Promise<string> {
  const name = templateName();
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock(4242001)");
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) {
      const building = `${name}_building`;
      await admin.query(`drop database if exists "${building}"`);
      await admin.query(`create database "${building}"`);
      const db = createDb({ connectionString: databaseUrl(building), max: 1 });
      try {
        await migrateToLatest(db);
      } finally {
        await db.destroy();
      }
      // Renamed only once complete, so a crashed build never leaves a half-migrated template.
      await admin.query(`alter database "${building}" rename to "${name}"`);
      await admin.query(`alter database "${name}" with is_template true`);
    }
  } finally {
    await admin.query("select pg_advisory_unlock(4242001)").catch(() => undefined);
    await admin.end();
  }
  return name;
}
