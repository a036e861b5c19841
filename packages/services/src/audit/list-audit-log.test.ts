import { beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../deps";
import { domainErrorOf } from "../identity/test-support";
import { memberOf, operator, seller, type SellerFixture } from "../vetting/test-support";
import { AUDIT_ACTION_FILTERS, AUDIT_LOG_PAGE_SIZE, listAuditLog } from "./list-audit-log";
import { recordAudit } from "./record-audit";

const { db } = await createTestDatabase();

let admin: ActorDeps;
let buyer: ActorDeps;
let sellerOrg: SellerFixture;

/** One row at a chosen time (recordAudit always uses now()). */
async function at(occurredAt: string, row: { action: string; actor?: ActorDeps | null; organizationId?: string | null; reason?: string; ip?: string }) {
  const inserted = await db
    .insertInto("audit_log")
    .values({
      occurred_at: occurredAt,
      action: row.action,
      actor_user_id: row.actor?.actor.userId ?? null,
      actor_organization_id: row.actor?.actor.organizationId ?? null,
      organization_id: row.organizationId !== undefined ? row.organizationId : (row.actor?.actor.organizationId ?? null),
      target_type: "organization",
      target_id: row.organizationId ?? null,
      ip: row.ip ?? "203.0.113.7",
      reason: row.reason ?? null,
      data: JSON.stringify({ note: row.action }),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

const actions = (page: { items: { action: string }[] }) => page.items.map((i) => i.action);

beforeAll(async () => {
  admin = await operator(db, "admin", "Olga Admin");
  buyer = await memberOf(db, "buyer", "admin", { name: "Bea Buyer" });
  sellerOrg = await seller(db, { status: "active" });
  await at("2030-03-01T09:00:00Z", { action: "auth.sign_in", actor: buyer });
  await at("2030-03-02T09:00:00Z", { action: "member.role_changed", actor: buyer });
  await at("2030-03-03T09:00:00Z", { action: "seller.approved", actor: admin, organizationId: sellerOrg.id });
  await at("2030-03-04T23:59:59Z", { action: "seller.suspended", actor: admin, organizationId: sellerOrg.id, reason: "Fraud" });
  await at("2030-03-05T00:00:00Z", { action: "auth.sign_in_failed", actor: null, organizationId: null, ip: "198.51.100.9" });
});

describe("listAuditLog", () => {
  test("lists newest first with the actor's name and e-mail and the organisations' names", async () => {
    const page = await listAuditLog(admin, {});
    expect(actions(page)).toEqual(["auth.sign_in_failed", "seller.suspended", "seller.approved", "member.role_changed", "auth.sign_in"]);
    expect(page).toMatchObject({ page: 1, pageSize: AUDIT_LOG_PAGE_SIZE, total: 5, organization: null });
    const suspended = page.items[1];
    expect(suspended).toMatchObject({
      occurredAt: new Date("2030-03-04T23:59:59Z"),
      actor: { userId: admin.actor.userId, name: "Olga Admin", email: expect.stringContaining("@example.test") },
      actorOrganization: { id: admin.actor.organizationId, kind: "operator" },
      organization: { id: sellerOrg.id, name: sellerOrg.name, kind: "seller" },
      reason: "Fraud",
      ip: "203.0.113.7",
      data: { note: "seller.suspended" },
    });
    expect(page.items[0]).toMatchObject({ actor: null, actorOrganization: null, organization: null, ip: "198.51.100.9" });
    expect(page.actionFilters).toEqual(AUDIT_ACTION_FILTERS);
    expect(AUDIT_ACTION_FILTERS).toContain("seller.*");
  });

  test("filters by actor, as an e-mail in any case or as a user id", async () => {
    const email = (await db.selectFrom("users").select("email").where("id", "=", buyer.actor.userId).executeTakeFirstOrThrow()).email;
    expect(actions(await listAuditLog(admin, { actor: ` ${email.toUpperCase()} ` }))).toEqual(["member.role_changed", "auth.sign_in"]);
    expect(actions(await listAuditLog(admin, { actor: admin.actor.userId }))).toEqual(["seller.suspended", "seller.approved"]);
    expect((await listAuditLog(admin, { actor: "nobody@example.test" })).total).toBe(0);
  });

  test("filters by organisation: what concerns it and what its members did", async () => {
    const forSeller = await listAuditLog(admin, { organizationId: sellerOrg.id });
    expect(actions(forSeller)).toEqual(["seller.suspended", "seller.approved"]);
    expect(forSeller.organization).toEqual({ id: sellerOrg.id, name: sellerOrg.name, kind: "seller" });
    // The operator organisation's members decided on the seller: their rows count as the operator's too.
    expect(actions(await listAuditLog(admin, { organizationId: admin.actor.organizationId }))).toEqual(["seller.suspended", "seller.approved"]);
    expect(actions(await listAuditLog(admin, { organizationId: buyer.actor.organizationId }))).toEqual(["member.role_changed", "auth.sign_in"]);
  });

  test("filters by action or by a context's actions, and by days (both ends included, UTC)", async () => {
    expect(actions(await listAuditLog(admin, { action: "auth.sign_in" }))).toEqual(["auth.sign_in"]);
    expect(actions(await listAuditLog(admin, { action: "auth.*" }))).toEqual(["auth.sign_in_failed", "auth.sign_in"]);
    expect(actions(await listAuditLog(admin, { from: "2030-03-02", to: "2030-03-04" }))).toEqual(["seller.suspended", "seller.approved", "member.role_changed"]);
    expect(actions(await listAuditLog(admin, { from: "2030-03-05" }))).toEqual(["auth.sign_in_failed"]);
    expect(actions(await listAuditLog(admin, { action: "seller.*", to: "2030-03-03", actor: admin.actor.userId }))).toEqual(["seller.approved"]);
  });

  test("empty filters mean no filter; bad ones are field errors", async () => {
    expect((await listAuditLog(admin, { actor: "", organizationId: "", action: "", from: "", to: "", page: "" })).total).toBe(5);
    const error = await domainErrorOf(listAuditLog(admin, { actor: "bob", organizationId: "acme", action: "seller.deleted", from: "yesterday", page: "-1" }));
    expect(error).toMatchObject({
      code: "VALIDATION",
      fieldErrors: {
        actor: ["audit.filter.actor_invalid"],
        organizationId: ["audit.filter.organization_invalid"],
        action: ["audit.filter.action_invalid"],
        from: ["audit.filter.date_invalid"],
        page: ["audit.filter.page_invalid"],
      },
    });
    expect((await domainErrorOf(listAuditLog(admin, { from: "2030-03-05", to: "2030-03-01" }))).fieldErrors).toEqual({ to: ["audit.filter.range_invalid"] });
  });

  test("pages through the log, 50 rows a page", async () => {
    const { db: pagedDb } = await createTestDatabase();
    const reader = await operator(pagedDb, "finance");
    for (let i = 0; i < 120; i += 1) await recordAudit(pagedDb, { actor: reader.actor, action: "auth.sign_in", data: { i } });
    const pages = await Promise.all([1, 2, 3, 4].map((page) => listAuditLog(reader, { page: String(page) })));
    expect(pages.map((p) => p.items.length)).toEqual([50, 50, 20, 0]);
    expect(pages.every((p) => p.total === 120)).toBe(true);
    const seen = pages.flatMap((p) => p.items.map((i) => i.data.i));
    expect(seen).toEqual([...Array(120).keys()].reverse());
  });

  test("every operator role reads it (finance too); sellers and buyers are refused", async () => {
    for (const role of ["admin", "moderator", "finance"] as const) expect((await listAuditLog(await operator(db, role), {})).total).toBeGreaterThan(0);
    for (const actor of [buyer, await memberOf(db, "seller", "owner")]) expect((await domainErrorOf(listAuditLog(actor, {}))).code).toBe("FORBIDDEN");
  });

  test("no row can be changed or deleted through the application's database handle", async () => {
    const id = await at("2030-04-01T00:00:00Z", { action: "member.removed", actor: admin });
    await expect(db.updateTable("audit_log").set({ action: "tampered", reason: "hidden" }).where("id", "=", id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_log").where("id", "=", id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_log").execute()).rejects.toThrow(/append-only/);
    expect((await db.selectFrom("audit_log").select("action").where("id", "=", id).executeTakeFirstOrThrow()).action).toBe("member.removed");
  });
});
