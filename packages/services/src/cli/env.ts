import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { readSearchEnv, type SearchEnv } from "@souk/search";
import type { ServiceDepsConfig, StorageConfig } from "../deps";

/**
 * Environment of the services CLIs (create-operator, seed-demo), parsed once. The defaults are
 * the local development setup, so `pnpm db:seed` works on a fresh clone without an .env file.
 */
const cliEnvSchema = z.object({
  DATABASE_URL: z.url().default("postgres://postgres@127.0.0.1:5432/souk"),
  SOUK_BUYER_URL: z.url().default("http://localhost:3001"),
  SOUK_SELLER_URL: z.url().default("http://localhost:3002"),
  SOUK_OPERATOR_URL: z.url().default("http://localhost:3003"),
  // The apps' document storage (their STORAGE_DIR, same default): the demo's attachments must be
  // where the apps read them.
  STORAGE_DIR: z.string().trim().min(1).optional(),
});

/** The apps' default storage directory: `.data/storage` at the repository's root (packages/ui's env.server.ts). */
const DEFAULT_STORAGE_DIR = fileURLToPath(new URL("../../../../.data/storage", import.meta.url));

export function cliServiceConfig(applicationName: string): ServiceDepsConfig & StorageConfig & { search: SearchEnv } {
  const parsed = cliEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  return {
    databaseUrl: env.DATABASE_URL,
    publicUrls: { buyer: env.SOUK_BUYER_URL, seller: env.SOUK_SELLER_URL, operator: env.SOUK_OPERATOR_URL },
    applicationName,
    poolSize: 2,
    storageDir: path.resolve(env.STORAGE_DIR ?? DEFAULT_STORAGE_DIR),
    // The seed indexes the demo catalogue with the same engine as the apps (MEILI_URL or PostgreSQL).
    search: readSearchEnv(process.env),
  };
}

/** Prints a DomainError's field errors (message keys) readably for a terminal. */
export function describeError(error: unknown): string {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  // undefined_table / invalid_catalog_name: the usual first-run mistake, worth a plain answer.
  if (code === "42P01" || code === "3D000") return "the database is missing or not migrated: run `pnpm db:migrate` first.";
  if (typeof error === "object" && error !== null && "fieldErrors" in error && "message" in error) {
    const { message, fieldErrors } = error as { message: string; fieldErrors: Record<string, string[]> };
    const fields = Object.entries(fieldErrors).map(([field, keys]) => `  --${field}: ${keys.join(", ")}`);
    return [message, ...fields].join("\n");
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
