import { describe, expect, test } from "vitest";
import { sql } from "kysely";
import { createTestDatabase } from "@souk/testing";
import { recordAudit } from "./record-audit";

const { db } = await createTestDatabase();

async function userAndOrg() {
  const org = await db.insertInto("organizations").values({ kind: "buyer", name: "Audited", status: "active" }).returning("id").executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({ email: `audit-${org.id}@example.test`, name: "Aud", password_hash: "x" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { organizationId: org.id, userId: user.id };
}

describe("recordAudit", () => {
  test("takes organisation and address from the actor unless given, and stores data as JSON", async () => {
    const { organizationId, userId } = await userAndOrg();
    const id = await recordAudit(db, {
      actor: { userId, organizationId, ip: "203.0.113.9" },
      action: "member.role_changed",
      targetType: "membership",
      targetId: "m-1",
      data: { from: "viewer", to: "admin" },
    });
    const row = await db.selectFrom("audit_log").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      actor_user_id: userId,
      actor_organization_id: organizationId,
      organization_id: organizationId,
      action: "member.role_changed",
      target_type: "membership",
      target_id: "m-1",
      ip: "203.0.113.9",
      reason: null,
      data: { from: "viewer", to: "admin" },
    });
  });

  test("an anonymous event has no actor and an explicit address", async () => {
    const id = await recordAudit(db, { actor: null, action: "auth.sign_in_failed", ip: "198.51.100.1", data: { email: "a@b.test" } });
    const row = await db.selectFrom("audit_log").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_user_id: null, organization_id: null, ip: "198.51.100.1", data: { email: "a@b.test" } });
  });

  test("is append-only: updates and deletes are refused by the database", async () => {
    const id = await recordAudit(db, { action: "auth.sign_out" });
    await expect(sql`update audit_log set action = 'tampered' where id = ${id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = ${id}`.execute(db)).rejects.toThrow(/append-only/);
    const row = await db.selectFrom("audit_log").select("action").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.action).toBe("auth.sign_out");
  });

  test("inside a rolled-back transaction, the record disappears with the change", async () => {
    const before = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    await expect(
      db.transaction().execute(async (trx) => {
        await recordAudit(trx, { action: "member.removed" });
        throw new Error("business rule failed");
      }),
    ).rejects.toThrow("business rule failed");
    const after = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
