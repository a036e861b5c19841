import { sql } from "kysely";
import type { Db } from "@souk/db";

export interface ThrottlePolicy {
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

/**
 * Per account: slow down guessing one password. Per address: slow down one client spraying many
 * accounts, with room for an office behind a single NAT address.
 */
export const SIGN_IN_THROTTLE = {
  account: { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  address: { maxFailures: 20, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
} as const satisfies Record<string, ThrottlePolicy>;

function policyOf(key: string): ThrottlePolicy {
  return key.startsWith("address:") ? SIGN_IN_THROTTLE.address : SIGN_IN_THROTTLE.account;
}

/** E-mails are case-insensitive (citext), so "Ann@x" and "ann@x" share one counter. */
export function throttleKeys(email: string, ip: string | null): string[] {
  const keys = [`account:${email.trim().toLowerCase()}`];
  if (ip) keys.push(`address:${ip}`);
  return keys;
}

/** Refused while any key is locked; retryAfterSeconds is when the last lock lifts. */
export async function checkSignInThrottle(db: Db, keys: readonly string[]): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  if (keys.length === 0) return { allowed: true, retryAfterSeconds: 0 };
  const row = await db
    .selectFrom("sign_in_throttle")
    .select(sql<number | null>`ceil(extract(epoch from max(locked_until) - now()))::int`.as("retry"))
    .where("key", "in", [...keys])
    .where("locked_until", ">", sql<Date>`now()`)
    .executeTakeFirst();
  const retry = row?.retry ?? null;
  return retry === null ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: Math.max(1, retry) };
}

/**
 * Counts one failed sign-in against every key. Each key is one `insert … on conflict do update`,
 * so concurrent failures never lose a count, and all times come from PostgreSQL's clock.
 * Call it outside the sign-in transaction (or commit it): a rolled-back failure is not counted.
 */
export async function recordSignInFailure(db: Db, keys: readonly string[]): Promise<void> {
  // Sorted so two callers inside transactions lock rows in the same order and cannot deadlock.
  for (const key of [...new Set(keys)].sort()) {
    const p = policyOf(key);
    const windowOver = sql<boolean>`sign_in_throttle.window_started_at <= now() - make_interval(secs => ${p.windowSeconds})`;
    const failures = sql<number>`case when ${windowOver} then 1 else sign_in_throttle.failures + 1 end`;
    const lock = sql<Date>`now() + make_interval(secs => ${p.lockSeconds})`;
    await db
      .insertInto("sign_in_throttle")
      .values({
        key,
        failures: 1,
        window_started_at: sql<Date>`now()`,
        locked_until: p.maxFailures <= 1 ? lock : null,
      })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({
          failures,
          window_started_at: sql<Date>`case when ${windowOver} then now() else sign_in_throttle.window_started_at end`,
          locked_until: sql<Date | null>`case when ${failures} >= ${p.maxFailures} then greatest(sign_in_throttle.locked_until, ${lock}) else sign_in_throttle.locked_until end`,
        }),
      )
      .execute();
  }
}

/** After a successful sign-in, only the account key: an address keeps its count across accounts. */
export async function clearSignInThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom("sign_in_throttle").where("key", "=", key).execute();
}

/** Housekeeping for a periodic job: rows whose window and lock are both over carry no state. */
export async function deleteStaleSignInThrottle(db: Db): Promise<number> {
  const longest = Math.max(...Object.values(SIGN_IN_THROTTLE).map((p) => p.windowSeconds));
  const result = await db
    .deleteFrom("sign_in_throttle")
    .where("window_started_at", "<=", sql<Date>`now() - make_interval(secs => ${longest})`)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", sql<Date>`now()`)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
