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

/**
 * Counts a sign-in attempt BEFORE its password is checked, in one atomic statement per key, and
 * says whether the attempt may go on. Checking first and counting after the ~80 ms argon2
 * verification would let a burst of parallel requests all pass the check before any failure is
 * counted; counting first means at most `maxFailures` attempts per window are ever verified,
 * however many arrive at once. A right password then hands its count back
 * (`settleSuccessfulSignIn`). Refused while any key is over its limit or locked.
 */
export async function claimSignInAttempt(db: Db, keys: readonly string[]): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  let allowed = true;
  let retryAfterSeconds = 0;
  // Sorted so two callers inside transactions lock rows in the same order and cannot deadlock.
  for (const key of [...new Set(keys)].sort()) {
    const p = policyOf(key);
    const windowOver = sql<boolean>`sign_in_throttle.window_started_at <= now() - make_interval(secs => ${p.windowSeconds})`;
    const failures = sql<number>`case when ${windowOver} then 1 else sign_in_throttle.failures + 1 end`;
    const lock = sql<Date>`now() + make_interval(secs => ${p.lockSeconds})`;
    const row = await db
      .insertInto("sign_in_throttle")
      .values({ key, failures: 1, window_started_at: sql<Date>`now()`, locked_until: p.maxFailures < 1 ? lock : null })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({
          failures,
          window_started_at: sql<Date>`case when ${windowOver} then now() else sign_in_throttle.window_started_at end`,
          // The attempt past the limit is refused and starts the lock; attempts during the lock are
          // refused and counted but do not push it further.
          locked_until: sql<Date | null>`case when ${failures} > ${p.maxFailures} and (sign_in_throttle.locked_until is null or sign_in_throttle.locked_until <= now()) then ${lock} else sign_in_throttle.locked_until end`,
        }),
      )
      .returning([
        "failures",
        sql<number | null>`case when locked_until > now() then ceil(extract(epoch from locked_until - now()))::int end`.as("retry"),
      ])
      .executeTakeFirstOrThrow();
    if (row.failures > p.maxFailures || row.retry !== null) {
      allowed = false;
      retryAfterSeconds = Math.max(retryAfterSeconds, row.retry ?? p.lockSeconds, 1);
    }
  }
  return { allowed, retryAfterSeconds };
}

/**
 * After a right password: the attempt claimed by `claimSignInAttempt` was not a failure. The
 * account's count is cleared; the address gives back this one attempt but keeps the others, so one
 * good password does not wipe out a spray across many accounts from the same address.
 */
export async function settleSuccessfulSignIn(db: Db, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    if (key.startsWith("account:")) await clearSignInThrottle(db, key);
    else await db.updateTable("sign_in_throttle").set({ failures: sql<number>`greatest(failures - 1, 0)` }).where("key", "=", key).execute();
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
