import { z } from "zod";
import { setSessionOrganization } from "@souk/auth";
import { withTransaction } from "@souk/db";
import { notFound } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { SessionDeps } from "../deps";
import { idField, parseInput } from "../input";
import { kindOfApp, lockCallerSession, signedOut } from "./shared";

export const switchOrganizationSchema = z.object({ organizationId: idField("organizationId") });

/**
 * Makes another of the user's organisations the session's active one. An organisation the user
 * is not a member of, or of another app's kind, is NOT_FOUND: the answer must not reveal that it exists.
 */
export async function switchOrganization(deps: SessionDeps, input: unknown): Promise<{ organizationId: string }> {
  const { organizationId } = parseInput(switchOrganizationSchema, input);
  const { session, request } = deps;

  return withTransaction(deps.db, async (trx) => {
    const membership = await trx
      .selectFrom("memberships as m")
      .innerJoin("organizations as o", "o.id", "m.organization_id")
      .select(["m.role"])
      .where("m.user_id", "=", session.userId)
      .where("m.organization_id", "=", organizationId)
      .where("o.kind", "=", kindOfApp(request.app))
      .executeTakeFirst();
    if (!membership) throw notFound("Organization");

    const current = await lockCallerSession(trx, session);
    // Signed out in another tab between the guard and here.
    if (!current) throw signedOut();
    if (current.active_organization_id === organizationId) return { organizationId };

    await setSessionOrganization(trx, session.id, organizationId);
    await recordAudit(trx, {
      actor: { userId: session.userId, organizationId },
      action: "organization.switched",
      targetType: "organization",
      targetId: organizationId,
      ip: request.ip,
      data: { from: current.active_organization_id, to: organizationId },
    });
    return { organizationId };
  });
}
