import { SESSION_TTL_MS } from "@souk/auth";
import type { Actor, OrganizationId, UserId } from "@souk/domain";
import { describe, expect, it } from "vitest";
import { createGuards, type GuardedSession } from "./guards.server";

// The guards' own logic over a session table held here; the real resolution (@souk/services) is
// covered by each app's integration tests.
const actor = (role: string): Actor => ({
  userId: "u1" as UserId,
  organizationId: "o1" as OrganizationId,
  organizationKind: "buyer",
  organizationStatus: "active",
  role,
  ip: null,
}) as Actor;

const sessions = new Map<string, GuardedSession>([
  ["admintoken", { sessionId: "s1", expiresAt: new Date(Date.now() + SESSION_TTL_MS), user: { id: "u1" }, actor: actor("admin") }],
  ["viewertoken", { sessionId: "s2", expiresAt: new Date(Date.now() + SESSION_TTL_MS / 2), user: { id: "u2" }, actor: actor("viewer") }],
  ["noorgtoken", { sessionId: "s3", expiresAt: new Date(Date.now() + SESSION_TTL_MS / 2), user: { id: "u3" }, actor: null }],
]);
const resolutions: string[] = [];

const guards = createGuards({
  app: "buyer",
  secure: true,
  requestDeps: (request) => ({ path: new URL(request.url).pathname }),
  resolveSession: async (_request, token) => {
    resolutions.push(token);
    return sessions.get(token) ?? null;
  },
});

const request = (path: string, cookie?: string) => new Request(`http://localhost${path}`, { headers: cookie ? { cookie } : {} });

async function rejection(promise: Promise<unknown>): Promise<{ status: number; headers: Headers; init?: { status?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error("not refused");
}

describe("createGuards", () => {
  it("reads only this app's cookie and resolves a request's session once", async () => {
    const r = request("/", "souk_seller_session=admintoken; souk_buyer_session=viewertoken");
    resolutions.length = 0;
    const [a, b] = await Promise.all([guards.getSession(r), guards.getSession(r)]);
    expect(a?.sessionId).toBe("s2");
    expect(b).toBe(a);
    expect(resolutions).toEqual(["viewertoken"]);
    expect(await guards.getSession(request("/", "souk_seller_session=admintoken"))).toBeNull();
  });

  it("requireUser gives the session and the deps that carry it, or redirects to sign-in coming back here", async () => {
    const user = await guards.requireUser(request("/members", "souk_buyer_session=admintoken"));
    expect(user.deps).toEqual({ path: "/members", session: { id: "s1", userId: "u1" } });

    const anonymous = await rejection(guards.requireUser(request("/members?tab=2")));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(`/sign-in?redirectTo=${encodeURIComponent("/members?tab=2")}`);
    expect(anonymous.headers.get("set-cookie")).toBeNull();

    // A cookie whose session is gone (signed out, expired) is cleared on the way.
    const stale = await rejection(guards.requireUser(request("/", "souk_buyer_session=goneaway")));
    expect(stale.headers.get("location")).toBe("/sign-in");
    expect(stale.headers.get("set-cookie")).toMatch(/^souk_buyer_session=; .*Secure; Max-Age=0/);
  });

  it("requireActor answers 403 without an organisation or without the permission", async () => {
    const admin = await guards.requireActor(request("/", "souk_buyer_session=admintoken"), "manage:members:org");
    expect(admin.deps.actor.role).toBe("admin");
    expect((await rejection(guards.requireActor(request("/", "souk_buyer_session=viewertoken"), "manage:members:org"))).init?.status).toBe(403);
    expect((await guards.requireActor(request("/", "souk_buyer_session=viewertoken"), "read:members:org")).actor.role).toBe("viewer");
    expect((await rejection(guards.requireActor(request("/", "souk_buyer_session=noorgtoken")))).init?.status).toBe(403);
  });

  it("redirects a signed-in visitor away from sign-in", async () => {
    await expect(guards.redirectIfSignedIn(request("/sign-in"))).resolves.toBeUndefined();
    const away = await rejection(guards.redirectIfSignedIn(request("/sign-in", "souk_buyer_session=admintoken"), "/members"));
    expect(away.headers.get("location")).toBe("/members");
  });

  it("re-sends the cookie of a fresh or renewed session, clears a dead one, and leaves others alone", async () => {
    const fresh = request("/", "souk_buyer_session=admintoken");
    expect(guards.sessionCookieRefresh(fresh, await guards.getSession(fresh))).toMatch(/^souk_buyer_session=admintoken; HttpOnly; SameSite=Lax; Path=\/; Secure; Max-Age=/);
    const older = request("/", "souk_buyer_session=viewertoken");
    expect(guards.sessionCookieRefresh(older, await guards.getSession(older))).toBeNull();
    expect(guards.sessionCookieRefresh(request("/", "souk_buyer_session=goneaway"), null)).toMatch(/Max-Age=0/);
    expect(guards.sessionCookieRefresh(request("/"), null)).toBeNull();
  });

  it("redirects with the session, sign-out and flash cookies in that order", () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const response = guards.redirectWith("/account", { session: { token: "newtoken", expiresAt }, flash: "flash.passwordChanged" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/account");
    const cookies = response.headers.getSetCookie();
    expect(cookies[0]).toMatch(/^souk_buyer_session=newtoken;/);
    expect(cookies[1]).toMatch(/^souk_flash=flash\.passwordChanged;.*Secure/);
    expect(guards.redirectWith("/sign-in", { endSession: true }).headers.getSetCookie()).toEqual([guards.blankSessionCookie()]);
  });
});
