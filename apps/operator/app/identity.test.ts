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

const { closeServices, services } = await import("./services.server");
const { createOperator, signUp: signUpService } = await import("@souk/services");
const signIn = await import("./routes/sign-in");
const signOut = await import("./routes/sign-out");
const members = await import("./routes/members");
const invitation = await import("./routes/invitations.$token");
const dashboard = await import("./routes/_index");

afterAll(() => closeServices());

const PASSWORD = "a long enough passphrase";

async function operatorAdmin(email: string) {
  await createOperator(services, { email, name: "Olga Operator", password: PASSWORD, role: "admin" });
  const result = await call(signIn.action, request("/sign-in", { form: { email, password: PASSWORD } }));
  expect(result.status).toBe(302);
  return sessionCookieFrom(result) as string;
}

describe("operator console", () => {
  it("lets a CLI-created admin invite a member who joins through the link", async () => {
    const admin = await operatorAdmin("olga@souk.test");
    const invited = await call(members.action, request("/members", { cookie: admin, form: { intent: "invite", email: "max@souk.test", role: "moderator" } }));
    expect(invited.status).toBe(200);
    const url = (invited.data as { invitation: { url: string } }).invitation.url;
    const token = new URL(url).pathname.split("/").pop() as string;
    expect(url).toBe(`http://localhost/invitations/${token}`);

    const page = await call(invitation.loader, request(`/invitations/${token}`), { token });
    expect(page.data).toMatchObject({ invitation: { email: "max@souk.test", role: "moderator", hasAccount: false }, signedInEmail: null });

    // Bad input: a field error, and no user nor membership written.
    const users = () => testDb.db.selectFrom("users").select(testDb.db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    const before = await users();
    const tooShort = await call(invitation.action, request(`/invitations/${token}`, { form: { name: "Max", password: "short" } }), { token });
    expect(tooShort.status).toBe(422);
    expect((tooShort.data as { fieldErrors: Record<string, string[]> }).fieldErrors.password).toEqual([translate("en", "password.too_short")]);
    expect(await users()).toEqual(before);

    const accepted = await call(invitation.action, request(`/invitations/${token}`, { form: { name: "Max Moderator", password: PASSWORD } }), { token });
    expect(accepted.status).toBe(302);
    const max = sessionCookieFrom(accepted) as string;
    const home = await call(dashboard.loader, request("/", { cookie: max }));
    expect(home.data).toMatchObject({ organization: { role: "moderator", status: "active" }, memberCount: 2, canManageMembers: false });

    // Used once: the same link now shows the "no longer valid" page.
    expect((await call(invitation.loader, request(`/invitations/${token}`), { token })).status).toBe(410);
  });

  it("refuses buyer and seller sessions and their sign-in", async () => {
    for (const app of ["buyer", "seller"] as const) {
      const email = `${app}@example.test`;
      const { token } = await signUpService({ ...services, request: { app, ip: null, userAgent: null } }, { organizationName: `${app} org`, name: "Someone", email, password: PASSWORD });
      for (const cookie of [`souk_${app}_session=${token}`, `souk_operator_session=${token}`]) {
        const result = await call(dashboard.loader, request("/", { cookie }));
        expect(result.status, `${app} token as ${cookie.split("=")[0]}`).toBe(302);
        expect(result.location).toBe("/sign-in");
      }
      const attempt = await call(signIn.action, request("/sign-in", { form: { email, password: PASSWORD } }));
      expect(attempt.status).toBe(401);
    }
  });

  it("refuses a session after sign-out", async () => {
    const cookie = await operatorAdmin("out@souk.test");
    expect((await call(dashboard.loader, request("/", { cookie }))).status).toBe(200);
    await call(signOut.action, request("/sign-out", { method: "POST", cookie }));
    expect((await call(dashboard.loader, request("/", { cookie }))).location).toBe("/sign-in");
  });
});

// The same guarantees through the app's real server.ts (Express, Vite, Remix) in a child process.
describeAppServer({
  root: fileURLToPath(new URL("..", import.meta.url)),
  env: { ...process.env, DATABASE_URL: testDb.url },
  account: async () => {
    const email = "server@souk.test";
    await createOperator(services, { email, name: "Sam Server", password: PASSWORD, role: "admin" });
    return { email, password: PASSWORD };
  },
});
