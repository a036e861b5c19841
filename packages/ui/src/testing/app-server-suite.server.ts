import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookieFrom } from "./route-harness.server";
import { startAppProcess, type AppProcess } from "./app-process.server";

const FOREIGN = "http://evil.example";

/**
 * What every app's real server must guarantee, run against the app's own server.ts: security
 * headers, and no state-changing request from another origin ever reaching an action (CSRF).
 * `account` is an existing user of this app, created by the calling test file in the database
 * that `env.DATABASE_URL` names (`env` is the environment the server starts from).
 */
export function describeAppServer(options: { root: string; env: NodeJS.ProcessEnv; account: () => Promise<{ email: string; password: string }> }) {
  describe("the app's HTTP server (server.ts)", () => {
    let server: AppProcess;
    let credentials: URLSearchParams;

    beforeAll(async () => {
      const { email, password } = await options.account();
      credentials = new URLSearchParams({ email, password });
      server = await startAppProcess(options.root, options.env);
    }, 90_000);
    afterAll(() => server?.stop());

    const post = (path: string, headers: Record<string, string>, body: URLSearchParams | null = null) =>
      fetch(`${server.url}${path}`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });

    it("serves pages with the security headers and never lets a cache store them", async () => {
      const response = await fetch(`${server.url}/sign-in`);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-powered-by")).toBeNull();
      expect(response.headers.get("cache-control")).toBe("no-store");
    });

    it("refuses a sign-in posted from another origin, or from nowhere, without running it", async () => {
      for (const headers of [{ origin: FOREIGN }, { referer: `${FOREIGN}/page` }, {}] as Record<string, string>[]) {
        const refused = await post("/sign-in", headers, credentials);
        expect(refused.status, JSON.stringify(headers)).toBe(403);
        expect(refused.headers.getSetCookie()).toEqual([]);
        expect(await refused.text()).toContain("403 Forbidden");
      }
      // The same request from the app's own page signs in: only the origin made the difference.
      const accepted = await post("/sign-in", { origin: server.url }, credentials);
      expect(accepted.status, server.output()).toBe(302);
      expect(sessionCookieFrom(accepted)).not.toBeNull();
    });

    it("refuses a forged sign-out: the session lives on", async () => {
      const cookie = sessionCookieFrom(await post("/sign-in", { origin: server.url }, credentials)) as string;
      expect((await post("/sign-out", { origin: FOREIGN, cookie })).status).toBe(403);
      const home = await fetch(`${server.url}/account`, { redirect: "manual", headers: { cookie } });
      expect(home.status).toBe(200);
      const signedOut = await post("/sign-out", { origin: server.url, cookie });
      expect(signedOut.status).toBe(302);
      expect((await fetch(`${server.url}/account`, { redirect: "manual", headers: { cookie } })).status).toBe(302);
    });
  });
}
