// The page-side helpers below (readForms) run in the browser: they need the DOM's types.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { fileURLToPath } from "node:url";
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { DEMO_PASSWORD, E2E_DATABASE_URL, URLS } from "./support";

/**
 * What the security specs (specs/security-*.spec.ts) share: the apps' routes as their production
 * builds declare them, plain-HTTP sessions of the demo accounts, a scan for strings that must not
 * appear, and the run's database.
 */

export type App = keyof typeof URLS;
export const APPS = ["buyer", "seller", "operator"] as const satisfies readonly App[];

// ————————————————————————————————————————————————————————————————————————————————————————————
// Routes, from each app's server build (apps/<app>/build/server/index.js): the build Playwright
// starts, so a route added to an app is in this list the next time the apps are built.
// ————————————————————————————————————————————————————————————————————————————————————————————

export interface ManifestRoute {
  app: App;
  /** Remix's route id, e.g. "routes/rfqs.$rfqId_.compare". */
  id: string;
  /** The URL pattern, e.g. "/rfqs/:rfqId/compare". */
  path: string;
  /** The dynamic segments in order (without ":"), the splat as "*". */
  params: string[];
  /** A page (it renders), rather than a resource route (files, exports, event streams). */
  page: boolean;
  /** The loader's and the action's source in the build (null: the route has none). */
  loader: string | null;
  action: string | null;
  /** The permission each one's guard asks for, when written as a literal (`requireActor(request, "…")`). */
  loaderPermission: string | null;
  actionPermission: string | null;
  /** Intent values the action's source names (`X_INTENT.y`, `intent === "y"`). */
  intents: string[];
}

const buildCache = new Map<App, string>();

/** The app's server build as text (the e2e run builds it first; E2E_SKIP_BUILD reuses the last one). */
export function serverBuild(app: App): string {
  let text = buildCache.get(app);
  if (!text) {
    text = readFileSync(fileURLToPath(new URL(`../apps/${app}/build/server/index.js`, import.meta.url)), "utf8");
    buildCache.set(app, text);
  }
  return text;
}

/** A top-level `function name(...) {...}` of the bundle (esbuild prints its closing brace alone at column 0). */
function functionSource(build: string, name: string): string | null {
  const start = new RegExp(`^(?:async )?function ${name.replace(/\$/g, "\\$")}\\(`, "m").exec(build);
  if (!start) return null;
  const end = build.indexOf("\n}\n", start.index);
  return build.slice(start.index, end === -1 ? undefined : end + 2);
}

/** A top-level `const NAME = { key: "value", ... };` of the bundle, as its values. */
function constantValues(build: string, name: string): string[] {
  const start = new RegExp(`^const ${name.replace(/\$/g, "\\$")} = \\{`, "m").exec(build);
  if (!start) return [];
  const body = build.slice(start.index, build.indexOf("}", start.index));
  return [...body.matchAll(/[\w$]+:\s*"([^"]+)"/g)].map((m) => m[1]!);
}

const GUARD = /(?:requireActor|requireTradingSeller)\(\s*request,\s*(?:"([a-z-]+:[a-z-]+:[a-z]+)"|([A-Za-z_$][\w$]*))\s*\)/;

/** The permission a loader's or an action's guard asks for: a literal, or a module constant. */
function permissionOf(build: string, source: string): string | null {
  const m = GUARD.exec(source);
  if (!m) return null;
  if (m[1]) return m[1];
  return new RegExp(`^const ${m[2]!.replace(/\$/g, "\\$")} = "([^"]+)";`, "m").exec(build)?.[1] ?? null;
}

function intentsOf(build: string, action: string): string[] {
  const intents = new Set<string>();
  for (const m of action.matchAll(/\b([A-Z][A-Z0-9_]*INTENT(?:\$\d+)?)\.(\w+)/g)) {
    const values = constantValues(build, m[1]!);
    const body = build.slice(build.search(new RegExp(`^const ${m[1]!.replace(/\$/g, "\\$")} = \\{`, "m")));
    const value = new RegExp(`\\b${m[2]}:\\s*"([^"]+)"`).exec(body.slice(0, body.indexOf("}")))?.[1];
    if (value && values.includes(value)) intents.add(value);
  }
  // `typeof input.intent === "string"` names a type, not an intent.
  for (const m of action.matchAll(/(typeof\s+)?[\w.]*\bintent\s*[!=]==?\s*"([\w-]+)"/g)) if (!m[1]) intents.add(m[2]!);
  return [...intents];
}

const manifestCache = new Map<App, ManifestRoute[]>();

/** Every route of the app with its URL pattern, whether it has a loader and an action, and what they guard on. */
export function manifest(app: App): ManifestRoute[] {
  const cached = manifestCache.get(app);
  if (cached) return cached;
  const build = serverBuild(app);
  const start = build.search(/^const routes = \{/m);
  if (start === -1) throw new Error(`No route manifest in apps/${app}/build/server/index.js`);
  const block = build.slice(start, build.indexOf("\n};", start));
  const raw = new Map<string, { parentId: string | null; path: string | null; module: string }>();
  const entry = /"([^"]+)": \{\s*id: "[^"]+",\s*parentId: (void 0|"[^"]*"),\s*path: (void 0|"[^"]*"),\s*index: [^,]+,\s*caseSensitive: [^,]+,\s*module: ([\w$]+)\s*\}/g;
  for (const m of block.matchAll(entry)) {
    raw.set(m[1]!, { parentId: m[2] === "void 0" ? null : m[2]!.slice(1, -1), path: m[3] === "void 0" ? null : m[3]!.slice(1, -1), module: m[4]! });
  }
  if (raw.size < 10) throw new Error(`Could not read the route manifest of apps/${app}/build/server/index.js (found ${raw.size})`);
  const fullPath = (id: string): string => {
    const route = raw.get(id)!;
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return [parent, route.path ?? ""].filter((p) => p !== "").join("/");
  };
  const routes: ManifestRoute[] = [];
  for (const [id, route] of raw) {
    if (id === "root") continue;
    const moduleStart = new RegExp(`^const ${route.module.replace(/\$/g, "\\$")} = `, "m").exec(build);
    if (!moduleStart) throw new Error(`No module ${route.module} for ${id}`);
    const exportsBlock = build.slice(moduleStart.index, build.indexOf("Symbol.toStringTag", moduleStart.index));
    const exported = new Map<string, string>();
    for (const m of exportsBlock.matchAll(/^\s+(\w+)(?::\s*([\w$]+))?,?$/gm)) exported.set(m[1]!, m[2] ?? m[1]!);
    const loader = exported.has("loader") ? (functionSource(build, exported.get("loader")!) ?? "") : null;
    const action = exported.has("action") ? (functionSource(build, exported.get("action")!) ?? "") : null;
    const path = `/${fullPath(id)}`;
    routes.push({
      app,
      id,
      path,
      params: [...path.matchAll(/:(\w+)|\*/g)].map((m) => m[1] ?? "*"),
      loader,
      action,
      loaderPermission: loader ? permissionOf(build, loader) : null,
      actionPermission: action ? permissionOf(build, action) : null,
      page: exported.has("default"),
      intents: action ? intentsOf(build, action) : [],
    });
  }
  manifestCache.set(app, routes);
  return routes;
}

/** The URL of a route pattern with its parameters filled in. */
export function fillPath(path: string, values: Readonly<Record<string, string>>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}

/** The single-fetch data URL of a page (what a client navigation requests instead of the HTML). */
export function dataUrl(path: string): string {
  const [pathname, query] = path.split("?");
  return `${pathname === "/" ? "/_root" : pathname}.data${query ? `?${query}` : ""}`;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Plain HTTP, one cookie per identity (no jar: each request says exactly who sends it).
// ————————————————————————————————————————————————————————————————————————————————————————————

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The redirect target's path, if any. */
  location: string | null;
}

export interface HttpOptions {
  cookie?: string | null;
  method?: string;
  /** URL-encoded form fields (repeated names allowed). */
  form?: readonly (readonly [string, string])[];
  /** A multipart body instead. */
  multipart?: FormData;
  /** Origin header; defaults to the app's own on non-GET requests. */
  origin?: string | null;
  headers?: Record<string, string>;
  /** Read a streamed answer (server-sent events) up to its first event or this many ms. */
  streamMs?: number;
  /** Another address of the app (e.g. via 127.0.0.2, to be another client). */
  base?: string;
}

/**
 * One request to an app, redirects not followed. An event stream is read up to its first complete
 * event (or `streamMs`), then dropped: enough to see what it would tell, without waiting for it to end.
 */
export async function http(app: App, path: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const method = options.method ?? (options.form || options.multipart ? "POST" : "GET");
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const origin = options.origin === undefined ? (method === "GET" ? null : URLS[app]) : options.origin;
  if (origin !== null) headers.origin = origin;
  let body: BodyInit | undefined;
  if (options.multipart) body = options.multipart;
  else if (options.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form.map(([k, v]): [string, string] => [k, v])).toString();
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 20_000);
  try {
    const response = await fetch(`${options.base ?? URLS[app]}${path}`, { method, headers, body, redirect: "manual", signal: abort.signal });
    let text = "";
    if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream") && response.body) {
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const until = Date.now() + (options.streamMs ?? 3_000);
      while (!/\n\n/.test(text) && Date.now() < until) {
        const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(1, until - Date.now())))]);
        if (!chunk || chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
      abort.abort();
    } else {
      text = await response.text();
    }
    const location = response.headers.get("location");
    return { status: response.status, headers: response.headers, text, location: location ? new URL(location, URLS[app]).pathname : null };
  } finally {
    clearTimeout(timer);
  }
}

/** The value of this app's session cookie in a Set-Cookie answer, or null. */
export function sessionCookieOf(app: App, answer: HttpAnswer): string | null {
  for (const cookie of answer.headers.getSetCookie()) {
    const m = new RegExp(`^(souk_${app}_session)=([^;]*)`).exec(cookie);
    if (m && m[2]) return `${m[1]}=${m[2]}`;
  }
  return null;
}

/** Signs in through the app's sign-in form and returns the session cookie ("name=token"). */
export async function signIn(app: App, email: string, password = DEMO_PASSWORD): Promise<string> {
  const answer = await http(app, "/sign-in", { form: [["email", email], ["password", password]] });
  const cookie = sessionCookieOf(app, answer);
  if (answer.status !== 302 || !cookie) throw new Error(`Sign-in of ${email} to the ${app} app failed: ${answer.status} ${answer.text.slice(0, 300)}`);
  return cookie;
}

/** Runs `work` over `items` with at most `limit` at once (the apps share two cores with everything else). */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// The demo's people (packages/services/src/cli/demo-seed.ts).
// ————————————————————————————————————————————————————————————————————————————————————————————

export interface DemoAccount {
  email: string;
  app: App;
  /** The organisation's name as in the database. */
  organization: string;
  role: string;
}

function people(app: App, organization: string, domain: string, roles: string[]): DemoAccount[] {
  return roles.map((role) => ({ email: `${role}@${domain}`, app, organization, role }));
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  ...people("buyer", "Atlas Industrie", "atlas.test", ["admin", "purchaser", "approver", "viewer"]),
  ...people("buyer", "Boréal Hôtels", "boreal.test", ["admin", "purchaser", "approver", "viewer"]),
  ...people("seller", "Médina Fournitures", "medina.test", ["owner", "sales", "fulfilment"]),
  ...people("seller", "Rif Emballages", "rif.test", ["owner", "sales", "fulfilment"]),
  ...people("seller", "Kasbah Bureau", "kasbah.test", ["owner", "sales"]),
  ...people("seller", "Sud Emballages", "sud.test", ["owner", "sales"]),
  ...people("seller", "Sahel Outillage", "sahel.test", ["owner", "sales", "fulfilment"]),
  { email: "ops.admin@souk.test", app: "operator", organization: "Souk Operations", role: "admin" },
  { email: "ops.moderator@souk.test", app: "operator", organization: "Souk Operations", role: "moderator" },
  { email: "ops.finance@souk.test", app: "operator", organization: "Souk Operations", role: "finance" },
];

/**
 * Who may do what, written here independently of packages/domain/src/roles.ts (the code under test):
 * a permission granted or taken away there without a matching change here fails the matrix.
 */
export const EXPECTED_PERMISSIONS: Record<App, Record<string, readonly string[]>> = (() => {
  const buyerRead = ["read:organization:org", "read:members:org", "read:catalogue:org", "read:orders:org", "read:rfqs:org", "read:conversations:org"];
  const sellerRead = ["read:organization:org", "read:members:org", "read:rfq-inbox:org", "read:orders:org", "read:conversations:org", "write:conversations:org"];
  const operatorRead = ["read:organization:org", "read:members:org", "read:rfqs:any", "read:audit:any"];
  return {
    buyer: {
      admin: [...buyerRead, "manage:members:org", "manage:requisition-lists:org", "create:order:org", "create:rfq:org", "award:rfq:org", "approve:purchase:org", "confirm:delivery:org", "manage:approval-rules:org", "manage:budgets:org", "write:conversations:org"],
      purchaser: [...buyerRead, "manage:requisition-lists:org", "create:order:org", "create:rfq:org", "award:rfq:org", "confirm:delivery:org", "write:conversations:org"],
      approver: [...buyerRead, "approve:purchase:org", "write:conversations:org"],
      viewer: buyerRead,
    },
    seller: {
      owner: [...sellerRead, "manage:members:org", "manage:application:org", "manage:listings:org", "manage:price-lists:org", "submit:offer:org", "fulfil:order:org", "read:payouts:org"],
      sales: [...sellerRead, "manage:listings:org", "manage:price-lists:org", "submit:offer:org"],
      fulfilment: [...sellerRead, "fulfil:order:org"],
    },
    operator: {
      admin: [...operatorRead, "manage:members:org", "review:sellers:any", "moderate:listings:any", "resolve:disputes:any", "manage:commission:any", "run:settlement:any", "read:ledger:any", "manage:search:any", "manage:jobs:any"],
      moderator: [...operatorRead, "review:sellers:any", "moderate:listings:any", "resolve:disputes:any", "manage:search:any", "read:conversations:any"],
      finance: [...operatorRead, "resolve:disputes:any", "manage:commission:any", "run:settlement:any", "read:ledger:any", "manage:jobs:any"],
    },
  };
})();

// ————————————————————————————————————————————————————————————————————————————————————————————
// Scanning answers for what must not be in them.
// ————————————————————————————————————————————————————————————————————————————————————————————

/** Spaces of every kind as plain spaces, HTML's and JSON's escapes undone (a leak is a leak in any encoding). */
export function normalise(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/[\u00a0\u2007\u202f\u2009]/g, " ");
}

/** The strings of `secrets` found in `text` (case-insensitive). */
export function found(text: string, secrets: Iterable<string>): string[] {
  const body = normalise(text).toLowerCase();
  return [...secrets].filter((secret) => body.includes(secret.toLowerCase()));
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// The run's database (for fixtures and before/after snapshots; never to act in place of a page).
// ————————————————————————————————————————————————————————————————————————————————————————————

export async function withDatabase<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** Tables whose rows change without anyone acting on the probed object (sessions, queues, logs). */
const VOLATILE_TABLES = new Set(["sessions", "sign_in_throttle", "outbox", "audit_log", "notifications", "conversation_reads", "conversation_digest_marks", "conversation_digest_pending", "search_listings", "search_index_runs", "kysely_migration", "kysely_migration_lock"]);

interface ForeignKey {
  table: string;
  column: string;
  references: string;
}

let foreignKeys: ForeignKey[] | null = null;

async function foreignKeysOf(db: pg.Client): Promise<ForeignKey[]> {
  foreignKeys ??= (
    await db.query<ForeignKey>(`
      select cl.relname as table, a.attname as column, ref.relname as references
      from pg_constraint c
      join pg_class cl on cl.oid = c.conrelid
      join pg_class ref on ref.oid = c.confrelid
      join pg_namespace n on n.oid = cl.relnamespace
      join lateral unnest(c.conkey) with ordinality k(attnum, ord) on true
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
      where c.contype = 'f' and n.nspname = 'public' and array_length(c.conkey, 1) = 1`)
  ).rows.filter((fk) => !VOLATILE_TABLES.has(fk.table));
  return foreignKeys;
}

/**
 * Every row of `table` with this id and every row that points at it, two foreign keys deep (an
 * RFQ → its offers → their revisions), as text: equal before and after means nothing about the
 * object changed. Found from the schema, so a new table that hangs off an object is included.
 */
export async function snapshot(db: pg.Client, roots: readonly { table: string; id: string }[]): Promise<string> {
  const fks = await foreignKeysOf(db);
  const lines: string[] = [];
  const seen = new Set<string>();
  let level = roots.map((r) => ({ table: r.table, ids: [r.id] }));
  for (let depth = 0; depth <= 2 && level.length > 0; depth += 1) {
    const next: { table: string; ids: string[] }[] = [];
    for (const { table, ids } of level) {
      const key = `${table}:${ids.join(",")}`;
      if (seen.has(key) || ids.length === 0) continue;
      seen.add(key);
      if (depth === 0) {
        const rows = await db.query(`select t::text as row from "${table}" t where id::text = any($1) order by 1`, [ids]);
        lines.push(...rows.rows.map((r: { row: string }) => `${table} ${r.row}`));
      }
      for (const fk of fks.filter((f) => f.references === table)) {
        const rows = await db.query<{ id: string | null; row: string }>(`select (to_jsonb(t)->>'id') as id, t::text as row from "${fk.table}" t where "${fk.column}"::text = any($1) order by 2`, [ids]);
        lines.push(...rows.rows.map((r) => `${fk.table}.${fk.column} ${r.row}`));
        const childIds = rows.rows.map((r) => r.id).filter((id): id is string => id !== null);
        if (childIds.length > 0) next.push({ table: fk.table, ids: childIds });
      }
    }
    level = next;
  }
  return lines.sort().join("\n");
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Forms as a page offers them: read from the page's HTML in the browser (the same parsing, the same
// defaults, `new FormData(form, submitter)` per submit button), with empty fields filled in the way
// a person would, so that a replay reaches the checks behind the input validation.
// ————————————————————————————————————————————————————————————————————————————————————————————

/** A small but well-formed PDF (the upload checks a file's first bytes), carrying `note`. */
export function pdf(note: string): Buffer {
  const objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>"];
  let body = `%PDF-1.4\n% ${note}\n`;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** A 1 × 1 PNG. */
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

/** The files a filled-in form attaches, by the kind its input accepts. */
export const PROBE_FILES = {
  pdf: { name: "security-probe.pdf", type: "application/pdf", bytes: pdf("security probe") },
  png: { name: "security-probe.png", type: "image/png", bytes: PNG },
  csv: { name: "security-probe.csv", type: "text/csv", bytes: Buffer.from("sku,title\nPROBE-1,Security probe\n") },
} as const;

export type FormValue = string | { file: keyof typeof PROBE_FILES };

export interface PageForm {
  /** Path and query the form posts to. */
  action: string;
  multipart: boolean;
  /** The submit button's `intent`, if any. */
  intent: string | null;
  entries: [string, FormValue][];
}

/** Runs in the page: every POST form × submit button, filled in. */
function readForms(files: Record<string, { name: string; type: string; base64: string }>) {
  const later = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const day = `${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}`;
  const out: { action: string; multipart: boolean; intent: string | null; entries: [string, string | { file: string }][] }[] = [];
  for (const form of Array.from(document.querySelectorAll("form"))) {
    if ((form.getAttribute("method") ?? "get").toLowerCase() !== "post") continue;
    for (const el of Array.from(form.elements)) {
      if (el instanceof HTMLInputElement) {
        const type = el.type;
        if (["hidden", "submit", "button", "checkbox", "image", "reset"].includes(type)) continue;
        if (type === "radio") {
          const group = Array.from(form.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${CSS.escape(el.name)}"]`));
          if (!group.some((r) => r.checked) && group[0]) group[0].checked = true;
          continue;
        }
        if (type === "file") {
          const accept = el.accept;
          const kind = accept.includes("csv") ? "csv" : accept.includes("pdf") || accept === "" ? "pdf" : "png";
          const file = files[kind]!;
          const transfer = new DataTransfer();
          transfer.items.add(new File([Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))], file.name, { type: file.type }));
          el.files = transfer.files;
          continue;
        }
        if (el.value !== "") continue;
        const name = el.name;
        el.value =
          type === "number" ? (el.min && Number(el.min) > 1 ? el.min : "1")
          : type === "date" ? day
          : type === "datetime-local" ? `${day}T12:00`
          : type === "time" ? "12:00"
          : type === "email" ? "probe@example.com"
          : type === "url" ? "https://example.com/"
          : type === "password" ? "probe passphrase 123"
          : /price|amount|fee|rate|bps|minor|cap|floor/i.test(name) ? "1.00"
          : /quantity|qty|days|count|moq|stock|position/i.test(name) ? "1"
          : "Security probe";
      } else if (el instanceof HTMLTextAreaElement) {
        if (el.value === "") el.value = "Security probe";
      } else if (el instanceof HTMLSelectElement) {
        if (el.value === "") {
          const option = Array.from(el.options).find((o) => o.value !== "");
          if (option) el.value = option.value;
        }
      }
    }
    const buttons = Array.from(document.querySelectorAll<HTMLButtonElement | HTMLInputElement>("button, input[type=submit]")).filter((b) => b.form === form && b.type === "submit");
    for (const submitter of buttons.length > 0 ? buttons : [null]) {
      const data = new FormData(form, submitter);
      const entries: [string, string | { file: string }][] = [];
      for (const [key, value] of data) {
        if (typeof value === "string") entries.push([key, value]);
        else if (value.size > 0) entries.push([key, { file: Object.keys(files).find((k) => files[k]!.name === value.name) ?? "pdf" }]);
      }
      // A button's `formAction` is the page's URL when it has no formaction attribute: only that attribute overrides the form's.
      const target = new URL(submitter?.hasAttribute("formaction") ? submitter.formAction : form.action, location.href);
      const intent = submitter && submitter.name === "intent" ? submitter.value : data.get("intent");
      out.push({ action: `${target.pathname}${target.search}`, multipart: form.enctype === "multipart/form-data", intent: typeof intent === "string" ? intent : null, entries });
    }
  }
  return out;
}

/**
 * The POST forms of a page, filled in. The page's HTML is shown at its own URL (so relative actions
 * resolve) in a page whose every other request is refused: nothing else is loaded or sent.
 */
export async function formsOf(page: Page, url: string, html: string): Promise<PageForm[]> {
  await page.route("**/*", (route) => (route.request().url() === url ? route.fulfill({ status: 200, contentType: "text/html", body: html }) : route.abort()));
  try {
    await page.goto(url);
    const files = Object.fromEntries(Object.entries(PROBE_FILES).map(([kind, f]) => [kind, { name: f.name, type: f.type, base64: f.bytes.toString("base64") }]));
    return (await page.evaluate(readForms, files)) as PageForm[];
  } finally {
    await page.unrouteAll();
  }
}

/** A form's entries as a request body for `http`. */
export function formBody(form: Pick<PageForm, "multipart" | "entries">): Pick<HttpOptions, "form" | "multipart"> {
  if (!form.multipart) return { form: form.entries.map(([k, v]) => [k, typeof v === "string" ? v : PROBE_FILES[v.file].name] as const) };
  const data = new FormData();
  for (const [k, v] of form.entries) {
    if (typeof v === "string") data.append(k, v);
    else data.append(k, new Blob([new Uint8Array(PROBE_FILES[v.file].bytes)], { type: PROBE_FILES[v.file].type }), PROBE_FILES[v.file].name);
  }
  return { multipart: data };
}

/** Posts a form of the page at `path` as its owner (as the page offers it, filled in) with this intent; expects success (a redirect). */
export async function submitOwnForm(page: Page, app: App, cookie: string, path: string, intent: string | null, change?: (entries: [string, FormValue][]) => [string, FormValue][]): Promise<HttpAnswer> {
  const pageAnswer = await http(app, path, { cookie });
  expect(pageAnswer.status, `GET ${path}`).toBe(200);
  const forms = await formsOf(page, `${URLS[app]}${path}`, pageAnswer.text);
  const form = forms.find((f) => f.intent === intent && f.action.split("?")[0] === path);
  expect(form, `a form with intent ${intent} on ${path}`).toBeTruthy();
  const entries = change ? change(form!.entries) : form!.entries;
  const answer = await http(app, form!.action, { cookie, ...formBody({ multipart: form!.multipart, entries }) });
  expect([302, 303], `${intent} on ${path}: ${answer.status} ${answer.text.slice(0, 500)}`).toContain(answer.status);
  return answer;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Amounts in every notation (for leak scans of prices).
// ————————————————————————————————————————————————————————————————————————————————————————————

function grouped(integer: string, separator: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * Every way an amount in minor units can be written: 1234.56 / 1234,56 / 1,234.56 / 1 234,56 /
 * 1.234,56 / 1'234.56 / 123456 (minor units) / 1234.5 (a number that lost its trailing zero).
 */
export function amountNotations(minor: bigint): string[] {
  const integer = (minor / 100n).toString();
  const cents = (minor % 100n).toString().padStart(2, "0");
  const forms = new Set([
    `${integer}.${cents}`,
    `${integer},${cents}`,
    `${grouped(integer, ",")}.${cents}`,
    `${grouped(integer, " ")},${cents}`,
    `${grouped(integer, " ")}.${cents}`,
    `${grouped(integer, ".")},${cents}`,
    `${grouped(integer, "'")}.${cents}`,
    minor.toString(),
  ]);
  if (cents.endsWith("0")) forms.add(`${integer}.${cents[0]}`);
  return [...forms];
}

/** `text` as a pattern matching it only as a whole token (not inside a longer number or word). */
export function tokenPattern(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, "iu");
}

/**
 * A raw POST over node:http, for what fetch will not do: another local address as the client (to be
 * another client of the sign-in throttle without touching the one every spec signs in from), or a
 * Content-Length that is declared but not sent (a body too large to bother sending).
 */
export function rawPost(
  app: App,
  path: string,
  options: { body: string | Buffer; contentType: string; localAddress?: string; declaredLength?: number; cookie?: string; origin?: string },
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  const url = new URL(URLS[app]);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port: url.port,
        path,
        method: "POST",
        localAddress: options.localAddress,
        headers: {
          host: url.host,
          origin: options.origin ?? URLS[app],
          "content-type": options.contentType,
          "content-length": String(options.declaredLength ?? Buffer.byteLength(options.body)),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
      },
    );
    // A refusal before the body is read closes the connection: the write may then fail after the answer came (no effect).
    request.on("error", reject);
    request.setTimeout(20_000, () => request.destroy(new Error(`POST ${path}: no answer`)));
    request.write(options.body);
    if (options.declaredLength === undefined) request.end();
  });
}
