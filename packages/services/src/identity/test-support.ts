import type { AppName, Db } from "@souk/db";
import { isDomainError, type Actor, type DomainError, type OrganizationId, type OrganizationKind, type Role, type UserId } from "@souk/domain";
import type { ActorDeps, PublicUrls, RequestDeps, SessionDeps } from "../deps";

/** Helpers for this package's tests only (never exported from the package). */

export const TEST_URLS: PublicUrls = {
  buyer: "http://buyer.test",
  seller: "http://seller.test",
  operator: "http://operator.test",
};

let counter = 0;
/** A documentation-range address per call, so the per-address throttle of one test never trips another. */
export function nextIp(): string {
  counter += 1;
  return `198.51.${Math.floor(counter / 250) % 250}.${(counter % 250) + 1}`;
}

let emailCounter = 0;
export function uniqueEmail(label = "user"): string {
  emailCounter += 1;
  return `${label.toLowerCase()}.${process.pid}.${emailCounter}.${Date.now().toString(36)}@example.test`;
}

export const GOOD_PASSWORD = "correct horse battery staple";

export function requestDeps(db: Db, app: AppName, ip: string | null = nextIp()): RequestDeps {
  return { db, publicUrls: TEST_URLS, request: { app, ip, userAgent: "vitest" } };
}

export function sessionDeps(db: Db, app: AppName, session: { id: string; userId: string }, ip: string | null = nextIp()): SessionDeps {
  return { ...requestDeps(db, app, ip), session };
}

export function actorDeps(
  db: Db,
  member: { userId: string; organizationId: string; kind: OrganizationKind; role: Role; sessionId?: string },
  ip: string | null = nextIp(),
): ActorDeps {
  const actor: Actor = {
    userId: member.userId as UserId,
    organizationId: member.organizationId as OrganizationId,
    organizationKind: member.kind,
    organizationStatus: "active",
    role: member.role,
    ip,
  };
  return { ...sessionDeps(db, member.kind, { id: member.sessionId ?? "no-session", userId: member.userId }, ip), actor };
}

const COUNTED = ["organizations", "users", "memberships", "invitations", "sessions", "audit_log", "outbox"] as const;
export type RowCounts = Record<(typeof COUNTED)[number], number>;

export async function rowCounts(db: Db): Promise<RowCounts> {
  const counts = {} as RowCounts;
  for (const table of COUNTED) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** The DomainError a promise rejects with (fails the test if it resolves or throws something else). */
export async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error("expected a DomainError, but the call succeeded");
}
