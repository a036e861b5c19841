import { z } from "zod";
import {
  claimSignInAttempt,
  createSession,
  hashPassword,
  passwordNeedsRehash,
  settleSuccessfulSignIn,
  throttleKeys,
  verifyPassword,
  verifyPasswordAgainstDummy,
} from "@souk/auth";
import { withTransaction } from "@souk/db";
import { recordAudit } from "../audit/record-audit";
import type { RequestDeps } from "../deps";
import { currentPasswordField, emailField, parseInput } from "../input";
import { invalidCredentials, kindOfApp, membershipsOfKind } from "./shared";

export const signInSchema = z.object({
  email: emailField,
  password: currentPasswordField,
});
export type SignInInput = z.input<typeof signInSchema>;

export interface SignInResult {
  token: string;
  expiresAt: Date;
  organizationId: string;
}

type FailureReason = "throttled" | "unknown_email" | "wrong_password" | "no_membership";

/**
 * Signs in to `deps.request.app`. Every failure (throttled, unknown e-mail, wrong password, no
 * organisation of this app's kind) throws the same INVALID_CREDENTIALS error and spends one
 * password verification, so neither the message nor the timing tells them apart.
 */
export async function signIn(deps: RequestDeps, input: unknown): Promise<SignInResult> {
  const { email, password } = parseInput(signInSchema, input);
  const { db, request } = deps;
  const keys = throttleKeys(email, request.ip);

  const fail = async (reason: FailureReason, userId: string | null): Promise<never> => {
    // The reason is for operators reading the log; the caller only ever sees one error.
    await recordAudit(db, {
      actor: null,
      action: "auth.sign_in_failed",
      targetType: userId ? "user" : null,
      targetId: userId,
      ip: request.ip,
      data: { email, app: request.app, reason },
    });
    throw invalidCredentials();
  };

  // Counted before the password is checked, atomically: once over the limit even the right
  // password waits, and a burst of parallel guesses cannot slip past the count.
  const throttle = await claimSignInAttempt(db, keys);
  if (!throttle.allowed) {
    await verifyPasswordAgainstDummy(password);
    return fail("throttled", null);
  }

  const user = await db.selectFrom("users").select(["id", "password_hash"]).where("email", "=", email).executeTakeFirst();
  if (!user) {
    await verifyPasswordAgainstDummy(password);
    return fail("unknown_email", null);
  }
  if (!(await verifyPassword(user.password_hash, password))) return fail("wrong_password", user.id);
  await settleSuccessfulSignIn(db, keys);

  // A seller whose organisation is still pending may sign in: it has to see its application status.
  const [membership] = await membershipsOfKind(db, user.id, kindOfApp(request.app));
  if (!membership) return fail("no_membership", user.id);

  // Hashes made under older parameters are upgraded while the plain password is at hand.
  const newHash = passwordNeedsRehash(user.password_hash) ? await hashPassword(password) : null;

  return withTransaction(db, async (trx) => {
    if (newHash) await trx.updateTable("users").set({ password_hash: newHash }).where("id", "=", user.id).execute();
    const { token, session } = await createSession(trx, {
      userId: user.id,
      app: request.app,
      activeOrganizationId: membership.organizationId,
      ip: request.ip,
      userAgent: request.userAgent,
    });
    await recordAudit(trx, {
      actor: { userId: user.id, organizationId: membership.organizationId },
      action: "auth.sign_in",
      ip: request.ip,
      data: { app: request.app },
    });
    return { token, expiresAt: session.expires_at, organizationId: membership.organizationId };
  });
}
