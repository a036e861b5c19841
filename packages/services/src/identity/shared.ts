import { sql } from "kysely";
import { z } from "zod";
import { claimSignInAttempt, sessionIdFromToken, settleSuccessfulSignIn, throttleKeys, verifyPassword } from "@souk/auth";
import type { AppName, Db } from "@souk/db";
import {
  can,
  conflict,
  DomainError,
  forbidden,
  FOUNDER_ROLE,
  notFound,
  ROLES,
  validationError,
  type Actor,
  type OrganizationKind,
  type OrganizationStatus,
  type Role,
} from "@souk/domain";
import type { PublicUrls } from "../deps";

/**
 * Identity helpers shared by several use cases of this folder. Not exported from the package:
 * apps go through the use cases.
 */

export const INVALID_CREDENTIALS_KEY = "auth.invalid_credentials";

/** One error for every sign-in failure, so the answer never tells which part was wrong. */
export function invalidCredentials(): DomainError {
  return new DomainError("INVALID_CREDENTIALS", INVALID_CREDENTIALS_KEY);
}

/** The caller's session ended (signed out, or replaced) while its request was running. */
export function signedOut(): DomainError {
  return new DomainError("UNAUTHENTICATED", "auth.signed_out");
}

/**
 * Locks the caller's session row until the transaction ends, so a concurrent sign-out waits for
 * the change in progress instead of slipping between its check and its write. Undefined once the
 * session is gone.
 */
export async function lockCallerSession(db: Db, session: { id: string; userId: string }): Promise<{ active_organization_id: string | null } | undefined> {
  return db
    .selectFrom("sessions")
    .select("active_organization_id")
    .where("id", "=", session.id)
    .where("user_id", "=", session.userId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Compares a password with an existing account's hash under the sign-in throttle: a wrong one
 * counts as a failure, a right one clears the account's lock, and a throttled account is refused
 * without even looking at the password. False when refused or wrong; the caller picks the error.
 */
export async function verifyPasswordThrottled(db: Db, account: { email: string; passwordHash: string }, password: string, ip: string | null): Promise<boolean> {
  const keys = throttleKeys(account.email, ip);
  // Counted before the check (see claimSignInAttempt): parallel guesses cannot outrun the limit.
  const throttle = await claimSignInAttempt(db, keys);
  if (!throttle.allowed || !(await verifyPassword(account.passwordHash, password))) return false;
  await settleSuccessfulSignIn(db, keys);
  return true;
}

/** The kind of organisation each app serves: the buyer app acts for buyer organisations, etc. */
export function kindOfApp(app: AppName): OrganizationKind {
  return app;
}

export function appUrl(publicUrls: PublicUrls, kind: OrganizationKind): string {
  return publicUrls[kind];
}

export function isFounderRole(kind: OrganizationKind, role: string): boolean {
  return FOUNDER_ROLE[kind] === role;
}

export interface MembershipSummary {
  membershipId: string;
  organizationId: string;
  name: string;
  kind: OrganizationKind;
  status: OrganizationStatus;
  parentId: string | null;
  role: Role;
}

/**
 * The user's memberships in organisations of one kind, best first: active organisations before
 * pending/suspended ones, then oldest membership first, so "the first one" is stable.
 */
export async function membershipsOfKind(db: Db, userId: string, kind: OrganizationKind): Promise<MembershipSummary[]> {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("organizations as o", "o.id", "m.organization_id")
    .select(["m.id as membershipId", "o.id as organizationId", "o.name", "o.kind", "o.status", "o.parent_id as parentId", "m.role"])
    .where("m.user_id", "=", userId)
    .where("o.kind", "=", kind)
    .orderBy(sql`o.status = 'active'`, "desc")
    .orderBy("m.created_at", "asc")
    .orderBy("m.id", "asc")
    .execute();
  return rows.map((r) => ({ ...r, role: r.role as Role }));
}

/** PostgreSQL unique_violation, optionally on one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === "23505" && (constraint === undefined || e.constraint === constraint);
}

/** Name PostgreSQL gives the unique constraint of `users.email` (migration 0001). */
export const USERS_EMAIL_UNIQUE = "users_email_key";

/**
 * Inserts an account and returns its id. An e-mail that already has one is the field error
 * `email.taken`, thrown so that the caller's transaction rolls back with it.
 */
export async function insertUser(db: Db, user: { email: string; name: string; passwordHash: string; locale?: "en" | "fr" }): Promise<string> {
  try {
    const row = await db
      .insertInto("users")
      .values({ email: user.email, name: user.name, password_hash: user.passwordHash, ...(user.locale ? { locale: user.locale } : {}) })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (error) {
    if (isUniqueViolation(error, USERS_EMAIL_UNIQUE)) throw validationError({ email: ["email.taken"] });
    throw error;
  }
}

/** A role of one kind of organisation, e.g. "purchaser" for a buyer; "role.invalid" otherwise. */
export function roleField<K extends OrganizationKind>(kind: K) {
  const roles = ROLES[kind] as readonly (typeof ROLES)[K][number][];
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.enum(roles as [(typeof ROLES)[K][number], ...(typeof ROLES)[K][number][]], {
      error: (issue) => (issue.input === undefined || issue.input === "" ? "role.required" : "role.invalid"),
    }),
  );
}

/** Any role of any kind: the static shape of a role field, narrowed per organisation by roleField. */
export const anyRoleField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v),
  z.enum([...new Set(Object.values(ROLES).flat())] as [Role, ...Role[]], {
    error: (issue) => (issue.input === undefined || issue.input === "" ? "role.required" : "role.invalid"),
  }),
);

export interface InvitationRow {
  id: string;
  organizationId: string;
  organizationName: string;
  organizationKind: OrganizationKind;
  email: string;
  role: Role;
  expiresAt: Date;
}

/**
 * The invitation a token designates, if it can still be accepted (database clock). Otherwise
 * INVITATION_INVALID whose message key says why: the token's holder may know that much.
 */
export async function loadUsableInvitation(db: Db, token: string, options: { forUpdate?: boolean } = {}): Promise<InvitationRow> {
  let query = db
    .selectFrom("invitations as i")
    .innerJoin("organizations as o", "o.id", "i.organization_id")
    .select([
      "i.id",
      "i.organization_id as organizationId",
      "o.name as organizationName",
      "o.kind as organizationKind",
      "i.email",
      "i.role",
      "i.expires_at as expiresAt",
      "i.accepted_at",
      "i.revoked_at",
      sql<boolean>`i.expires_at <= now()`.as("expired"),
    ])
    .where("i.token_hash", "=", sessionIdFromToken(token));
  if (options.forUpdate) query = query.forUpdate("i");
  const row = await query.executeTakeFirst();
  if (!row) throw new DomainError("INVITATION_INVALID", "invitation.invalid");
  if (row.accepted_at) throw new DomainError("INVITATION_INVALID", "invitation.used");
  if (row.revoked_at) throw new DomainError("INVITATION_INVALID", "invitation.revoked");
  if (row.expired) throw new DomainError("INVITATION_INVALID", "invitation.expired");
  return {
    id: row.id,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    organizationKind: row.organizationKind,
    email: row.email,
    role: row.role as Role,
    expiresAt: row.expiresAt,
  };
}

/** Invitation tokens are generated like session tokens (32 base32 characters). */
export const invitationTokenField = z
  .string({ error: "token.required" })
  .trim()
  .min(1, { error: "token.required", abort: true })
  .max(256, { error: "token.invalid" });

export interface LockedMembership {
  id: string;
  user_id: string;
  role: string;
}

/**
 * Locks every membership of an organisation (in id order, so two callers never deadlock) and
 * returns them as they are once the lock is held. Changes that could remove the last founder-level
 * member run after this: two concurrent demotions of the last two admins then run one after the
 * other, and the second sees the first's result.
 */
export async function lockOrganizationMemberships(db: Db, organizationId: string): Promise<LockedMembership[]> {
  return db
    .selectFrom("memberships")
    .select(["id", "user_id", "role"])
    .where("organization_id", "=", organizationId)
    .orderBy("id")
    .forUpdate()
    .execute();
}

/**
 * Re-checks, under the lock, that the actor may still manage members: the actor was read when the
 * request started, and a concurrent change may have demoted or removed them since.
 */
export function assertStillManager(kind: OrganizationKind, memberships: { user_id: string; role: string }[], userId: string): void {
  const own = memberships.find((m) => m.user_id === userId);
  if (!own || !can(kind, own.role, "manage:members:org")) throw forbidden("Missing permission manage:members:org");
}

/**
 * The start of every change to a member of the actor's organisation: locks the organisation's
 * memberships, re-checks the actor under that lock, and finds the target among them, so a
 * membership of another organisation is NOT_FOUND (or `missing()`, for an id from a form field)
 * exactly like one that does not exist.
 */
export async function lockTargetMembership(
  db: Db,
  actor: Actor,
  membershipId: string,
  missing: () => DomainError = () => notFound("Membership"),
): Promise<{ memberships: LockedMembership[]; target: LockedMembership }> {
  const memberships = await lockOrganizationMemberships(db, actor.organizationId);
  assertStillManager(actor.organizationKind, memberships, actor.userId);
  const target = memberships.find((m) => m.id === membershipId);
  if (!target) throw missing();
  return { memberships, target };
}

/** Refuses a change that would leave the organisation without its founder-level role. */
export function assertFounderRemains(kind: OrganizationKind, memberships: { id: string; role: string }[], changed: { id: string; newRole: string | null }): void {
  const founder = FOUNDER_ROLE[kind];
  const remaining = memberships.filter((m) => (m.id === changed.id ? changed.newRole === founder : m.role === founder));
  if (remaining.length === 0) {
    throw conflict("member.last_founder", { membershipId: [`member.last_${founder}`] });
  }
}
