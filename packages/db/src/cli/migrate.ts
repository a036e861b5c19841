import { createDb, ensureDatabase, migrateToLatest } from "../index";

const connectionString = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/souk";
await ensureDatabase(connectionString);
const db = createDb({ connectionString, max: 1, applicationName: "souk-migrate" });
try {
  const result = await migrateToLatest(db);
  const applied = result.results ?? [];
  for (const r of applied) console.log(`${r.status === "Success" ? "applied" : r.status}: ${r.migrationName}`);
  if (applied.length === 0) console.log("database is up to date");
} finally {
  await db.destroy();
}
