/**
 * Calls Remix loaders and actions the way the server does, with real Fetch Requests, and turns
 * whatever they return or throw (redirect Response, `data()` with a status, plain object) into one
 * shape the tests can assert on. Errors that are not responses are rethrown.
 */
export interface RouteResult {
  status: number;
  headers: Headers;
  data: unknown;
  location: string | null;
}

type RouteFunction = (args: { request: Request; params: Record<string, string | undefined>; context: Record<string, unknown> }) => unknown;

interface DataWithInit {
  type: "DataWithResponseInit";
  data: unknown;
  init: ResponseInit | null;
}

function isDataWithInit(value: unknown): value is DataWithInit {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

function normalise(value: unknown, thrown: boolean): RouteResult {
  if (value instanceof Response) {
    return { status: value.status, headers: value.headers, data: null, location: value.headers.get("location") };
  }
  if (isDataWithInit(value)) {
    const headers = new Headers(value.init?.headers);
    return { status: value.init?.status ?? 200, headers, data: value.data, location: headers.get("location") };
  }
  if (thrown) throw value;
  return { status: 200, headers: new Headers(), data: value, location: null };
}

export async function call(fn: RouteFunction, request: Request, params: Record<string, string> = {}): Promise<RouteResult> {
  try {
    return normalise(await fn({ request, params, context: {} }), false);
  } catch (error) {
    return normalise(error, true);
  }
}

export const ORIGIN = "http://localhost";

/** A browser-like request: same-origin, a user agent, optional cookies and form fields. */
export function request(path: string, options: { method?: string; form?: Record<string, string>; cookie?: string | null; acceptLanguage?: string } = {}): Request {
  const headers = new Headers({ "user-agent": "vitest", origin: ORIGIN, "x-souk-client-address": "127.0.0.1" });
  if (options.cookie) headers.set("cookie", options.cookie);
  if (options.acceptLanguage) headers.set("accept-language", options.acceptLanguage);
  const method = options.method ?? (options.form ? "POST" : "GET");
  return new Request(`${ORIGIN}${path}`, { method, headers, body: options.form ? new URLSearchParams(options.form) : undefined });
}

/** "name=value" pairs of the session cookies a response sets, ready for a Cookie header. */
export function sessionCookieFrom(result: Pick<RouteResult, "headers">): string | null {
  const jar: string[] = [];
  for (const line of result.headers.getSetCookie()) {
    const pair = line.split(";")[0] ?? "";
    const name = pair.split("=")[0] ?? "";
    if (/^souk_(buyer|seller|operator)_session$/.test(name) && pair.length > name.length + 1) jar.push(pair);
  }
  return jar.length ? jar.join("; ") : null;
}

/** What a failed form action returns (FormFailure), for asserting on `result.data`. */
export interface Failure {
  ok: false;
  fieldErrors: Record<string, string[]>;
  formError: string | null;
  values: Record<string, string>;
}
