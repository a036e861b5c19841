import { describe, expect, test } from "vitest";
import { sql } from "kysely";
import { createTestDatabase } from "@souk/testing";
import { renderEmail } from "../notifications/templates";
import { acceptInvitation } from "./accept-invitation";
import { getInvitation } from "./get-invitation";
import { inviteMember } from "./invite-member";
import { listMembers } from "./list-members";
import { resolveSession } from "./resolve-session";
import { signUp } from "./sign-up";
import { actorDeps, domainErrorOf, GOOD_PASSWORD, requestDeps, rowCounts, sessionDeps, uniqueEmail } from "./test-support";

const { db } = await createTestDatabase();

async function organization(kind: "buyer" | "seller" = "buyer") {
  const email = uniqueEmail(`${kind}-admin`);
  const created = await signUp(requestDeps(db, kind), { organizationName: `${kind} org ${email}`, name: "Founder", email, password: GOOD_PASSWORD });
  const role = kind === "buyer" ? "admin" : "owner";
  const deps = actorDeps(db, { userId: created.userId, organizationId: created.organizationId, kind, role });
  return { email, ...created, deps };
}

/** The token travels only inside the e-mail: read it back from the outbox row, as the mailer would. */
async function lastInvitationToken(to: string): Promise<string> {
  const row = await db
    .selectFrom("outbox")
    .select("payload")
    .where("topic", "=", "notification.email")
    .where(sql<boolean>`payload->>'to' = ${to}`)
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  const payload = row.payload as { params: { acceptUrl: string } };
  return payload.params.acceptUrl.split("/").at(-1) ?? "";
}

describe("inviteMember", () => {
  test("stores only the token's hash, queues the e-mail with the accept link, audits, and lists the invitation", async () => {
    const org = await organization();
    const email = uniqueEmail("Invitee");
    const result = await inviteMember(org.deps, { email: ` ${email.toUpperCase()} `, role: "purchaser" });
    expect(result).toMatchObject({ email, role: "purchaser" });
    expect(result.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);

    const outbox = await db.selectFrom("outbox").selectAll().where(sql<boolean>`payload->>'to' = ${email}`).executeTakeFirstOrThrow();
    expect(outbox.topic).toBe("notification.email");
    const payload = outbox.payload as { template: string; locale: string; organizationId: string; params: Record<string, string> };
    expect(payload).toMatchObject({ template: "member.invited", locale: "en", organizationId: org.organizationId });
    expect(payload.params.acceptUrl).toMatch(/^http:\/\/buyer\.test\/invitations\/[a-z2-7]{32}$/);
    expect(result.acceptUrl).toBe(payload.params.acceptUrl);
    expect(payload.params).toMatchObject({ role: "purchaser", inviterName: "Founder" });
    // The worker renders what we queue: the parameters must satisfy the template in both languages.
    expect(renderEmail(payload.template, "en", payload.params).text).toContain(payload.params.acceptUrl);
    expect(renderEmail(payload.template, "fr", payload.params).subject).toContain("vous invite");

    const token = await lastInvitationToken(email);
    const row = await db.selectFrom("invitations").selectAll().where("id", "=", result.invitationId).executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(token);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "member.invited").where("target_id", "=", result.invitationId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: org.userId, organization_id: org.organizationId, ip: org.deps.request.ip, data: { email, role: "purchaser" } });

    const list = await listMembers(org.deps, {});
    expect(list.invitations).toEqual([expect.objectContaining({ invitationId: result.invitationId, email, role: "purchaser", invitedByName: "Founder" })]);
    expect(list.members).toEqual([expect.objectContaining({ userId: org.userId, role: "admin", isSelf: true })]);
  });

  test("a purchaser cannot invite (FORBIDDEN) and nothing is written", async () => {
    const org = await organization();
    const purchaser = actorDeps(db, { userId: org.userId, organizationId: org.organizationId, kind: "buyer", role: "purchaser" });
    const before = await rowCounts(db);
    expect((await domainErrorOf(inviteMember(purchaser, { email: uniqueEmail(), role: "viewer" }))).code).toBe("FORBIDDEN");
    expect(await rowCounts(db)).toEqual(before);
  });

  test("a role of another kind of organisation, a bad e-mail or an existing member is a field error and writes nothing", async () => {
    const org = await organization();
    const before = await rowCounts(db);
    expect((await domainErrorOf(inviteMember(org.deps, { email: uniqueEmail(), role: "owner" }))).fieldErrors).toEqual({ role: ["role.invalid"] });
    expect((await domainErrorOf(inviteMember(org.deps, { email: uniqueEmail() }))).fieldErrors).toEqual({ role: ["role.required"] });
    expect((await domainErrorOf(inviteMember(org.deps, { email: "x@", role: "sales" }))).fieldErrors).toEqual({
      email: ["email.invalid"],
      role: ["role.invalid"],
    });
    expect((await domainErrorOf(inviteMember(org.deps, { email: org.email.toUpperCase(), role: "viewer" }))).fieldErrors).toEqual({
      email: ["email.already_member"],
    });
    expect(await rowCounts(db)).toEqual(before);
  });
});

describe("getInvitation and acceptInvitation", () => {
  test("a new e-mail: the page shows the invitation; bad account fields write nothing; accepting creates the user, the membership and a session", async () => {
    const org = await organization();
    const email = uniqueEmail("newbie");
    await inviteMember(org.deps, { email, role: "approver" });
    const token = await lastInvitationToken(email);

    await expect(getInvitation(requestDeps(db, "buyer"), { token })).resolves.toMatchObject({
      organizationName: `buyer org ${org.email}`,
      organizationKind: "buyer",
      role: "approver",
      email,
      hasAccount: false,
    });

    const before = await rowCounts(db);
    const bad = await domainErrorOf(acceptInvitation(requestDeps(db, "buyer"), { token, name: " ", password: "short" }));
    expect(bad).toMatchObject({ code: "VALIDATION", fieldErrors: { name: ["name.required"], password: ["password.too_short"] } });
    expect(await rowCounts(db)).toEqual(before);

    const deps = requestDeps(db, "buyer");
    const joined = await acceptInvitation(deps, { token, name: " Amina ", password: GOOD_PASSWORD, locale: "fr" });
    expect(joined).toMatchObject({ organizationId: org.organizationId, role: "approver" });
    const user = await db.selectFrom("users").selectAll().where("id", "=", joined.userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email, name: "Amina", locale: "fr" });
    const session = await resolveSession(requestDeps(db, "buyer"), { token: joined.token });
    expect(session?.actor).toMatchObject({ organizationId: org.organizationId, role: "approver" });
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "member.joined").where("actor_user_id", "=", joined.userId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ organization_id: org.organizationId, target_id: joined.membershipId, ip: deps.request.ip });

    // Used once: a second accept (or a look at the page) is refused.
    const again = await domainErrorOf(acceptInvitation(requestDeps(db, "buyer"), { token, name: "Eve", password: GOOD_PASSWORD }));
    expect(again).toMatchObject({ code: "INVITATION_INVALID", message: "invitation.used", status: 410 });
    expect((await domainErrorOf(getInvitation(requestDeps(db, "buyer"), { token }))).message).toBe("invitation.used");
    const list = await listMembers(org.deps, {});
    expect(list.invitations).toEqual([]);
    expect(list.members.map((m) => m.email).sort()).toEqual([org.email, email].sort());
  });

  test("an existing account proves itself with its password, or by being signed in; it keeps its other organisations", async () => {
    const org = await organization();
    const other = await organization();
    await inviteMember(org.deps, { email: other.email, role: "viewer" });
    const token = await lastInvitationToken(other.email);
    expect((await getInvitation(requestDeps(db, "buyer"), { token })).hasAccount).toBe(true);

    expect((await domainErrorOf(acceptInvitation(requestDeps(db, "buyer"), { token }))).fieldErrors).toEqual({ password: ["password.required"] });
    const wrong = await domainErrorOf(acceptInvitation(requestDeps(db, "buyer"), { token, password: "not the password" }));
    expect(wrong).toMatchObject({ code: "INVALID_CREDENTIALS", message: "auth.invalid_credentials" });
    // Signed in as somebody else is no proof either.
    const someoneElse = sessionDeps(db, "buyer", { id: "x", userId: org.userId });
    expect((await domainErrorOf(acceptInvitation(someoneElse, { token }))).fieldErrors).toEqual({ password: ["password.required"] });

    const joined = await acceptInvitation(requestDeps(db, "buyer"), { token, password: GOOD_PASSWORD });
    expect(joined).toMatchObject({ userId: other.userId, organizationId: org.organizationId, role: "viewer" });
    const resolved = await resolveSession(requestDeps(db, "buyer"), { token: joined.token });
    expect(resolved?.organizations.map((o) => o.id).sort()).toEqual([org.organizationId, other.organizationId].sort());
    expect(resolved?.actor?.organizationId).toBe(org.organizationId);
  });

  test("a signed-in invitee accepts without a password and its session is replaced by one on the new organisation", async () => {
    const org = await organization();
    const other = await organization();
    const current = await resolveSession(requestDeps(db, "buyer"), { token: other.token });
    await inviteMember(org.deps, { email: other.email, role: "purchaser" });
    const token = await lastInvitationToken(other.email);

    const joined = await acceptInvitation(sessionDeps(db, "buyer", { id: current?.sessionId ?? "", userId: other.userId }), { token });
    expect(joined.userId).toBe(other.userId);
    expect(await resolveSession(requestDeps(db, "buyer"), { token: other.token })).toBeNull();
    expect((await resolveSession(requestDeps(db, "buyer"), { token: joined.token }))?.actor).toMatchObject({ organizationId: org.organizationId, role: "purchaser" });
  });

  test("expired, revoked and unknown invitations are refused and change nothing", async () => {
    const org = await organization();
    const expiredEmail = uniqueEmail("expired");
    const expired = await inviteMember(org.deps, { email: expiredEmail, role: "viewer" });
    const expiredToken = await lastInvitationToken(expiredEmail);
    await db.updateTable("invitations").set({ expires_at: sql<Date>`now() - interval '1 second'` }).where("id", "=", expired.invitationId).execute();

    const revokedEmail = uniqueEmail("revoked");
    await inviteMember(org.deps, { email: revokedEmail, role: "viewer" });
    const revokedToken = await lastInvitationToken(revokedEmail);
    // Inviting the same address again replaces the first invitation.
    await inviteMember(org.deps, { email: revokedEmail, role: "purchaser" });
    const currentToken = await lastInvitationToken(revokedEmail);

    const before = await rowCounts(db);
    const attempt = (token: string) => acceptInvitation(requestDeps(db, "buyer"), { token, name: "Late", password: GOOD_PASSWORD });
    expect(await domainErrorOf(attempt(expiredToken))).toMatchObject({ code: "INVITATION_INVALID", message: "invitation.expired" });
    expect(await domainErrorOf(attempt(revokedToken))).toMatchObject({ code: "INVITATION_INVALID", message: "invitation.revoked" });
    expect(await domainErrorOf(attempt("abcdefghijklmnopqrstuvwxyz234567"))).toMatchObject({ code: "INVITATION_INVALID", message: "invitation.invalid" });
    expect(await domainErrorOf(getInvitation(requestDeps(db, "buyer"), { token: expiredToken }))).toMatchObject({ message: "invitation.expired" });
    expect(await rowCounts(db)).toEqual(before);

    await expect(attempt(currentToken)).resolves.toMatchObject({ role: "purchaser" });
  });

  test("the link only works in the organisation's own app", async () => {
    const org = await organization("seller");
    const email = uniqueEmail("sales");
    await inviteMember(org.deps, { email, role: "sales" });
    const token = await lastInvitationToken(email);
    const error = await domainErrorOf(acceptInvitation(requestDeps(db, "buyer"), { token, name: "Sal", password: GOOD_PASSWORD }));
    expect(error).toMatchObject({ code: "INVITATION_INVALID", message: "invitation.wrong_app" });
    const joined = await acceptInvitation(requestDeps(db, "seller"), { token, name: "Sal", password: GOOD_PASSWORD });
    expect(joined.role).toBe("sales");
  });

  test("two concurrent accepts of one invitation: one joins, the other is told it is used", async () => {
    const org = await organization();
    const email = uniqueEmail("double");
    await inviteMember(org.deps, { email, role: "viewer" });
    const token = await lastInvitationToken(email);
    const other = await organization();
    await inviteMember(org.deps, { email: other.email, role: "viewer" });
    const existingToken = await lastInvitationToken(other.email);

    for (const [t, input] of [
      [token, { name: "Twin", password: GOOD_PASSWORD }],
      [existingToken, { password: GOOD_PASSWORD }],
    ] as const) {
      const results = await Promise.allSettled([
        acceptInvitation(requestDeps(db, "buyer"), { token: t, ...input }),
        acceptInvitation(requestDeps(db, "buyer"), { token: t, ...input }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(failure?.reason).toMatchObject({ code: expect.stringMatching(/INVITATION_INVALID|VALIDATION/) });
    }
    const members = await db.selectFrom("memberships").select("user_id").where("organization_id", "=", org.organizationId).execute();
    expect(members).toHaveLength(3);
  });
});
