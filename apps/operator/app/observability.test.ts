import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, deleteKeysWithPrefix, uniqueQueuePrefix } from "@souk/testing";
import { sessionCookieFrom, startAppProcess, type AppProcess } from "@souk/ui/testing";

// The app's real server.ts (Express with the observability middleware, Vite, Remix) in a child
// process: an operator's request gets an id, the outbox row its action writes keeps it, the access
// log names it, /metrics counts it, and the System health page shows what the request queued. The
// rest of the way (relay → job → the worker's log lines) is apps/worker's observability.test.ts.

const testDb = await createTestDatabase();
const prefix = uniqueQueuePrefix();
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices, services } = await import("./services.server");
const { createOperator } = await import("@souk/services");

const PASSWORD = "a long enough passphrase";
const EMAIL = "observed.admin@souk.test";
const METRICS_TOKEN = "operator-metrics-token-0001";

let server: AppProcess;
let cookie = "";
beforeAll(async () => {
  await createOperator(services, { email: EMAIL, name: "Olga Observed", password: PASSWORD, role: "admin" });
  // TRUST_PROXY: the test stands for a proxy on loopback, whose X-Request-Id the app keeps.
  server = await startAppProcess(fileURLToPath(new URL("..", import.meta.url)), { ...process.env, DATABASE_URL: testDb.url, QUEUE_PREFIX: prefix, METRICS_TOKEN, TRUST_PROXY: "loopback" });
  const signedIn = await post("/sign-in", { email: EMAIL, password: PASSWORD });
  expect(signedIn.status, server.output().slice(-2000)).toBe(302);
  cookie = sessionCookieFrom(signedIn) as string;
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await closeServices();
  await deleteKeysWithPrefix(prefix);
});

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url, ...(cookie ? { cookie } : {}), ...headers },
    body: new URLSearchParams(form),
  });
}

/** The access log lines the server printed (one JSON object per line among Vite's own output). */
function accessLog(): Record<string, unknown>[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.message === "request");
}

async function accessLogLine(requestId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const line = accessLog().find((entry) => entry.requestId === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no access log line for ${requestId}:\n${server.output().slice(-3000)}`);
}

function valueOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe("observability through the operator app's real server", () => {
  it("an action's outbox row keeps the request's id, which the response echoes and the access log names", async () => {
    const queued = await post("/search", { kind: "reconcile" }, { "x-request-id": "req-operator-0001" });
    expect(queued.status, server.output().slice(-2000)).toBe(302);
    expect(queued.headers.get("x-request-id")).toBe("req-operator-0001");

    const row = await testDb.db.selectFrom("outbox").select(["topic", "request_id", "sent_at"]).where("topic", "=", "search.reconcile").executeTakeFirstOrThrow();
    expect(row).toEqual({ topic: "search.reconcile", request_id: "req-operator-0001", sent_at: null });

    expect(await accessLogLine("req-operator-0001")).toMatchObject({ level: "info", service: "operator", method: "POST", route: "/search", status: 302, durationMs: expect.any(Number) });

    // Without an id of its own, a request gets a new one, echoed too.
    const page = await fetch(`${server.url}/search`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const generated = page.headers.get("x-request-id") as string;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(await accessLogLine(generated)).toMatchObject({ method: "GET", route: "/search", status: 200 });
  });

  it("writes no secret and no personal data: not the password, the session cookie or the e-mail of the sign-in", async () => {
    const line = accessLog().find((entry) => entry.route === "/sign-in" && entry.method === "POST");
    expect(line).toMatchObject({ status: 302 });
    const output = server.output();
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(EMAIL);
    expect(output).not.toContain(cookie.split("=")[1]!.split(";")[0]!);
  });

  it("serves /metrics with the bearer token only: request latency per route pattern, the outbox backlog, process metrics", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(valueOf(text, "souk_http_request_duration_seconds_count", { service: "operator", method: "POST", route: "/search", status_class: "3xx" })).toBe(1);
    expect(valueOf(text, "souk_http_request_duration_seconds_count", { method: "POST", route: "/sign-in", status_class: "3xx" })).toBeGreaterThanOrEqual(1);
    // No raw path, so no id, ever becomes a label.
    expect(text).not.toMatch(/route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}/);
    // The reconciliation queued above, not relayed (no worker here).
    expect(valueOf(text, "souk_outbox_backlog_rows", { queue: "search", state: "pending" })).toBe(1);
    expect(valueOf(text, "process_resident_memory_bytes", { service: "operator" })).toBeGreaterThan(0);
  });

  it("shows the System health page in English and French: the outbox backlog, the queues, the search index", async () => {
    const page = async (language: string) => {
      const response = await fetch(`${server.url}/jobs`, { headers: { cookie, "accept-language": language } });
      expect(response.status).toBe(200);
      return response.text();
    };
    const en = await page("en");
    for (const text of ["System health", "Outbox backlog", "Changes to queue", "Search index", "PostgreSQL full text", "none has succeeded yet", "A reconciliation is waiting for the worker.", "Failed jobs"]) {
      expect(en).toContain(text);
    }
    const fr = await page("fr");
    for (const text of ["État du système", "Outbox en attente", "Index de recherche", "Texte intégral PostgreSQL", "Une réconciliation attend le worker.", "Tâches en échec"]) {
      expect(fr).toContain(text.replace(/'/g, "&#x27;"));
    }
  });
});
