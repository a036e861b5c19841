import { z } from "zod";
import { sql } from "kysely";
import { createSession, hashPassword, invalidateUserSessions } from "@souk/auth";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { writeOutbox } from "@souk/jobs";
import { recordAudit } from "../audit/record-audit";
import type { SessionDeps } from "../deps";
import type { EmailTemplateParams } from "../notifications/templates";
import { currentPasswordField, newPasswordField, parseInput } from "../input";
import { lockCallerSession, signedOut, verifyPasswordThrottled } from "./shared";

export const changePasswordSchema = z.object({
  currentPassword: currentPasswordField,
  newPassword: newPasswordField,
});
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/**
 * Changes the signed-in user's password. Every session of the user, in every app, ends; the
 * caller gets a fresh session in place of its own, and the account's address gets an e-mail. A wrong current password counts towards the
 * sign-in throttle, so a stolen session cannot be used to guess it.
 */
export async function changePassword(deps: SessionDeps, input: unknown): Promise<{ token: string; expiresAt: Date }> {
  const data = parseInput(changePasswordSchema, input);
  const { db, session, request } = deps;

  const user = await db.selectFrom("users").select(["email", "name", "locale", "password_hash"]).where("id", "=", session.userId).executeTakeFirst();
  if (!user) throw signedOut();
  if (!(await verifyPasswordThrottled(db, { email: user.email, passwordHash: user.password_hash }, data.currentPassword, request.ip))) {
    throw validationError({ currentPassword: ["password.incorrect"] });
  }
  const passwordHash = await hashPassword(data.newPassword);

  return withTransaction(db, async (trx) => {
    const current = await lockCallerSession(trx, session);
    // Signed out elsewhere meanwhile: changing the password now would outlive the session that asked.
    if (!current) throw signedOut();

    const changed = await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()` })
      .where("id", "=", session.userId)
      .returning("password_changed_at")
      .executeTakeFirstOrThrow();
    await invalidateUserSessions(trx, session.userId);
    const { token, session: fresh } = await createSession(trx, {
      userId: session.userId,
      app: request.app,
      activeOrganizationId: current.active_organization_id,
      ip: request.ip,
      userAgent: request.userAgent,
    });
    await recordAudit(trx, {
      actor: { userId: session.userId, organizationId: current.active_organization_id },
      action: "auth.password_changed",
      targetType: "user",
      targetId: session.userId,
      ip: request.ip,
    });
    // Tells the owner, in case it was not them: the usual sign of a stolen session.
    await writeOutbox(trx, "notification.email", {
      template: "auth.password_changed",
      locale: user.locale,
      to: user.email,
      userId: session.userId,
      organizationId: current.active_organization_id,
      params: { name: user.name, changedAt: changed.password_changed_at.toISOString() } satisfies EmailTemplateParams<"auth.password_changed">,
    });
    return { token, expiresAt: fresh.expires_at };
  });
}
