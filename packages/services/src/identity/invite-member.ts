import { z } from "zod";
import { sql } from "kysely";
import { generateSessionToken, sessionIdFromToken } from "@souk/auth";
import { withTransaction } from "@souk/db";
import { assertCan, validationError, type Role } from "@souk/domain";
import { writeOutbox } from "@souk/jobs";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import type { EmailTemplateParams } from "../notifications/templates";
import { emailField, parseInput } from "../input";
import { anyRoleField, appUrl, assertStillManager, lockOrganizationMemberships, roleField } from "./shared";

export const INVITATION_TTL_DAYS = 7;

export const inviteMemberSchema = z.object({
  email: emailField,
  role: anyRoleField,
});
export type InviteMemberInput = z.input<typeof inviteMemberSchema>;

export interface InviteMemberResult {
  invitationId: string;
  email: string;
  role: Role;
  expiresAt: Date;
  /**
   * The accept link, for the inviting admin to copy once (the same link is e-mailed). Only its
   * hash is stored, so it cannot be shown again later.
   */
  acceptUrl: string;
}

/**
 * Invites an e-mail address into the actor's organisation with a role of that organisation's
 * kind. Only the token's hash is stored; the token itself travels once, in the e-mail link.
 * A new invitation for the same address replaces (revokes) a pending one.
 */
export async function inviteMember(deps: ActorDeps, input: unknown): Promise<InviteMemberResult> {
  const { db, actor, request } = deps;
  assertCan(actor, "manage:members:org");
  const data = parseInput(inviteMemberSchema.extend({ role: roleField(actor.organizationKind) }), input);

  const alreadyMember = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select("m.id")
    .where("m.organization_id", "=", actor.organizationId)
    .where("u.email", "=", data.email)
    .executeTakeFirst();
  if (alreadyMember) throw validationError({ email: ["email.already_member"] });

  const token = generateSessionToken();
  const acceptUrl = `${appUrl(deps.publicUrls, actor.organizationKind)}/invitations/${token}`;

  return withTransaction(db, async (trx) => {
    // The inviter's role is checked again under the memberships lock, as for role changes: an admin
    // demoted while this request ran must not still hand out an invitation.
    assertStillManager(actor.organizationKind, await lockOrganizationMemberships(trx, actor.organizationId), actor.userId);
    const organization = await trx.selectFrom("organizations").select("name").where("id", "=", actor.organizationId).executeTakeFirstOrThrow();
    const inviter = await trx.selectFrom("users").select(["name", "locale"]).where("id", "=", actor.userId).executeTakeFirstOrThrow();
    const invitee = await trx.selectFrom("users").select(["id", "locale"]).where("email", "=", data.email).executeTakeFirst();

    await trx
      .updateTable("invitations")
      .set({ revoked_at: sql<Date>`now()` })
      .where("organization_id", "=", actor.organizationId)
      .where("email", "=", data.email)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .execute();

    const invitation = await trx
      .insertInto("invitations")
      .values({
        organization_id: actor.organizationId,
        email: data.email,
        role: data.role,
        token_hash: sessionIdFromToken(token),
        invited_by: actor.userId,
        // The database clock decides expiry, here and when the invitation is accepted.
        expires_at: sql<Date>`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
      })
      .returning(["id", "expires_at"])
      .executeTakeFirstOrThrow();

    await writeOutbox(trx, "notification.email", {
      template: "member.invited",
      locale: invitee?.locale ?? inviter.locale,
      to: data.email,
      userId: invitee?.id ?? null,
      organizationId: actor.organizationId,
      params: {
        organizationName: organization.name,
        inviterName: inviter.name,
        role: data.role,
        // A secret param of the template: once the e-mail is sent the outbox keeps it redacted.
        acceptUrl,
        expiresAt: invitation.expires_at.toISOString(),
      } satisfies EmailTemplateParams<"member.invited">,
    });
    await recordAudit(trx, {
      actor,
      action: "member.invited",
      targetType: "invitation",
      targetId: invitation.id,
      ip: request.ip,
      data: { email: data.email, role: data.role },
    });
    return { invitationId: invitation.id, email: data.email, role: data.role, expiresAt: invitation.expires_at, acceptUrl };
  });
}
