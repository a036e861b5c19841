import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { createOperator } from "./create-operator";
import { resolveSession } from "./resolve-session";
import { signIn } from "./sign-in";
import { domainErrorOf, GOOD_PASSWORD, requestDeps, rowCounts, TEST_URLS, uniqueEmail } from "./test-support";

const { db } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };

describe("createOperator", () => {
  test("creates the operator organisation once and a membership per operator; they sign in to the operator app only", async () => {
    const email = uniqueEmail("op-admin");
    const first = await createOperator(deps, { email, name: "Olga", password: GOOD_PASSWORD, role: "admin" });
    const second = await createOperator(deps, { email: uniqueEmail("op-finance"), name: "Farid", password: GOOD_PASSWORD, role: "finance" });
    expect(second.organizationId).toBe(first.organizationId);

    const org = await db.selectFrom("organizations").selectAll().where("id", "=", first.organizationId).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ kind: "operator", status: "active", name: "Souk Operations" });
    const membership = await db.selectFrom("memberships").selectAll().where("id", "=", first.membershipId).executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ organization_id: org.id, user_id: first.userId, role: "admin" });
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "operator.created").where("target_id", "=", first.userId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ organization_id: org.id, actor_user_id: null });

    const session = await signIn(requestDeps(db, "operator"), { email, password: GOOD_PASSWORD });
    expect((await resolveSession(requestDeps(db, "operator"), { token: session.token }))?.actor).toMatchObject({ organizationKind: "operator", role: "admin" });
    expect((await domainErrorOf(signIn(requestDeps(db, "buyer"), { email, password: GOOD_PASSWORD }))).code).toBe("INVALID_CREDENTIALS");
  });

  test("bad input and a taken e-mail write nothing", async () => {
    const email = uniqueEmail("op");
    await createOperator(deps, { email, name: "Oscar", password: GOOD_PASSWORD, role: "moderator" });
    const before = await rowCounts(db);
    expect((await domainErrorOf(createOperator(deps, { email, name: "Again", password: GOOD_PASSWORD, role: "admin" }))).fieldErrors).toEqual({ email: ["email.taken"] });
    expect((await domainErrorOf(createOperator(deps, { email: uniqueEmail(), name: "X", password: GOOD_PASSWORD, role: "owner" }))).fieldErrors).toEqual({ role: ["role.invalid"] });
    expect((await domainErrorOf(createOperator(deps, { email: uniqueEmail(), name: "", password: "short", role: "admin" }))).fieldErrors).toEqual({
      name: ["name.required"],
      password: ["password.too_short"],
    });
    expect((await domainErrorOf(createOperator(deps, { email: uniqueEmail(), name: "New Org", password: GOOD_PASSWORD, role: "admin", organizationName: "x".repeat(201) }))).fieldErrors).toEqual({
      organizationName: ["organizationName.too_long"],
    });
    expect(await rowCounts(db)).toEqual(before);
  });
});
