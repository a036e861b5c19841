import { execFileSync } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { E2E_DATABASE, E2E_STORAGE_DIR, OPERATOR_ADMIN, OPERATOR_MODERATOR, PORTS, URLS } from "../support";

/**
 * Gives the end-to-end run a database of its own: drops and recreates `souk_e2e`, migrates it with
 * the project's migration command and creates the operator admin and moderator with the project's
 * CLI, then seeds the demo data (`pnpm db:seed`). It empties the run's document storage too: the documents of a previous run belong to rows
 * that no longer exist.
 *
 * It runs as the FIRST `webServer` of the Playwright config, not as `globalSetup`, because
 * Playwright starts every web server before global setup, and the apps and the worker must find a
 * migrated database when they start (the worker's health check queries it). Web servers start one
 * after the other, so the next ones wait until this one answers on its port; it then stays up
 * until Playwright stops the servers.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const adminUrl = process.env.E2E_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${E2E_DATABASE}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
try {
  await admin.query(`drop database if exists "${E2E_DATABASE}" with (force)`);
  await admin.query(`create database "${E2E_DATABASE}"`);
} finally {
  await admin.end();
}

await rm(E2E_STORAGE_DIR, { recursive: true, force: true });
await mkdir(E2E_STORAGE_DIR, { recursive: true, mode: 0o700 });

// Links the seed writes (e-mails in the outbox) point at this run's apps, not the demo's ports.
const env = { ...process.env, DATABASE_URL: databaseUrl.toString(), STORAGE_DIR: E2E_STORAGE_DIR, SOUK_BUYER_URL: URLS.buyer, SOUK_SELLER_URL: URLS.seller, SOUK_OPERATOR_URL: URLS.operator };
const run = (args: string[]) => execFileSync("pnpm", args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
run(["db:migrate"]);
for (const [operator, role] of [[OPERATOR_ADMIN, "admin"], [OPERATOR_MODERATOR, "moderator"]] as const) {
  run([
    "--filter", "@souk/services", "create-operator",
    "--email", operator.email,
    "--name", operator.name,
    "--role", role,
    "--password", operator.password,
  ]);
}

// The demo data (organisations, the demo sellers' catalogue, indexed): the catalogue specs shop in it
// as the demo's buyers and sellers; the other specs create their own accounts and ignore it.
run(["db:seed"]);

createServer((_req, res) => res.end("ready")).listen(PORTS.prepare, "127.0.0.1", () => {
  console.log(`${E2E_DATABASE} is ready`);
});
