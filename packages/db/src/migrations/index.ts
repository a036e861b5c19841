import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001-identity";
import * as m0002 from "./0002-seller-vetting";
import * as m0003 from "./0003-search-index";
import * as m0004 from "./0004-outbox-job-key";
import * as m0005 from "./0005-catalogue";
import * as m0006 from "./0006-rfqs";
import * as m0007 from "./0007-orders-money";
import * as m0008 from "./0008-negotiation";
import * as m0009 from "./0009-outbox-request-id";

/**
 * Migrations are listed in code rather than read from a folder: the same provider then works under
 * tsx, Vitest and a bundler (Kysely's FileMigrationProvider cannot import `.ts` under Vitest).
 * Append new migrations; never edit or reorder a landed one.
 */
export const migrations: Record<string, Migration> = {
  "0001-identity": m0001,
  "0002-seller-vetting": m0002,
  "0003-search-index": m0003,
  "0004-outbox-job-key": m0004,
  "0005-catalogue": m0005,
  "0006-rfqs": m0006,
  "0007-orders-money": m0007,
  "0008-negotiation": m0008,
  "0009-outbox-request-id": m0009,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
