import { z } from "zod";
import { setSessionOrganization, validateSessionToken } from "@souk/auth";
import type { Actor, OrganizationId, OrganizationKind, OrganizationStatus, Role, UserId } from "@souk/domain";
import type { RequestDeps } from "../deps";
import { kindOfApp, membershipsOfKind } from "./shared";

export const resolveSessionSchema = z.object({ token: z.string().min(1).max(256) });

export interface SessionOrganization {
  id: string;
  name: string;
  kind: OrganizationKind;
  status: OrganizationStatus;
  /** Set on a buyer's branch: the organisation it belongs to. */
  parentId: string | null;
  role: Role;
}

export interface ResolvedSession {
  sessionId: string;
  /** Possibly pushed back by the sliding renewal: the app re-sets the cookie with it. */
  expiresAt: Date;
  user: { id: string; email: string; name: string; locale: "en" | "fr" };
  /** The user acting for the session's active organisation; null when it has none of this app's kind. */
  actor: Actor | null;
  /** Memberships in organisations of the app's kind only (a seller membership never shows in the buyer app). */
  organizations: SessionOrganization[];
}

/**
 * Turns a session cookie of `deps.request.app` into who is calling. Null for an unknown, expired,
 * signed-out or other-app token. If the active organisation is no longer valid (membership
 * removed), the first remaining one becomes active, or none.
 */
export async function resolveSession(deps: RequestDeps, input: unknown): Promise<ResolvedSession | null> {
  // A junk cookie is "not signed in", not a form error.
  const parsed = resolveSessionSchema.safeParse(input);
  if (!parsed.success) return null;
  const { db, request } = deps;

  const validated = await validateSessionToken(db, parsed.data.token, request.app);
  if (!validated) return null;
  const { session, user } = validated;

  const memberships = await membershipsOfKind(db, user.id, kindOfApp(request.app));
  const active = memberships.find((m) => m.organizationId === session.active_organization_id) ?? memberships[0] ?? null;
  const activeId = active?.organizationId ?? null;
  if (activeId !== session.active_organization_id) await setSessionOrganization(db, session.id, activeId);

  return {
    sessionId: session.id,
    expiresAt: session.expires_at,
    user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
    actor: active
      ? {
          userId: user.id as UserId,
          organizationId: active.organizationId as OrganizationId,
          organizationKind: active.kind,
          organizationStatus: active.status,
          role: active.role,
          ip: request.ip,
        }
      : null,
    organizations: memberships.map((m) => ({
      id: m.organizationId,
      name: m.name,
      kind: m.kind,
      status: m.status,
      parentId: m.parentId,
      role: m.role,
    })),
  };
}
