/**
 * A signed-in browser, reduced to what the drills need: a cookie jar, GETs and form POSTs with the
 * app's Origin (the CSRF check wants it), no redirect following (a write's answer is its redirect),
 * and a bound on every request so that a hang is measured, not waited out.
 */
export interface Answer {
  status: number;
  ms: number;
  /** Redirect target of a 30x. */
  location: string | null;
  body: string;
  /** Network error or timeout (status 0). */
  error: string | null;
}

/** Longest a drill waits for one answer: anything near it is a hang. */
export const REQUEST_TIMEOUT_MS = 20_000;

export class Session {
  private readonly cookies = new Map<string, string>();

  constructor(
    /** The app's public URL: http://localhost:<port>. */
    readonly base: string,
    readonly who: string,
    /** The browser's Accept-Language: the pages' language (no language cookie is set). */
    readonly language: "en" | "fr" = "en",
  ) {}

  get(path: string, options: { timeoutMs?: number } = {}): Promise<Answer> {
    return this.send("GET", path, undefined, options.timeoutMs);
  }

  post(path: string, fields: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<Answer> {
    return this.send("POST", path, new URLSearchParams(fields), options.timeoutMs);
  }

  private async send(method: string, path: string, body: URLSearchParams | undefined, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Answer> {
    const headers: Record<string, string> = { "accept-language": this.language };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (method !== "GET") headers.origin = this.base;
    const started = performance.now();
    try {
      const response = await fetch(new URL(path, this.base), { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      for (const line of response.headers.getSetCookie()) this.remember(line);
      return { status: response.status, ms: performance.now() - started, location: response.headers.get("location"), body: text, error: null };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      return { status: 0, ms: performance.now() - started, location: null, body: "", error: `${error instanceof Error ? error.name : "Error"}${cause}` };
    }
  }

  private remember(setCookie: string) {
    const [pair = "", ...attributes] = setCookie.split(";");
    const index = pair.indexOf("=");
    if (index < 1) return;
    const name = pair.slice(0, index).trim();
    const value = pair.slice(index + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
    if (expired || value === "") this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** Signs in through the app's sign-in form; throws unless the app answers with its redirect and a session. */
export async function signIn(base: string, email: string, password: string, language: "en" | "fr" = "en"): Promise<Session> {
  const session = new Session(base, email, language);
  const answer = await session.post("/sign-in", { email, password });
  if (answer.status !== 302 && answer.status !== 303) throw new Error(`sign-in of ${email} at ${base}: HTTP ${answer.status} ${answer.error ?? answer.body.slice(0, 300)}`);
  return session;
}
