/**
 * What the specs share: where each app runs, the database they use, and the operator account that
 * the database preparation creates through the CLI (operators never sign up).
 */
export const E2E_DATABASE = "souk_e2e";

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

/** Passwords of the accounts the specs create. */
export const PASSWORD = "correct horse battery staple";

/** An address nobody else in this run uses (a spec retried within one run signs up again). */
export function uniqueEmail(who: string): string {
  return `${who}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@example.com`;
}
