import { fileURLToPath } from "node:url";

/**
 * What the specs share: where each app runs, the database and document storage they use, and the
 * operator accounts that the database preparation creates through the CLI (operators never sign up).
 */
export const E2E_DATABASE = "souk_e2e";

/**
 * Uploaded documents of the run: one directory for the seller app (which stores them) and the
 * operator app (which serves them to reviewers), emptied by cli/prepare-database.ts. Absolute,
 * because each app starts from its own folder.
 */
export const E2E_STORAGE_DIR = fileURLToPath(new URL("../.cache/e2e-storage", import.meta.url));

export const PORTS = { buyer: 3001, seller: 3002, operator: 3003, worker: 3004, prepare: 3009 } as const;

export const URLS = {
  buyer: `http://localhost:${PORTS.buyer}`,
  seller: `http://localhost:${PORTS.seller}`,
  operator: `http://localhost:${PORTS.operator}`,
} as const;

export const OPERATOR_ADMIN = {
  email: "olga.admin@example.com",
  name: "Olga Admin",
  password: "e2e operator passphrase",
} as const;

export const OPERATOR_MODERATOR = {
  email: "malik.moderator@example.com",
  name: "Malik Moderator",
  password: "e2e moderator passphrase",
} as const;

/** Passwords of the accounts the specs create. */
export const PASSWORD = "correct horse battery staple";

/** An address nobody else in this run uses (a spec retried within one run signs up again). */
export function uniqueEmail(who: string): string {
  return `${who}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@example.com`;
}
