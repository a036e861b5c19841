import { redirect } from "@remix-run/node";
import { readSessionToken, serializeBlankSessionCookie, serializeSessionCookie, SESSION_TTL_MS } from "@souk/auth";
import { can, type Actor, type Permission } from "@souk/domain";
import type { MessageKey } from "../i18n/i18n";
import type { AppKind } from "../types";
import { forbiddenPage } from "./errors.server";
import { flashCookie, signInPath } from "./request.server";

/** What the guards need of a resolved session (structurally @souk/services' ResolvedSession). */
export interface GuardedSession {
  sessionId: string;
  /** Possibly pushed back by sliding renewal: the cookie is re-sent with it. */
  expiresAt: Date;
  user: { id: string };
  /** The user acting for the session's active organisation; null when it has none of this app's kind. */
  actor: Actor | null;
}

export interface GuardsOptions<R extends GuardedSession, D extends object> {
  app: AppKind;
  /** Whether cookies get `Secure`: @souk/auth's isSecureOrigin(public URL). */
  secure: boolean;
  /** The trusted dependencies services get for a request (database, public URLs, request meta). */
  requestDeps: (request: Request) => D;
  /** Who holds this app's session token, or null (unknown, expired, signed out, another app's). */
  resolveSession: (request: Request, token: string) => Promise<R | null>;
}

/** The session as services take it: from a validated cookie, never from input. */
export interface SessionRef {
  id: string;
  userId: string;
}

export interface UserContext<R, D> {
  session: R;
  deps: D & { session: SessionRef };
}

export interface ActorContext<R, D> extends UserContext<R, D> {
  actor: Actor;
  deps: D & { session: SessionRef; actor: Actor };
}

export interface RedirectOptions {
  /** Starts (or continues with) this session: its cookie is set. */
  session?: { token: string; expiresAt: Date };
  /** Clears the session cookie. */
  endSession?: boolean;
  /** A one-shot message shown by the next page. */
  flash?: MessageKey;
}

export interface Guards<R extends GuardedSession, D extends object> {
  app: AppKind;
  secure: boolean;
  /** This app's session token from the Cookie header; another app's cookie is never read. */
  sessionToken(request: Request): string | null;
  /** Who is calling, or null when signed out. Resolved once per request (root and route loaders share it). */
  getSession(request: Request): Promise<R | null>;
  /** The signed-in user and the service deps that carry their session, or null. */
  getUser(request: Request): Promise<UserContext<R, D> | null>;
  /** Guard: a signed-in user of this app, else a redirect to sign-in that comes back here. */
  requireUser(request: Request): Promise<UserContext<R, D>>;
  /**
   * Guard: a signed-in user acting for an organisation of this app's kind, optionally holding a
   * permission there (403 otherwise). Services check permissions again; this one only answers earlier.
   */
  requireActor(request: Request, permission?: Permission): Promise<ActorContext<R, D>>;
  /** Redirects a signed-in visitor away from sign-in / sign-up pages. */
  redirectIfSignedIn(request: Request, to?: string): Promise<void>;
  /**
   * Cookie to send back with a page so that the browser keeps the session as long as the database
   * does: a session created or renewed (sliding expiry) just now has almost the full lifetime left.
   * A cookie whose session no longer exists is cleared.
   */
  sessionCookieRefresh(request: Request, session: R | null): string | null;
  sessionCookie(token: string, expiresAt: Date): string;
  blankSessionCookie(): string;
  /** A redirect that sets this app's cookies: a new session, the end of one, a flash message. */
  redirectWith(to: string, options?: RedirectOptions): Response;
}

/**
 * The guards of one app, over its own session resolution (the app wires @souk/services'
 * resolveSession and its requestDeps; this package never imports services).
 */
export function createGuards<R extends GuardedSession, D extends object>(options: GuardsOptions<R, D>): Guards<R, D> {
  const { app, secure, requestDeps, resolveSession } = options;
  const resolved = new WeakMap<Request, Promise<R | null>>();

  const sessionToken = (request: Request) => readSessionToken(request.headers.get("cookie"), app);
  const sessionCookie = (token: string, expiresAt: Date) => serializeSessionCookie(app, token, expiresAt, { secure });
  const blankSessionCookie = () => serializeBlankSessionCookie(app, { secure });

  function getSession(request: Request): Promise<R | null> {
    let pending = resolved.get(request);
    if (!pending) {
      const token = sessionToken(request);
      pending = token ? resolveSession(request, token) : Promise.resolve(null);
      resolved.set(request, pending);
    }
    return pending;
  }

  async function getUser(request: Request): Promise<UserContext<R, D> | null> {
    const session = await getSession(request);
    if (!session) return null;
    return { session, deps: { ...requestDeps(request), session: { id: session.sessionId, userId: session.user.id } } };
  }

  async function requireUser(request: Request): Promise<UserContext<R, D>> {
    const user = await getUser(request);
    if (!user) {
      throw redirect(signInPath(request), sessionToken(request) ? { headers: { "Set-Cookie": blankSessionCookie() } } : undefined);
    }
    return user;
  }

  return {
    app,
    secure,
    sessionToken,
    getSession,
    getUser,
    requireUser,
    async requireActor(request, permission) {
      const user = await requireUser(request);
      const actor = user.session.actor;
      if (!actor) forbiddenPage();
      if (permission && !can(actor.organizationKind, actor.role, permission)) forbiddenPage();
      return { ...user, actor, deps: { ...user.deps, actor } };
    },
    async redirectIfSignedIn(request, to = "/") {
      if (await getSession(request)) throw redirect(to);
    },
    sessionCookieRefresh(request, session) {
      const token = sessionToken(request);
      if (!session) return token ? blankSessionCookie() : null;
      const remaining = new Date(session.expiresAt).getTime() - Date.now();
      return token && remaining > SESSION_TTL_MS - 60_000 ? sessionCookie(token, new Date(session.expiresAt)) : null;
    },
    sessionCookie,
    blankSessionCookie,
    redirectWith(to, { session, endSession, flash } = {}) {
      const headers = new Headers();
      if (session) headers.append("Set-Cookie", sessionCookie(session.token, session.expiresAt));
      if (endSession) headers.append("Set-Cookie", blankSessionCookie());
      if (flash) headers.append("Set-Cookie", flashCookie(flash, { secure }));
      return redirect(to, { headers });
    },
  };
}
