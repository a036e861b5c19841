import { data } from "@remix-run/node";
import { can, ROLES, type Actor } from "@souk/domain";
import type { LayoutData, ShellOrganization } from "../types";
import type { GuardedSession, Guards } from "./guards.server";
import { clearFlashCookie, localeOf, readFlash } from "./request.server";

/** What the layout and the dashboards show of a session (structurally @souk/services' ResolvedSession). */
export interface PageSession extends GuardedSession {
  user: { id: string; name: string; email: string };
  organizations: readonly (ShellOrganization & { id: string })[];
}

/** The organisation the actor acts for, as listed in the session. */
export function activeOrganization<O extends { id: string }>(session: { actor: Actor | null; organizations: readonly O[] }): O | null {
  const actor = session.actor;
  return (actor && session.organizations.find((o) => o.id === actor.organizationId)) ?? null;
}

/**
 * The root loader: layout data for every page, with the cookies that keep the session as long as
 * the database does and that clear a flash message once shown.
 */
export async function layoutData<R extends PageSession>(
  request: Request,
  guards: Pick<Guards<R, object>, "getSession" | "sessionCookieRefresh" | "secure">,
  /** The navigation's badge counts for a signed-in session (e.g. unread messages); a failure shows no badge rather than no page. */
  badges?: (session: R) => Promise<Record<string, number>>,
) {
  const session = await guards.getSession(request);
  const flash = readFlash(request);
  const headers = new Headers();
  const refresh = guards.sessionCookieRefresh(request, session);
  if (refresh) headers.append("Set-Cookie", refresh);
  if (flash) headers.append("Set-Cookie", clearFlashCookie({ secure: guards.secure }));
  const layout: LayoutData = {
    locale: localeOf(request),
    flash,
    user: session ? { name: session.user.name, email: session.user.email } : null,
    organizations: session ? session.organizations.map((o) => ({ id: o.id, name: o.name, status: o.status, role: o.role })) : [],
    activeOrganizationId: session?.actor?.organizationId ?? null,
  };
  if (session && badges) layout.badges = await badges(session).catch(() => ({}));
  return data(layout, { headers });
}

/**
 * The facts every dashboard starts with. `list` is the actor's organisation's members and pending
 * invitations (null without an active organisation).
 */
export function dashboardData<R extends PageSession>(session: R, list: { members: readonly unknown[]; invitations: readonly unknown[] } | null) {
  const actor = session.actor;
  return {
    user: session.user,
    organization: actor && list ? activeOrganization(session) : null,
    memberCount: list?.members.length ?? 0,
    pendingInvitationCount: list?.invitations.length ?? 0,
    canManageMembers: actor !== null && list !== null && can(actor.organizationKind, actor.role, "manage:members:org"),
  };
}

/**
 * The members page: the actor's organisation's members and pending invitations (`list`), with the
 * roles an administrator can give and whether this actor may manage them.
 */
export function membersPageData<L extends object>(context: { session: PageSession; actor: Actor }, list: L) {
  const { session, actor } = context;
  return {
    ...list,
    organizationName: activeOrganization(session)?.name ?? "",
    roles: ROLES[actor.organizationKind],
    canManage: can(actor.organizationKind, actor.role, "manage:members:org"),
  };
}
