import { redirect } from "@remix-run/node";
import { readSessionToken, SESSION_TTL_MS } from "@souk/auth";
import { can, type Actor, type Permission } from "@souk/domain";
import { resolveSession, type ActorDeps, type RequestDeps, type ResolvedSession, type SessionDeps } from "@souk/services";
import { services } from "../services.server";
import { APP } from "./app";
import { forbiddenPage } from "./errors.server";
import { blankSessionCookie, requestMeta, sessionCookie, signInPath } from "./request.server";

export function requestDeps(request: Request): RequestDeps {
  return { db: services.db, publicUrls: services.publicUrls, request: requestMeta(request) };
}

/** This app's session token from the Cookie header; another app's cookie is never read. */
export function sessionToken(request: Request): string | null {
  return readSessionToken(request.headers.get("cookie"), APP);
}

// The root loader and the route loader of one request resolve the session once.
const resolved = new WeakMap<Request, Promise<ResolvedSession | null>>();

/** Who is calling, or null when signed out (no cookie, expired, signed out, or another app's session). */
export function getSession(request: Request): Promise<ResolvedSession | null> {
  let pending = resolved.get(request);
  if (!pending) {
    const token = sessionToken(request);
    pending = token ? resolveSession(requestDeps(request), { token }) : Promise.resolve(null);
    resolved.set(request, pending);
  }
  return pending;
}

export interface UserContext {
  session: ResolvedSession;
  deps: SessionDeps;
}

export interface ActorContext extends UserContext {
  actor: Actor;
  deps: ActorDeps;
}

/** Guard: a signed-in user of this app, else a redirect to sign-in that comes back here. */
export async function requireUser(request: Request): Promise<UserContext> {
  const session = await getSession(request);
  if (!session) {
    throw redirect(signInPath(request), sessionToken(request) ? { headers: { "Set-Cookie": blankSessionCookie() } } : undefined);
  }
  return { session, deps: { ...requestDeps(request), session: { id: session.sessionId, userId: session.user.id } } };
}

/**
 * Guard: a signed-in user acting for an organisation of this app's kind, optionally holding a
 * permission there (403 otherwise). Services check permissions again; this one only answers earlier.
 */
export async function requireActor(request: Request, permission?: Permission): Promise<ActorContext> {
  const user = await requireUser(request);
  const actor = user.session.actor;
  if (!actor) forbiddenPage();
  if (permission && !can(actor.organizationKind, actor.role, permission)) forbiddenPage();
  return { ...user, actor, deps: { ...user.deps, actor } };
}

/** Redirects a signed-in visitor away from sign-in / sign-up pages. */
export async function redirectIfSignedIn(request: Request, to = "/"): Promise<void> {
  if (await getSession(request)) throw redirect(to);
}

/**
 * Cookie to send back with a page so that the browser keeps the session as long as the database
 * does: a session created or renewed (sliding expiry) just now has almost the full lifetime left.
 * A cookie whose session no longer exists is cleared.
 */
export function sessionCookieRefresh(request: Request, session: ResolvedSession | null): string | null {
  if (!session) return sessionToken(request) ? blankSessionCookie() : null;
  const token = sessionToken(request);
  const remaining = new Date(session.expiresAt).getTime() - Date.now();
  return token && remaining > SESSION_TTL_MS - 60_000 ? sessionCookie(token, new Date(session.expiresAt)) : null;
}
