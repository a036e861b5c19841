import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { resolveSession } from "./resolve-session";
import { signUp } from "./sign-up";
import { domainErrorOf, GOOD_PASSWORD, requestDeps, rowCounts, uniqueEmail } from "./test-support";

const { db } = await createTestDatabase();

function validInput(overrides: Record<string, unknown> = {}) {
  return { organizationName: "Acme SARL", name: "Ana Lopes", email: uniqueEmail("signup"), password: GOOD_PASSWORD, ...overrides };
}

describe("signUp", () => {
  test("a buyer organisation is active at once, its founder is admin, the session works in the buyer app", async () => {
    const deps = requestDeps(db, "buyer");
    const email = uniqueEmail("Buyer");
    const result = await signUp(deps, validInput({ organizationName: "  Atlas  ", name: "  Nadia  ", email: `  ${email.toUpperCase()} ` }));

    const org = await db.selectFrom("organizations").selectAll().where("id", "=", result.organizationId).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ kind: "buyer", status: "active", name: "Atlas" });
    const user = await db.selectFrom("users").selectAll().where("id", "=", result.userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email: email.toLowerCase(), name: "Nadia" });
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const membership = await db.selectFrom("memberships").selectAll().where("user_id", "=", result.userId).executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ organization_id: result.organizationId, role: "admin" });

    const resolved = await resolveSession(requestDeps(db, "buyer"), { token: result.token });
    expect(resolved?.actor).toMatchObject({ organizationId: result.organizationId, role: "admin", organizationStatus: "active" });
    expect(result.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);

    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "auth.sign_up").where("actor_user_id", "=", result.userId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ organization_id: result.organizationId, ip: deps.request.ip });
  });

  test("a seller organisation starts pending and its founder is owner", async () => {
    const result = await signUp(requestDeps(db, "seller"), validInput());
    const org = await db.selectFrom("organizations").selectAll().where("id", "=", result.organizationId).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ kind: "seller", status: "pending" });
    const membership = await db.selectFrom("memberships").select("role").where("user_id", "=", result.userId).executeTakeFirstOrThrow();
    expect(membership.role).toBe("owner");
  });

  test("nobody signs up as an operator", async () => {
    const before = await rowCounts(db);
    const error = await domainErrorOf(signUp(requestDeps(db, "operator"), validInput()));
    expect(error.code).toBe("FORBIDDEN");
    expect(await rowCounts(db)).toEqual(before);
  });

  test.each([
    ["a bad e-mail", { email: "not-an-email" }, { email: ["email.invalid"] }],
    ["a missing e-mail", { email: "   " }, { email: ["email.required"] }],
    ["a short password", { password: "elevenchars" }, { password: ["password.too_short"] }],
    ["an over-long password", { password: "x".repeat(257) }, { password: ["password.too_long"] }],
    ["an empty organisation name", { organizationName: "   " }, { organizationName: ["organizationName.required"] }],
    ["a missing name", { name: undefined }, { name: ["name.required"] }],
    ["an unknown locale", { locale: "de" }, { locale: ["locale.invalid"] }],
  ])("%s gives a field error and writes no row", async (_label, overrides, fieldErrors) => {
    const before = await rowCounts(db);
    const error = await domainErrorOf(signUp(requestDeps(db, "buyer"), validInput(overrides)));
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual(fieldErrors);
    expect(await rowCounts(db)).toEqual(before);
  });

  test("every invalid field is reported at once", async () => {
    const error = await domainErrorOf(signUp(requestDeps(db, "seller"), { email: "x", password: "short", organizationName: "" }));
    expect(error.fieldErrors).toEqual({
      organizationName: ["organizationName.required"],
      name: ["name.required"],
      email: ["email.invalid"],
      password: ["password.too_short"],
    });
  });

  test("input that is not an object is a validation error, not a crash", async () => {
    const error = await domainErrorOf(signUp(requestDeps(db, "buyer"), "nonsense"));
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({ _form: ["form.invalid"] });
  });

  test("a 12-character password of any characters is enough (no composition rules)", async () => {
    await expect(signUp(requestDeps(db, "buyer"), validInput({ password: "aaaaaaaaaaaa" }))).resolves.toBeDefined();
    // Code points, not UTF-16 units: 11 emoji are 22 units but still too short.
    const error = await domainErrorOf(signUp(requestDeps(db, "buyer"), validInput({ password: "🔑".repeat(11) })));
    expect(error.fieldErrors).toEqual({ password: ["password.too_short"] });
  });

  test("a duplicate e-mail (any case) gives email.taken and writes no organisation, user, membership or audit row", async () => {
    const email = uniqueEmail("dup");
    await signUp(requestDeps(db, "buyer"), validInput({ email }));
    const before = await rowCounts(db);

    for (const app of ["buyer", "seller"] as const) {
      const error = await domainErrorOf(signUp(requestDeps(db, app), validInput({ email: ` ${email.toUpperCase()}` })));
      expect(error.code).toBe("VALIDATION");
      expect(error.fieldErrors).toEqual({ email: ["email.taken"] });
    }
    expect(await rowCounts(db)).toEqual(before);
  });

  test("two concurrent sign-ups with one e-mail leave one account", async () => {
    const email = uniqueEmail("race");
    const before = await rowCounts(db);
    const results = await Promise.allSettled([
      signUp(requestDeps(db, "buyer"), validInput({ email, organizationName: "Race A" })),
      signUp(requestDeps(db, "buyer"), validInput({ email, organizationName: "Race B" })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: "VALIDATION", fieldErrors: { email: ["email.taken"] } });
    const after = await rowCounts(db);
    expect(after.organizations - before.organizations).toBe(1);
    expect(after.users - before.users).toBe(1);
  });
});
