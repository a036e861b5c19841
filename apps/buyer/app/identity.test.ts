import { createSession } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { translate } from "@souk/ui";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { call, describeAppServer, request, sessionCookieFrom, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices, guards } = await import("./services.server");
const { requireActor, requireUser } = guards;
const signUp = await import("./routes/sign-up");
const signIn = await import("./routes/sign-in");
const signOut = await import("./routes/sign-out");
const members = await import("./routes/members");
const removeMember = await import("./routes/members_.$membershipId.remove");
const account = await import("./routes/account");
const invitation = await import("./routes/invitations.$token");
const switchOrganization = await import("./routes/organizations.switch");
const language = await import("./routes/language");
const root = await import("./root");

afterAll(() => closeServices());

const { db } = testDb;
const PASSWORD = "a long enough passphrase";

async function rowCounts() {
  const [orgs, users, memberships, sessions] = await Promise.all(
    (["organizations", "users", "memberships", "sessions"] as const).map((t) =>
      db.selectFrom(t).select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    ),
  );
  return { orgs: orgs?.n, users: users?.n, memberships: memberships?.n, sessions: sessions?.n };
}

async function signUpBuyer(email: string) {
  const result = await call(signUp.action, request("/sign-up", { form: { organizationName: `Org of ${email}`, name: "Ada Buyer", email, password: PASSWORD } }));
  expect(result.status).toBe(302);
  const cookie = sessionCookieFrom(result);
  expect(cookie).toMatch(/^souk_buyer_session=/);
  return cookie as string;
}

describe("sign-up", () => {
  it("rejects invalid input with translated field errors, keeps the typed values but not the password, and writes nothing", async () => {
    const before = await rowCounts();
    const result = await call(signUp.action, request("/sign-up", { form: { organizationName: "  ", name: "Ada", email: "not-an-email", password: "short" } }));
    expect(result.status).toBe(422);
    const failure = result.data as Failure;
    expect(failure.fieldErrors).toEqual({
      organizationName: [translate("en", "organizationName.required")],
      email: [translate("en", "email.invalid")],
      password: [translate("en", "password.too_short")],
    });
    expect(failure.values).toMatchObject({ name: "Ada", email: "not-an-email" });
    expect(failure.values).not.toHaveProperty("password");
    expect(result.headers.getSetCookie()).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });

  it("answers in French when the browser asks for it", async () => {
    const result = await call(signUp.action, request("/sign-up", { form: { organizationName: "Acme", name: "Ada", email: "x", password: PASSWORD }, acceptLanguage: "fr-FR,fr;q=0.9,en;q=0.5" }));
    expect(result.status).toBe(422);
    expect((result.data as Failure).fieldErrors.email).toEqual([translate("fr", "email.invalid")]);
  });

  it("refuses a duplicate e-mail with a field error and writes no second organisation", async () => {
    await signUpBuyer("dup@example.test");
    const before = await rowCounts();
    const result = await call(signUp.action, request("/sign-up", { form: { organizationName: "Other Co", name: "Eve", email: "DUP@example.test", password: PASSWORD } }));
    expect(result.status).toBe(422);
    expect((result.data as Failure).fieldErrors.email).toEqual([translate("en", "email.taken")]);
    expect(await rowCounts()).toEqual(before);
  });

  it("creates an active buyer organisation and signs the founder in", async () => {
    const cookie = await signUpBuyer("founder@example.test");
    const { session, actor } = await requireActor(request("/", { cookie }));
    expect(session.user.email).toBe("founder@example.test");
    expect(actor).toMatchObject({ organizationKind: "buyer", organizationStatus: "active", role: "admin" });
  });
});

describe("sign-in", () => {
  it("gives the same answer for a wrong password, an unknown e-mail and a throttled account, even with the right password", async () => {
    await signUpBuyer("throttled@example.test");
    const attempt = (email: string, password: string) => call(signIn.action, request("/sign-in", { form: { email, password } }));
    const wrong = await attempt("throttled@example.test", "wrong password, long enough");
    const unknown = await attempt("nobody@example.test", PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.data).toEqual({ ...(wrong.data as Failure), values: { email: "nobody@example.test" } });
    expect((wrong.data as Failure).formError).toBe(translate("en", "auth.invalid_credentials"));

    for (let i = 0; i < 10; i++) await attempt("throttled@example.test", "wrong password, long enough");
    const throttled = await attempt("throttled@example.test", PASSWORD);
    expect(throttled.status).toBe(wrong.status);
    expect(throttled.data).toEqual(wrong.data);
    expect(sessionCookieFrom(throttled)).toBeNull();
  });

  it("signs in and goes back to the page asked for, never to another site", async () => {
    await signUpBuyer("back@example.test");
    const ok = await call(signIn.action, request("/sign-in", { form: { email: "back@example.test", password: PASSWORD, redirectTo: "/members" } }));
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/members");
    const evil = await call(signIn.action, request("/sign-in", { form: { email: "back@example.test", password: PASSWORD, redirectTo: "//evil.example/x" } }));
    expect(evil.location).toBe("/");
  });
});

describe("guards", () => {
  it("sends a visitor without a session to sign-in, coming back to the page", async () => {
    const result = await call(members.loader, request("/members?tab=1"));
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/sign-in?redirectTo=${encodeURIComponent("/members?tab=1")}`);
  });

  it("refuses a session once signed out", async () => {
    const cookie = await signUpBuyer("signout@example.test");
    expect((await call(members.loader, request("/members", { cookie }))).status).toBe(200);
    const out = await call(signOut.action, request("/sign-out", { method: "POST", cookie }));
    expect(out.location).toBe("/sign-in");
    expect(out.headers.getSetCookie().some((c) => c.startsWith("souk_buyer_session=;") && c.includes("Max-Age=0"))).toBe(true);
    const again = await call(members.loader, request("/members", { cookie }));
    expect(again.status).toBe(302);
    expect(again.location).toMatch(/^\/sign-in/);
  });

  it("refuses an expired session", async () => {
    const cookie = await signUpBuyer("expired@example.test");
    const user = await db.selectFrom("users").select("id").where("email", "=", "expired@example.test").executeTakeFirstOrThrow();
    await db.updateTable("sessions").set({ expires_at: new Date(Date.now() - 1000) }).where("user_id", "=", user.id).execute();
    await expect(requireUser(request("/", { cookie }))).rejects.toSatisfy((r) => r instanceof Response && r.status === 302);
  });

  it("refuses a session of the seller or operator app, whatever cookie name carries it", async () => {
    await signUpBuyer("multi@example.test");
    const user = await db.selectFrom("users").select("id").where("email", "=", "multi@example.test").executeTakeFirstOrThrow();
    for (const app of ["seller", "operator"] as const) {
      const { token } = await createSession(db, { userId: user.id, app, activeOrganizationId: null, ip: null, userAgent: null });
      for (const cookie of [`souk_${app}_session=${token}`, `souk_buyer_session=${token}`]) {
        const result = await call(members.loader, request("/members", { cookie }));
        expect(result.status, `${app} token as ${cookie.split("=")[0]}`).toBe(302);
        expect(result.location).toMatch(/^\/sign-in/);
      }
    }
  });

  it("answers 403 when the role lacks the permission", async () => {
    const adminCookie = await signUpBuyer("admin@example.test");
    const { actor } = await requireActor(request("/", { cookie: adminCookie }));
    const viewer = await db.insertInto("users").values({ email: "viewer@example.test", name: "Vi Ewer", password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ organization_id: actor.organizationId, user_id: viewer.id, role: "viewer" }).execute();
    const { token } = await createSession(db, { userId: viewer.id, app: "buyer", activeOrganizationId: actor.organizationId, ip: null, userAgent: null });
    const cookie = `souk_buyer_session=${token}`;
    expect((await call(members.loader, request("/members", { cookie }))).status).toBe(200);
    expect((await call(({ request: r }) => requireActor(r, "manage:members:org"), request("/members", { cookie }))).status).toBe(403);
    const invite = await call(members.action, request("/members", { cookie, form: { intent: "invite", email: "new@example.test", role: "viewer" } }));
    expect(invite.status).toBe(403);
    expect(await db.selectFrom("invitations").select("id").where("email", "=", "new@example.test").execute()).toEqual([]);
  });
});

describe("members, organisations and account", () => {
  it("lets a signed-in user accept an invitation to a second organisation and switch between the two", async () => {
    const alice = await signUpBuyer("alice@example.test");
    const bob = await signUpBuyer("bob@example.test");
    const invited = await call(members.action, request("/members", { cookie: bob, form: { intent: "invite", email: "alice@example.test", role: "approver" } }));
    const url = (invited.data as { invitation: { url: string } }).invitation.url;
    const token = url.split("/").pop() as string;

    const page = await call(invitation.loader, request(`/invitations/${token}`, { cookie: alice }), { token });
    expect(page.data).toMatchObject({ invitation: { hasAccount: true, role: "approver" }, signedInEmail: "alice@example.test" });
    const accepted = await call(invitation.action, request(`/invitations/${token}`, { cookie: alice, form: {} }), { token });
    expect(accepted.status).toBe(302);
    const alice2 = sessionCookieFrom(accepted) as string;

    const { session } = await requireUser(request("/", { cookie: alice2 }));
    expect(session.organizations.map((o) => o.name).sort()).toEqual(["Org of alice@example.test", "Org of bob@example.test"]);
    expect(session.actor?.role).toBe("approver");
    const own = session.organizations.find((o) => o.name === "Org of alice@example.test");

    const switched = await call(switchOrganization.action, request("/organizations/switch", { cookie: alice2, form: { organizationId: own?.id ?? "", redirectTo: "/members" } }));
    expect(switched.location).toBe("/members");
    expect((await requireActor(request("/", { cookie: alice2 }))).actor).toMatchObject({ organizationId: own?.id, role: "admin" });

    // An organisation the user does not belong to is not found, whatever its id.
    const { actor: bobActor } = await requireActor(request("/", { cookie: bob }));
    await db.deleteFrom("memberships").where("organization_id", "=", bobActor.organizationId).where("role", "=", "approver").execute();
    const foreign = await call(switchOrganization.action, request("/organizations/switch", { cookie: alice2, form: { organizationId: bobActor.organizationId } }));
    expect(foreign.status).toBe(404);
  });

  it("changes a member's role, refuses to remove the last administrator, and removes a member after confirmation", async () => {
    const admin = await signUpBuyer("boss@example.test");
    const invited = await call(members.action, request("/members", { cookie: admin, form: { intent: "invite", email: "pat@example.test", role: "viewer" } }));
    const token = (invited.data as { invitation: { url: string } }).invitation.url.split("/").pop() as string;
    await call(invitation.action, request(`/invitations/${token}`, { form: { name: "Pat Purchaser", password: PASSWORD } }), { token });

    const list = (await call(members.loader, request("/members", { cookie: admin }))).data as { members: { membershipId: string; name: string; role: string; isSelf: boolean }[] };
    const pat = list.members.find((m) => m.name === "Pat Purchaser");
    const boss = list.members.find((m) => m.isSelf);
    expect(pat?.role).toBe("viewer");

    const changed = await call(members.action, request("/members", { cookie: admin, form: { intent: "change-role", membershipId: pat?.membershipId ?? "", role: "purchaser" } }));
    expect(changed.location).toBe("/members");
    const invalidRole = await call(members.action, request("/members", { cookie: admin, form: { intent: "change-role", membershipId: pat?.membershipId ?? "", role: "owner" } }));
    expect(invalidRole.status).toBe(422);
    expect((invalidRole.data as Failure).fieldErrors.role).toEqual([translate("en", "role.invalid")]);

    const demoteSelf = await call(members.action, request("/members", { cookie: admin, form: { intent: "change-role", membershipId: boss?.membershipId ?? "", role: "viewer" } }));
    expect(demoteSelf.status).toBe(409);
    expect((demoteSelf.data as Failure).fieldErrors.membershipId).toEqual([translate("en", "member.last_admin")]);

    const confirm = await call(removeMember.loader, request(`/members/${pat?.membershipId}/remove`, { cookie: admin }), { membershipId: pat?.membershipId ?? "" });
    expect(confirm.data).toMatchObject({ member: { name: "Pat Purchaser", role: "purchaser" } });
    const removed = await call(removeMember.action, request(`/members/${pat?.membershipId}/remove`, { cookie: admin, form: {} }), { membershipId: pat?.membershipId ?? "" });
    expect(removed.location).toBe("/members");
    const after = (await call(members.loader, request("/members", { cookie: admin }))).data as { members: unknown[] };
    expect(after.members).toHaveLength(1);
    expect((await call(removeMember.loader, request("/members/x/remove", { cookie: admin }), { membershipId: "not-a-uuid" })).status).toBe(404);
  });

  it("changes the password: the old session ends, the browser keeps a fresh one", async () => {
    const cookie = await signUpBuyer("pw@example.test");
    const wrong = await call(account.action, request("/account", { cookie, form: { currentPassword: "not my password at all", newPassword: "another long passphrase" } }));
    expect(wrong.status).toBe(422);
    expect((wrong.data as Failure).fieldErrors.currentPassword).toEqual([translate("en", "password.incorrect")]);
    expect((wrong.data as Failure).values).toEqual({});

    const changed = await call(account.action, request("/account", { cookie, form: { currentPassword: PASSWORD, newPassword: "another long passphrase" } }));
    expect(changed.status).toBe(302);
    const fresh = sessionCookieFrom(changed) as string;
    expect(fresh).not.toBe(cookie);
    expect((await call(account.loader, request("/account", { cookie }))).status).toBe(302);
    expect((await call(account.loader, request("/account", { cookie: fresh }))).status).toBe(200);
  });

  it("remembers the chosen language in a cookie and renders in it", async () => {
    const chosen = await call(language.action, request("/language", { form: { locale: "fr", redirectTo: "/sign-in" } }));
    expect(chosen.location).toBe("/sign-in");
    const lang = chosen.headers.getSetCookie().find((c) => c.startsWith("lang=fr"));
    expect(lang).toBeDefined();
    const page = await call(root.loader, request("/sign-in", { cookie: "lang=fr", acceptLanguage: "en" }));
    expect(page.data).toMatchObject({ locale: "fr", user: null });
    const offsite = await call(language.action, request("/language", { form: { locale: "en", redirectTo: "https://evil.example/" } }));
    expect(offsite.location).toBe("/");
  });
});

// The same guarantees through the app's real server.ts (Express, Vite, Remix) in a child process.
describeAppServer({
  root: fileURLToPath(new URL("..", import.meta.url)),
  env: { ...process.env, DATABASE_URL: testDb.url },
  account: async () => (await signUpBuyer("server@example.test"), { email: "server@example.test", password: PASSWORD }),
});
