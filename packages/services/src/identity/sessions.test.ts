import { describe, expect, test } from "vitest";
import { sql } from "kysely";
import { createTestDatabase } from "@souk/testing";
import { renderEmail } from "../notifications/templates";
import { changePassword } from "./change-password";
import { resolveSession } from "./resolve-session";
import { signIn } from "./sign-in";
import { signOut } from "./sign-out";
import { signUp } from "./sign-up";
import { switchOrganization } from "./switch-organization";
import { domainErrorOf, GOOD_PASSWORD, requestDeps, sessionDeps, uniqueEmail } from "./test-support";

const { db } = await createTestDatabase();

async function buyerSession() {
  const email = uniqueEmail("session");
  const created = await signUp(requestDeps(db, "buyer"), { organizationName: "Sessions SA", name: "Sofia", email, password: GOOD_PASSWORD });
  const resolved = await resolveSession(requestDeps(db, "buyer"), { token: created.token });
  if (!resolved) throw new Error("fresh session did not resolve");
  return { email, ...created, sessionId: resolved.sessionId };
}

async function addMembership(userId: string, kind: "buyer" | "seller", name: string, role: string) {
  const org = await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: userId, role }).execute();
  return org.id;
}

describe("resolveSession", () => {
  test("lists only the app's organisations and builds the actor of the active one", async () => {
    const s = await buyerSession();
    const second = await addMembership(s.userId, "buyer", "Second Buyer", "viewer");
    await addMembership(s.userId, "seller", "Side Seller", "owner");
    const deps = requestDeps(db, "buyer");
    const resolved = await resolveSession(deps, { token: s.token });
    expect(resolved?.user).toEqual({ id: s.userId, email: s.email, name: "Sofia", locale: "en" });
    expect(resolved?.organizations.map((o) => o.id).sort()).toEqual([s.organizationId, second].sort());
    expect(resolved?.organizations.every((o) => o.kind === "buyer")).toBe(true);
    expect(resolved?.actor).toEqual({
      userId: s.userId,
      organizationId: s.organizationId,
      organizationKind: "buyer",
      organizationStatus: "active",
      role: "admin",
      ip: deps.request.ip,
    });
  });

  test("unknown, malformed, expired and signed-out tokens resolve to null", async () => {
    const deps = requestDeps(db, "buyer");
    expect(await resolveSession(deps, { token: "abcdefghijklmnopqrstuvwxyz234567" })).toBeNull();
    expect(await resolveSession(deps, { token: "" })).toBeNull();
    expect(await resolveSession(deps, {})).toBeNull();
    expect(await resolveSession(deps, { token: 42 })).toBeNull();

    const expired = await buyerSession();
    await db.updateTable("sessions").set({ expires_at: sql<Date>`now() - interval '1 second'` }).where("id", "=", expired.sessionId).execute();
    expect(await resolveSession(deps, { token: expired.token })).toBeNull();
    expect(await db.selectFrom("sessions").select("id").where("id", "=", expired.sessionId).executeTakeFirst()).toBeUndefined();

    const out = await buyerSession();
    await signOut(sessionDeps(db, "buyer", { id: out.sessionId, userId: out.userId }), {});
    expect(await resolveSession(deps, { token: out.token })).toBeNull();
  });

  test("when the active organisation's membership is gone, the next one becomes active; with none left, actor is null", async () => {
    const s = await buyerSession();
    const other = await addMembership(s.userId, "buyer", "Fallback Buyer", "purchaser");
    await db.deleteFrom("memberships").where("user_id", "=", s.userId).where("organization_id", "=", s.organizationId).execute();
    const resolved = await resolveSession(requestDeps(db, "buyer"), { token: s.token });
    expect(resolved?.actor).toMatchObject({ organizationId: other, role: "purchaser" });
    const row = await db.selectFrom("sessions").select("active_organization_id").where("id", "=", s.sessionId).executeTakeFirstOrThrow();
    expect(row.active_organization_id).toBe(other);

    await db.deleteFrom("memberships").where("user_id", "=", s.userId).execute();
    const orphan = await resolveSession(requestDeps(db, "buyer"), { token: s.token });
    expect(orphan).toMatchObject({ actor: null, organizations: [] });
  });
});

describe("signOut", () => {
  test("ends only the current session and writes auth.sign_out with the address", async () => {
    const s = await buyerSession();
    const other = await signIn(requestDeps(db, "buyer"), { email: s.email, password: GOOD_PASSWORD });
    const deps = sessionDeps(db, "buyer", { id: s.sessionId, userId: s.userId });
    await signOut(deps, {});
    await signOut(deps, {}); // twice is harmless
    expect(await resolveSession(requestDeps(db, "buyer"), { token: s.token })).toBeNull();
    expect(await resolveSession(requestDeps(db, "buyer"), { token: other.token })).not.toBeNull();
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "auth.sign_out").where("actor_user_id", "=", s.userId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ ip: deps.request.ip, organization_id: s.organizationId });
  });
});

describe("switchOrganization", () => {
  test("switches to another organisation of the user and audits it", async () => {
    const s = await buyerSession();
    const second = await addMembership(s.userId, "buyer", "Branch", "approver");
    const deps = sessionDeps(db, "buyer", { id: s.sessionId, userId: s.userId });
    await expect(switchOrganization(deps, { organizationId: second.toUpperCase() })).resolves.toEqual({ organizationId: second });
    const resolved = await resolveSession(requestDeps(db, "buyer"), { token: s.token });
    expect(resolved?.actor).toMatchObject({ organizationId: second, role: "approver" });
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "organization.switched").where("actor_user_id", "=", s.userId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ ip: deps.request.ip, target_id: second, data: { from: s.organizationId, to: second } });
  });

  test("an organisation the user is not in, or of another app's kind, is refused as NOT_FOUND and nothing changes", async () => {
    const s = await buyerSession();
    const stranger = await buyerSession();
    const sellerOrg = await addMembership(s.userId, "seller", "My Shop", "owner");
    const deps = sessionDeps(db, "buyer", { id: s.sessionId, userId: s.userId });
    for (const organizationId of [stranger.organizationId, sellerOrg, "5f0b8a52-4a8e-4c1e-9d7f-1b2c3d4e5f60"]) {
      expect((await domainErrorOf(switchOrganization(deps, { organizationId }))).code).toBe("NOT_FOUND");
    }
    expect((await domainErrorOf(switchOrganization(deps, { organizationId: "nope" }))).fieldErrors).toEqual({ organizationId: ["organizationId.invalid"] });
    const row = await db.selectFrom("sessions").select("active_organization_id").where("id", "=", s.sessionId).executeTakeFirstOrThrow();
    expect(row.active_organization_id).toBe(s.organizationId);
  });
});

describe("changePassword", () => {
  test("ends every other session (all apps), rotates the current one, and the new password works", async () => {
    const s = await buyerSession();
    const other = await signIn(requestDeps(db, "buyer"), { email: s.email, password: GOOD_PASSWORD });
    await addMembership(s.userId, "seller", "Also Seller", "owner");
    const sellerSession = await signIn(requestDeps(db, "seller"), { email: s.email, password: GOOD_PASSWORD });

    const deps = sessionDeps(db, "buyer", { id: s.sessionId, userId: s.userId });
    const fresh = await changePassword(deps, { currentPassword: GOOD_PASSWORD, newPassword: "a brand new passphrase" });

    expect(await resolveSession(requestDeps(db, "buyer"), { token: s.token })).toBeNull();
    expect(await resolveSession(requestDeps(db, "buyer"), { token: other.token })).toBeNull();
    expect(await resolveSession(requestDeps(db, "seller"), { token: sellerSession.token })).toBeNull();
    const resolved = await resolveSession(requestDeps(db, "buyer"), { token: fresh.token });
    expect(resolved?.actor?.organizationId).toBe(s.organizationId);

    expect((await domainErrorOf(signIn(requestDeps(db, "buyer"), { email: s.email, password: GOOD_PASSWORD }))).code).toBe("INVALID_CREDENTIALS");
    await expect(signIn(requestDeps(db, "buyer"), { email: s.email, password: "a brand new passphrase" })).resolves.toBeDefined();
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "auth.password_changed").where("actor_user_id", "=", s.userId).executeTakeFirstOrThrow();
    expect(audit.ip).toBe(deps.request.ip);
    const mail = await db.selectFrom("outbox").select("payload").where(sql<boolean>`payload->>'to' = ${s.email}`).executeTakeFirstOrThrow();
    expect(mail.payload).toMatchObject({ template: "auth.password_changed", userId: s.userId, params: { name: "Sofia" } });
    expect(renderEmail("auth.password_changed", "fr", (mail.payload as { params: unknown }).params).subject).toContain("mot de passe");
  });

  test("a wrong current password or a short new one changes nothing", async () => {
    const s = await buyerSession();
    const deps = sessionDeps(db, "buyer", { id: s.sessionId, userId: s.userId });
    const before = await db.selectFrom("users").select(["password_hash", "password_changed_at"]).where("id", "=", s.userId).executeTakeFirstOrThrow();

    const wrong = await domainErrorOf(changePassword(deps, { currentPassword: "not my password", newPassword: "another long passphrase" }));
    expect(wrong).toMatchObject({ code: "VALIDATION", fieldErrors: { currentPassword: ["password.incorrect"] } });
    const short = await domainErrorOf(changePassword(deps, { currentPassword: GOOD_PASSWORD, newPassword: "short" }));
    expect(short).toMatchObject({ code: "VALIDATION", fieldErrors: { newPassword: ["password.too_short"] } });

    const after = await db.selectFrom("users").select(["password_hash", "password_changed_at"]).where("id", "=", s.userId).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect(await db.selectFrom("outbox").select("id").where(sql<boolean>`payload->>'to' = ${s.email}`).execute()).toEqual([]);
    expect(await resolveSession(requestDeps(db, "buyer"), { token: s.token })).not.toBeNull();
  });
});
