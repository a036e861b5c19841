import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { sql } from "kysely";
import type { AppName, Db, Session, User } from "@souk/db";

const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY_MS;
/** A session is pushed back to a full TTL once it has less than this left (Lucia's sliding window). */
export const SESSION_RENEW_WITHIN_MS = 15 * DAY_MS;

export const APP_NAMES = ["buyer", "seller", "operator"] as const satisfies readonly AppName[];

/** What a validated session exposes about its user: never the password hash, so it cannot leak into a loader. */
export type SessionUser = Omit<User, "password_hash">;

export interface SessionValidationResult {
  session: Session;
  user: SessionUser;
}

// Durations go to PostgreSQL as seconds so every expiry is computed with its clock, not ours.
const ttl = sql`make_interval(secs => ${SESSION_TTL_MS / 1000})`;
const renewWithin = sql`make_interval(secs => ${SESSION_RENEW_WITHIN_MS / 1000})`;

/** 20 random bytes (160 bits) → 32 base32 characters, no padding. */
export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** Only this hash is stored, so a read of the sessions table does not hand out live tokens. */
export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  db: Db,
  input: { userId: string; app: AppName; activeOrganizationId: string | null; ip: string | null; userAgent: string | null },
): Promise<{ token: string; session: Session }> {
  const token = generateSessionToken();
  const session = await db
    .insertInto("sessions")
    .values({
      id: sessionIdFromToken(token),
      user_id: input.userId,
      app: input.app,
      active_organization_id: input.activeOrganizationId,
      expires_at: sql<Date>`now() + ${ttl}`,
      ip: input.ip,
      user_agent: input.userAgent,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, session };
}

/**
 * Null when the token is unknown, belongs to another app, or has expired (the expired row is
 * deleted on sight). A session with less than SESSION_RENEW_WITHIN_MS left is extended to a full
 * TTL from now.
 */
export async function validateSessionToken(db: Db, token: string, app: AppName): Promise<SessionValidationResult | null> {
  // Real tokens are 32 characters; refusing absurd input early keeps junk cookies cheap.
  if (token.length === 0 || token.length > 256) return null;
  const id = sessionIdFromToken(token);

  const row = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select([
      "s.id",
      "s.user_id",
      "s.app",
      "s.active_organization_id",
      "s.created_at",
      "s.expires_at",
      "s.ip",
      "s.user_agent",
      "u.email",
      "u.name",
      "u.locale",
      "u.created_at as user_created_at",
      "u.password_changed_at",
      sql<boolean>`s.expires_at <= now()`.as("expired"),
      sql<boolean>`s.expires_at < now() + ${renewWithin}`.as("renew"),
    ])
    .where("s.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;

  if (row.expired) {
    // Re-checked in SQL so a concurrent renewal is never undone by a stale read.
    await db.deleteFrom("sessions").where("id", "=", id).where("expires_at", "<=", sql<Date>`now()`).execute();
    return null;
  }
  // A cookie presented to the wrong app is refused but left alone: it is still valid where it belongs.
  if (row.app !== app) return null;

  let expiresAt = row.expires_at;
  if (row.renew) {
    const renewed = await db
      .updateTable("sessions")
      .set({ expires_at: sql<Date>`now() + ${ttl}` })
      .where("id", "=", id)
      .where("expires_at", ">", sql<Date>`now()`)
      .returning("expires_at")
      .executeTakeFirst();
    // Deleted in between (sign-out on another tab): the session is gone.
    if (!renewed) return null;
    expiresAt = renewed.expires_at;
  }

  return {
    session: {
      id: row.id,
      user_id: row.user_id,
      app: row.app,
      active_organization_id: row.active_organization_id,
      created_at: row.created_at,
      expires_at: expiresAt,
      ip: row.ip,
      user_agent: row.user_agent,
    },
    user: {
      id: row.user_id,
      email: row.email,
      name: row.name,
      locale: row.locale,
      created_at: row.user_created_at,
      password_changed_at: row.password_changed_at,
    },
  };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

/** Signs the user out everywhere, optionally keeping the session that asked (password change). */
export async function invalidateUserSessions(db: Db, userId: string, options: { exceptSessionId?: string } = {}): Promise<void> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (options.exceptSessionId !== undefined) query = query.where("id", "<>", options.exceptSessionId);
  await query.execute();
}

export async function setSessionOrganization(db: Db, sessionId: string, organizationId: string | null): Promise<void> {
  await db.updateTable("sessions").set({ active_organization_id: organizationId }).where("id", "=", sessionId).execute();
}
