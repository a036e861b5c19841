import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, ensureDatabase, migrateToLatest, withTransaction, type Database } from "./index";

// The ledger's own defences, below any service: a bug in a use case must not be able to write an
// unbalanced or edited journal.
const admin = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `souk_ledger_${randomBytes(5).toString("hex")}`;
const url = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
let db: Kysely<Database>;
let revenue: string;
let inTransit: string;
let cash: string;

beforeAll(async () => {
  await ensureDatabase(url);
  db = createDb({ connectionString: url, max: 4 });
  await migrateToLatest(db);
  const account = async (kind: "commission_revenue" | "payouts_in_transit" | "cash") =>
    (await db.insertInto("ledger_accounts").values({ kind, currency: "EUR" }).returning("id").executeTakeFirstOrThrow()).id;
  revenue = await account("commission_revenue");
  inTransit = await account("payouts_in_transit");
  cash = await account("cash");
}, 60_000);

afterAll(async () => {
  await db.destroy();
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`drop database if exists "${name}" with (force)`);
  await client.end();
});

async function post(key: string, entries: [string, bigint, string?][], currency = "EUR") {
  await withTransaction(db, async (trx) => {
    // payout journals need a payout; a platform-only journal uses kind payout_paid with a payout row.
    const seller = await trx.insertInto("organizations").values({ kind: "seller", name: `S ${key}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
    const payout = await trx.insertInto("payouts").values({ seller_id: seller.id, currency, amount_minor: "100" }).returning("id").executeTakeFirstOrThrow();
    const journal = await trx.insertInto("journals").values({ idempotency_key: key, kind: "payout_paid", payout_id: payout.id, currency }).returning("id").executeTakeFirstOrThrow();
    for (const [account, amount, entryCurrency] of entries) {
      await trx.insertInto("ledger_entries").values({ journal_id: journal.id, account_id: account, currency: entryCurrency ?? currency, amount_minor: amount }).execute();
    }
  });
}

const journals = async () => Number((await db.selectFrom("journals").select(sql<string>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);

describe("ledger tables", () => {
  it("accept a balanced journal", async () => {
    await post("balanced", [[inTransit, 100n], [cash, -100n]]);
    expect(await journals()).toBe(1);
  });

  it("refuse at commit a journal that does not sum to zero, and keep nothing of it", async () => {
    await expect(post("unbalanced", [[inTransit, 100n], [cash, -99n]])).rejects.toThrow(/does not balance/);
    await expect(post("one-sided", [[revenue, 100n]])).rejects.toThrow(/does not balance|fewer than two entries/);
    expect(await journals()).toBe(1);
  });

  it("refuse a journal without entries", async () => {
    await expect(post("empty", [])).rejects.toThrow(/fewer than two entries/);
    expect(await journals()).toBe(1);
  });

  it("refuse an entry in another currency than its journal's or its account's", async () => {
    await expect(post("mixed", [[inTransit, 100n], [cash, -100n, "USD"]])).rejects.toThrow(/foreign key/);
    expect(await journals()).toBe(1);
  });

  it("refuse a second journal with the same idempotency key", async () => {
    await expect(post("balanced", [[inTransit, 5n], [cash, -5n]])).rejects.toThrow(/journals_idempotency_key_key/);
  });

  it("are append-only: entries and journals cannot be updated or deleted", async () => {
    await expect(db.updateTable("ledger_entries").set({ amount_minor: "1" }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("ledger_entries").execute()).rejects.toThrow(/append-only/);
    await expect(db.updateTable("journals").set({ memo: "x" }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("journals").execute()).rejects.toThrow(/append-only/);
  });

  it("refuse a commission rule whose floor is above its cap", async () => {
    await expect(db.insertInto("commission_rules").values({ scope: "default", currency: "EUR", rate_bps: 500, floor_minor: "1000", cap_minor: "999" }).execute()).rejects.toThrow(/check/);
  });
});
