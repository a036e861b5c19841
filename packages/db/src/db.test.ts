import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, ensureDatabase, migrateToLatest, withTransaction, type Database } from "./index";

const admin = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `souk_db_${randomBytes(5).toString("hex")}`;
const url = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
let db: Kysely<Database>;

beforeAll(async () => {
  await ensureDatabase(url);
  db = createDb({ connectionString: url, max: 4 });
  await migrateToLatest(db);
}, 60_000);

afterAll(async () => {
  await db.destroy();
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`drop database if exists "${name}" with (force)`);
  await client.end();
});

const org = (trx: Kysely<Database>, orgName: string) =>
  trx.insertInto("organizations").values({ kind: "buyer", name: orgName, status: "active" }).returning("id").executeTakeFirstOrThrow();
const count = async (orgName: string) =>
  Number((await db.selectFrom("organizations").select(sql<string>`count(*)`.as("n")).where("name", "=", orgName).executeTakeFirstOrThrow()).n);

describe("migrations", () => {
  it("are idempotent: a second run applies nothing", async () => {
    const again = await migrateToLatest(db);
    expect(again.results).toEqual([]);
  });

  it("ensureDatabase is a no-op on an existing database", async () => {
    await expect(ensureDatabase(url)).resolves.toBeUndefined();
  });
});

describe("withTransaction", () => {
  it("commits the outer work with the nested work", async () => {
    await withTransaction(db, async (outer) => {
      await org(outer, "outer-commit");
      await withTransaction(outer, async (inner) => {
        expect(inner).toBe(outer); // joined, not a new transaction
        await org(inner, "inner-commit");
      });
    });
    expect(await count("outer-commit")).toBe(1);
    expect(await count("inner-commit")).toBe(1);
  });

  it("rolls the nested work back when the outer transaction fails", async () => {
    await expect(
      withTransaction(db, async (outer) => {
        await withTransaction(outer, (inner) => org(inner, "inner-rolled-back"));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await count("inner-rolled-back")).toBe(0);
  });

  it("rolls the outer work back when the nested work fails", async () => {
    await expect(
      withTransaction(db, async (outer) => {
        await org(outer, "outer-rolled-back");
        await withTransaction(outer, () => Promise.reject(new Error("inner boom")));
      }),
    ).rejects.toThrow("inner boom");
    expect(await count("outer-rolled-back")).toBe(0);
  });
});

describe("schema rules", () => {
  it("keeps audit_log append-only: no update, delete or truncate", async () => {
    const row = await db.insertInto("audit_log").values({ action: "test.appended" }).returning("id").executeTakeFirstOrThrow();
    await expect(db.updateTable("audit_log").set({ action: "test.rewritten" }).where("id", "=", row.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_log").where("id", "=", row.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    const kept = await db.selectFrom("audit_log").select("action").where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(kept.action).toBe("test.appended");
  });

  it("lets only buyer organisations have branches", async () => {
    const parent = await org(db, "parent buyer");
    await expect(
      db.insertInto("organizations").values({ kind: "seller", name: "branch seller", status: "pending", parent_id: parent.id }).execute(),
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.insertInto("organizations").values({ kind: "buyer", name: "branch", status: "active", parent_id: parent.id }).execute(),
    ).resolves.toBeDefined();
  });

  it("treats e-mail addresses case-insensitively", async () => {
    await db.insertInto("users").values({ email: "Case@Example.com", name: "A", password_hash: "x" }).execute();
    await expect(db.insertInto("users").values({ email: "case@example.COM", name: "B", password_hash: "x" }).execute()).rejects.toThrow(
      /duplicate key/,
    );
  });

  it("lets only a purchase's approval be withdrawn, and never with a decider", async () => {
    const buyer = await org(db, "approvals buyer");
    const [requester, approver] = await Promise.all(
      ["requester", "approver"].map((who) => db.insertInto("users").values({ email: `${who}@approvals.test`, name: who, password_hash: "x" }).returning("id").executeTakeFirstOrThrow()),
    );
    const approval = (subjectKind: "award" | "purchase") =>
      db
        .insertInto("approvals")
        .values({ buyer_id: buyer.id, subject_kind: subjectKind, subject_id: buyer.id, approver_role: "approver", currency: "EUR", amount_minor: "100", threshold_minor: "100", requested_by: requester!.id })
        .returning("id")
        .executeTakeFirstOrThrow();
    const withdraw = (id: string, decidedBy: string | null) =>
      db.updateTable("approvals").set({ status: "withdrawn", decided_at: sql<Date>`now()`, decided_by: decidedBy }).where("id", "=", id).execute();
    const purchase = await approval("purchase");
    await expect(withdraw(purchase.id, approver!.id)).rejects.toThrow(/approvals_withdrawn_check/);
    await expect(withdraw((await approval("award")).id, null)).rejects.toThrow(/approvals_withdrawn_check/);
    await expect(sql`update approvals set status = 'cancelled', decided_at = now() where id = ${purchase.id}`.execute(db)).rejects.toThrow(/approvals_status_check/);
    await withdraw(purchase.id, null);
    expect(await db.selectFrom("approvals").select(["status", "decided_by"]).where("id", "=", purchase.id).executeTakeFirstOrThrow()).toEqual({ status: "withdrawn", decided_by: null });
  });

  it("refuses an unknown organisation kind or status", async () => {
    await expect(sql`insert into organizations (kind, name, status) values ('vendor', 'x', 'active')`.execute(db)).rejects.toThrow(/check constraint/);
    await expect(sql`insert into organizations (kind, name, status) values ('buyer', 'x', 'archived')`.execute(db)).rejects.toThrow(/check constraint/);
  });
});
