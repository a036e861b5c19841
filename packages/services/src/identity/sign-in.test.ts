import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { resolveSession } from "./resolve-session";
import { signIn } from "./sign-in";
import { signUp } from "./sign-up";
import { domainErrorOf, GOOD_PASSWORD, nextIp, requestDeps, uniqueEmail } from "./test-support";

const { db } = await createTestDatabase();

async function buyer(password = GOOD_PASSWORD) {
  const email = uniqueEmail("signin");
  const created = await signUp(requestDeps(db, "buyer"), { organizationName: "Sign-in SA", name: "Sam", email, password });
  return { email, ...created };
}

describe("signIn", () => {
  test("the right password opens a session of the requesting app on the user's organisation", async () => {
    const { email, organizationId, userId } = await buyer();
    const deps = requestDeps(db, "buyer");
    const result = await signIn(deps, { email: ` ${email.toUpperCase()} `, password: GOOD_PASSWORD });
    expect(result.organizationId).toBe(organizationId);
    const session = await db.selectFrom("sessions").selectAll().where("user_id", "=", userId).where("ip", "=", deps.request.ip).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ app: "buyer", active_organization_id: organizationId, user_agent: "vitest" });
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "auth.sign_in").where("actor_user_id", "=", userId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ ip: deps.request.ip, organization_id: organizationId });
  });

  test("wrong password, unknown e-mail, wrong app and throttled sign-in all give the same error and message", async () => {
    const { email } = await buyer();
    const wrongPassword = await domainErrorOf(signIn(requestDeps(db, "buyer"), { email, password: "not the password" }));
    const unknownEmail = await domainErrorOf(signIn(requestDeps(db, "buyer"), { email: uniqueEmail("ghost"), password: GOOD_PASSWORD }));
    const wrongApp = await domainErrorOf(signIn(requestDeps(db, "seller"), { email, password: GOOD_PASSWORD }));

    const locked = await buyer();
    for (let i = 0; i < 5; i += 1) await domainErrorOf(signIn(requestDeps(db, "buyer"), { email: locked.email, password: "wrong wrong wrong" }));
    const throttled = await domainErrorOf(signIn(requestDeps(db, "buyer"), { email: locked.email, password: GOOD_PASSWORD }));

    for (const error of [wrongPassword, unknownEmail, wrongApp, throttled]) {
      expect(error.code).toBe("INVALID_CREDENTIALS");
      expect(error.message).toBe("auth.invalid_credentials");
      expect(error.fieldErrors).toEqual({});
      expect(error.status).toBe(401);
    }
  });

  test("after 5 failures even the right password is refused, from any address, and no session is created", async () => {
    const { email, userId } = await buyer();
    for (let i = 0; i < 5; i += 1) {
      await domainErrorOf(signIn(requestDeps(db, "buyer"), { email, password: `guess number ${i}` }));
    }
    const sessionsBefore = await db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute();
    const error = await domainErrorOf(signIn(requestDeps(db, "buyer", nextIp()), { email, password: GOOD_PASSWORD }));
    expect(error.code).toBe("INVALID_CREDENTIALS");
    const sessionsAfter = await db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute();
    expect(sessionsAfter).toHaveLength(sessionsBefore.length);

    const failures = await db.selectFrom("audit_log").select(["data", "actor_user_id", "ip"]).where("action", "=", "auth.sign_in_failed").execute();
    const mine = failures.filter((f) => (f.data as { email: string }).email === email);
    expect(mine).toHaveLength(6);
    expect(mine.every((f) => f.actor_user_id === null && f.ip !== null)).toBe(true);
    expect(mine.map((f) => (f.data as { reason: string }).reason).at(-1)).toBe("throttled");
  });

  test("a burst of parallel guesses cannot outrun the throttle: at most 5 passwords are ever checked", async () => {
    const { email, userId } = await buyer();
    const guesses = Array.from({ length: 30 }, (_, i) => signIn(requestDeps(db, "buyer"), { email, password: `guess number ${i}` }));
    const results = await Promise.allSettled(guesses);
    expect(results.every((r) => r.status === "rejected")).toBe(true);

    const reasons = await db
      .selectFrom("audit_log")
      .select((eb) => eb.ref("data", "->>").key("reason" as never).as("reason"))
      .where("action", "=", "auth.sign_in_failed")
      .where(sql<boolean>`data->>'email' = ${email}`)
      .execute();
    const counts = reasons.reduce<Record<string, number>>((acc, r) => ({ ...acc, [String(r.reason)]: (acc[String(r.reason)] ?? 0) + 1 }), {});
    expect(counts).toEqual({ wrong_password: 5, throttled: 25 });

    // The burst locked the account: the right password now waits too.
    const late = await domainErrorOf(signIn(requestDeps(db, "buyer"), { email, password: GOOD_PASSWORD }));
    expect(late.code).toBe("INVALID_CREDENTIALS");
    expect(await db.selectFrom("sessions").select("id").where("user_id", "=", userId).where("user_agent", "=", "vitest").execute()).toHaveLength(1);
  });

  test("4 failures then the right password succeeds and clears the account counter", async () => {
    const { email } = await buyer();
    for (let i = 0; i < 4; i += 1) await domainErrorOf(signIn(requestDeps(db, "buyer"), { email, password: "nope nope nope" }));
    await expect(signIn(requestDeps(db, "buyer"), { email, password: GOOD_PASSWORD })).resolves.toMatchObject({ token: expect.any(String) });
    const row = await db.selectFrom("sign_in_throttle").selectAll().where("key", "=", `account:${email}`).executeTakeFirst();
    expect(row).toBeUndefined();
  });

  test("an unknown e-mail costs a password verification too (no fast path that reveals who has an account)", async () => {
    const { email } = await buyer();
    const time = async (address: string) => {
      const start = performance.now();
      await domainErrorOf(signIn(requestDeps(db, "buyer"), { email: address, password: "some wrong password" }));
      return performance.now() - start;
    };
    // Interleaved samples and medians: one sample alone is at the mercy of whatever else the
    // machine runs (CI runs test files in parallel). Three per side stays under the account limit (5).
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      known.push(await time(email));
      unknown.push(await time(uniqueEmail("nobody")));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? 0;
    // argon2id at OWASP parameters takes tens of milliseconds; skipping it would be a few ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  test("a seller account cannot sign in to the buyer app, and a buyer cannot sign in to the seller app", async () => {
    const sellerEmail = uniqueEmail("seller");
    await signUp(requestDeps(db, "seller"), { organizationName: "Vendor", name: "Vi", email: sellerEmail, password: GOOD_PASSWORD });
    expect((await domainErrorOf(signIn(requestDeps(db, "buyer"), { email: sellerEmail, password: GOOD_PASSWORD }))).code).toBe("INVALID_CREDENTIALS");
    const { email } = await buyer();
    expect((await domainErrorOf(signIn(requestDeps(db, "seller"), { email, password: GOOD_PASSWORD }))).code).toBe("INVALID_CREDENTIALS");
  });

  test("a seller whose organisation is pending may sign in to the seller app (to follow its application)", async () => {
    const email = uniqueEmail("pending");
    const { organizationId } = await signUp(requestDeps(db, "seller"), { organizationName: "Pending Co", name: "Pat", email, password: GOOD_PASSWORD });
    const result = await signIn(requestDeps(db, "seller"), { email, password: GOOD_PASSWORD });
    expect(result.organizationId).toBe(organizationId);
    const resolved = await resolveSession(requestDeps(db, "seller"), { token: result.token });
    expect(resolved?.actor).toMatchObject({ organizationKind: "seller", organizationStatus: "pending", role: "owner" });
  });

  test("a buyer-app session is refused by the seller and operator apps", async () => {
    const { email } = await buyer();
    const { token } = await signIn(requestDeps(db, "buyer"), { email, password: GOOD_PASSWORD });
    expect(await resolveSession(requestDeps(db, "seller"), { token })).toBeNull();
    expect(await resolveSession(requestDeps(db, "operator"), { token })).toBeNull();
    expect(await resolveSession(requestDeps(db, "buyer"), { token })).not.toBeNull();
  });

  test("blank fields are field errors (nothing to compare yet)", async () => {
    const error = await domainErrorOf(signIn(requestDeps(db, "buyer"), { email: "", password: "" }));
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({ email: ["email.required"], password: ["password.required"] });
  });
});
