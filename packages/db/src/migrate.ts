import { type Kysely, Migrator, type MigrationResultSet } from "kysely";
import { migrationProvider } from "./migrations/index";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
