import { createSession } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { translate } from "@souk/ui";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { call, describeAppServer, request, sessionCookieFrom } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices, guards, services } = await import("./services.server");
const { signUp: signUpService } = await import("@souk/services");
const signUp = await import("./routes/sign-up");
const signIn = await import("./routes/sign-in");
const signOut = await import("./routes/sign-out");
const application = await import("./routes/application");
const members = await import("./routes/members");

afterAll(() => closeServices());

const { db } = testDb;
const PASSWORD = "a long enough passphrase";

async function count(table: "organizations" | "users") {
  return (await db.selectFrom(table).select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n;
}

describe("seller sign-up", () => {
  it("creates a pending seller organisation and lands on the application page", async () => {
    const result = await call(signUp.action, request("/sign-up", { form: { organizationName: "Atlas Tools", name: "Sam Seller", email: "sam@atlas.test", password: PASSWORD } }));
    expect(result.status).toBe(302);
    expect(result.location).toBe("/application");
    const cookie = sessionCookieFrom(result);
    expect(cookie).toMatch(/^souk_seller_session=/);

    const { actor } = await guards.requireActor(request("/", { cookie }));
    expect(actor).toMatchObject({ organizationKind: "seller", organizationStatus: "pending", role: "owner" });
    const page = await call(application.loader, request("/application", { cookie }));
    expect(page.data).toMatchObject({ application: { organizationName: "Atlas Tools", status: "pending", canEdit: true, application: { legalName: "Atlas Tools", submittedAt: null } } });
  });

  it("rejects invalid input with field errors and writes no row", async () => {
    const before = [await count("organizations"), await count("users")];
    const result = await call(signUp.action, request("/sign-up", { form: { organizationName: "", name: "", email: "sam@", password: "1234" } }));
    expect(result.status).toBe(422);
    expect(Object.keys((result.data as { fieldErrors: object }).fieldErrors).sort()).toEqual(["email", "name", "organizationName", "password"]);
    expect([await count("organizations"), await count("users")]).toEqual(before);
  });
});

describe("another app's session", () => {
  it("is refused: a buyer cannot use its session, nor sign in, as a seller", async () => {
    const buyer = await signUpService({ ...services, request: { app: "buyer", ip: null, userAgent: null } }, { organizationName: "Buyer Co", name: "Bea Buyer", email: "bea@buyer.test", password: PASSWORD });
    for (const cookie of [`souk_buyer_session=${buyer.token}`, `souk_seller_session=${buyer.token}`]) {
      const result = await call(members.loader, request("/members", { cookie }));
      expect(result.status).toBe(302);
      expect(result.location).toMatch(/^\/sign-in/);
    }
    const user = await db.selectFrom("users").select("id").where("email", "=", "bea@buyer.test").executeTakeFirstOrThrow();
    const { token } = await createSession(db, { userId: user.id, app: "operator", activeOrganizationId: null, ip: null, userAgent: null });
    expect((await call(members.loader, request("/members", { cookie: `souk_seller_session=${token}` }))).status).toBe(302);

    const attempt = await call(signIn.action, request("/sign-in", { form: { email: "bea@buyer.test", password: PASSWORD } }));
    expect(attempt.status).toBe(401);
    expect((attempt.data as { formError: string }).formError).toBe(translate("en", "auth.invalid_credentials"));
  });
});

describe("sign-out", () => {
  it("ends the session: its cookie is refused afterwards", async () => {
    const result = await call(signUp.action, request("/sign-up", { form: { organizationName: "Out Co", name: "Olly Out", email: "out@seller.test", password: PASSWORD } }));
    const cookie = sessionCookieFrom(result) as string;
    expect((await call(members.loader, request("/members", { cookie }))).status).toBe(200);
    const out = await call(signOut.action, request("/sign-out", { method: "POST", cookie }));
    expect(out.headers.getSetCookie().some((c) => c.startsWith("souk_seller_session=;"))).toBe(true);
    const again = await call(members.loader, request("/members", { cookie }));
    expect(again.status).toBe(302);
    expect(again.location).toMatch(/^\/sign-in/);
  });
});

// The same guarantees through the app's real server.ts (Express, Vite, Remix) in a child process.
describeAppServer({
  root: fileURLToPath(new URL("..", import.meta.url)),
  env: { ...process.env, DATABASE_URL: testDb.url },
  account: async () => {
    const email = "server@seller.test";
    await signUpService({ ...services, request: { app: "seller", ip: null, userAgent: null } }, { organizationName: "Server Tools", name: "Sam Server", email, password: PASSWORD });
    return { email, password: PASSWORD };
  },
});
