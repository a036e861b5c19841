import { z } from "zod";
import { sql } from "kysely";
import { createSession, hashPassword, invalidateSession } from "@souk/auth";
import { withTransaction } from "@souk/db";
import { DomainError, validationError, type Role } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { RequestDeps, SessionDeps } from "../deps";
import { fieldErrorsOf, localeField, newPasswordField, optionalText, requiredText } from "../input";
import { insertUser, invalidCredentials, invitationTokenField, loadUsableInvitation, verifyPasswordThrottled } from "./shared";

export const acceptInvitationSchema = z.object({
  token: invitationTokenField,
  name: optionalText("name"),
  // Checked after we know whether the invited e-mail has an account: a new one must meet the
  // password rules, an existing one is only compared with its hash.
  password: z.string({ error: "password.invalid" }).max(1024, { error: "password.too_long" }).optional(),
  locale: localeField,
});
export type AcceptInvitationInput = z.input<typeof acceptInvitationSchema>;

const newAccountSchema = z.object({ name: requiredText("name"), password: newPasswordField });

export type AcceptInvitationDeps = RequestDeps & { session?: SessionDeps["session"] };

export interface AcceptInvitationResult {
  userId: string;
  organizationId: string;
  membershipId: string;
  role: Role;
  /** A new session of the organisation's app (= deps.request.app), active on the organisation. */
  token: string;
  expiresAt: Date;
}

/**
 * Joins the invitation's organisation. A new e-mail gets an account (name + password); an existing
 * account proves itself with its password, or by being the signed-in user. Works once: the
 * invitation row is locked and marked accepted in the same transaction as the membership.
 */
export async function acceptInvitation(deps: AcceptInvitationDeps, input: unknown): Promise<AcceptInvitationResult> {
  const parsed = acceptInvitationSchema.safeParse(input ?? {});
  if (!parsed.success) throw validationError(fieldErrorsOf(parsed.error));
  const data = parsed.data;
  const { db, request } = deps;

  const invitation = await loadUsableInvitation(db, data.token);
  // The link points at the organisation's own app, whose cookie the new session goes into.
  if (invitation.organizationKind !== request.app) throw new DomainError("INVITATION_INVALID", "invitation.wrong_app");

  const existing = await db.selectFrom("users").select(["id", "password_hash"]).where("email", "=", invitation.email).executeTakeFirst();
  let newAccount: { name: string; passwordHash: string } | null = null;
  if (existing) {
    if (deps.session?.userId !== existing.id) await proveAccount(deps, invitation.email, existing.password_hash, data.password);
  } else {
    const account = newAccountSchema.safeParse({ name: data.name, password: data.password });
    if (!account.success) throw validationError(fieldErrorsOf(account.error));
    newAccount = { name: account.data.name, passwordHash: await hashPassword(account.data.password) };
  }

  return withTransaction(db, async (trx) => {
    // Re-read under lock: a concurrent accept (double click, two tabs) waits here and then fails as used.
    const locked = await loadUsableInvitation(trx, data.token, { forUpdate: true });

    let userId: string;
    if (existing) {
      userId = existing.id;
    } else if (newAccount) {
      // email.taken when someone signed up with this e-mail since we looked: they must accept as that account.
      userId = await insertUser(trx, { email: locked.email, name: newAccount.name, passwordHash: newAccount.passwordHash, locale: data.locale });
    } else {
      throw new Error("unreachable: neither an existing nor a new account");
    }

    // Already a member (invited twice, joined meanwhile): keep the role they have.
    await trx
      .insertInto("memberships")
      .values({ organization_id: locked.organizationId, user_id: userId, role: locked.role })
      .onConflict((oc) => oc.columns(["organization_id", "user_id"]).doNothing())
      .execute();
    const membership = await trx
      .selectFrom("memberships")
      .select(["id", "role"])
      .where("organization_id", "=", locked.organizationId)
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    await trx.updateTable("invitations").set({ accepted_at: sql<Date>`now()` }).where("id", "=", locked.id).execute();

    // The session that accepted (same app, same user) is replaced, not left beside the new one.
    if (deps.session && deps.session.userId === userId) await invalidateSession(trx, deps.session.id);
    const { token, session } = await createSession(trx, {
      userId,
      app: request.app,
      activeOrganizationId: locked.organizationId,
      ip: request.ip,
      userAgent: request.userAgent,
    });
    await recordAudit(trx, {
      actor: { userId, organizationId: locked.organizationId },
      action: "member.joined",
      targetType: "membership",
      targetId: membership.id,
      ip: request.ip,
      data: { invitationId: locked.id, role: membership.role, newAccount: newAccount !== null },
    });
    return {
      userId,
      organizationId: locked.organizationId,
      membershipId: membership.id,
      role: membership.role as Role,
      token,
      expiresAt: session.expires_at,
    };
  });
}

/** The invited e-mail already has an account and nobody is signed in as it: its password is the proof, throttled like sign-in. */
async function proveAccount(deps: AcceptInvitationDeps, email: string, passwordHash: string, password: string | undefined): Promise<void> {
  if (!password) throw validationError({ password: ["password.required"] });
  if (!(await verifyPasswordThrottled(deps.db, { email, passwordHash }, password, deps.request.ip))) throw invalidCredentials();
}
