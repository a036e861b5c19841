import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import {
  SIGN_IN_THROTTLE,
  checkSignInThrottle,
  clearSignInThrottle,
  deleteStaleSignInThrottle,
  recordSignInFailure,
  throttleKeys,
} from "./throttle";

const { db } = await createTestDatabase();

async function row(key: string) {
  return db.selectFrom("sign_in_throttle").selectAll().where("key", "=", key).executeTakeFirst();
}

/** Moves a key's window and lock into the past, as if `minutes` had gone by. */
async function travel(key: string, minutes: number): Promise<void> {
  await sql`
    update sign_in_throttle
       set window_started_at = window_started_at - make_interval(mins => ${minutes}),
           locked_until = locked_until - make_interval(mins => ${minutes})
     where key = ${key}`.execute(db);
}

describe("throttleKeys", () => {
  test("one key per account (case-insensitive) and one per address", () => {
    expect(throttleKeys("  Ann@Example.COM ", "198.51.100.4")).toEqual(["account:ann@example.com", "address:198.51.100.4"]);
    expect(throttleKeys("ann@example.com", null)).toEqual(["account:ann@example.com"]);
  });

  test("the policy is 5 per account and 20 per address in 15 minutes", () => {
    expect(SIGN_IN_THROTTLE.account).toEqual({ maxFailures: 5, windowSeconds: 900, lockSeconds: 900 });
    expect(SIGN_IN_THROTTLE.address).toEqual({ maxFailures: 20, windowSeconds: 900, lockSeconds: 900 });
  });
});

describe("per account", () => {
  test("5 failures lock the account: the 6th attempt is refused before any password check", async () => {
    const keys = throttleKeys("five@throttle.test", "192.0.2.1");
    for (let i = 0; i < 5; i++) {
      expect(await checkSignInThrottle(db, keys)).toEqual({ allowed: true, retryAfterSeconds: 0 });
      await recordSignInFailure(db, keys);
    }
    const sixth = await checkSignInThrottle(db, keys);
    expect(sixth.allowed).toBe(false);
    expect(sixth.retryAfterSeconds).toBeGreaterThan(890);
    expect(sixth.retryAfterSeconds).toBeLessThanOrEqual(900);
    // The lock is on the account, wherever the next attempt comes from.
    expect((await checkSignInThrottle(db, throttleKeys("five@throttle.test", "192.0.2.99"))).allowed).toBe(false);
    expect((await checkSignInThrottle(db, throttleKeys("FIVE@throttle.test", null))).allowed).toBe(false);
    // Only the account is locked, not the address.
    expect((await checkSignInThrottle(db, throttleKeys("someone-else@throttle.test", "192.0.2.1"))).allowed).toBe(true);
    expect(await row("account:five@throttle.test")).toMatchObject({ failures: 5 });
  });

  test("the lock expires, and the next failure starts a new window", async () => {
    const keys = throttleKeys("expires@throttle.test", "192.0.2.2");
    for (let i = 0; i < 5; i++) await recordSignInFailure(db, keys);
    expect((await checkSignInThrottle(db, keys)).allowed).toBe(false);
    await travel("account:expires@throttle.test", 14);
    expect((await checkSignInThrottle(db, keys)).allowed).toBe(false);
    await travel("account:expires@throttle.test", 2);
    expect(await checkSignInThrottle(db, keys)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    await recordSignInFailure(db, keys);
    expect(await row("account:expires@throttle.test")).toMatchObject({ failures: 1 });
    expect((await checkSignInThrottle(db, keys)).allowed).toBe(true);
  });

  test("failures older than the window do not add up", async () => {
    const keys = throttleKeys("window@throttle.test", null);
    for (let i = 0; i < 4; i++) await recordSignInFailure(db, keys);
    await travel("account:window@throttle.test", 16);
    await recordSignInFailure(db, keys);
    expect(await row("account:window@throttle.test")).toMatchObject({ failures: 1, locked_until: null });
    expect((await checkSignInThrottle(db, keys)).allowed).toBe(true);
  });

  test("success clears the account key but not the address key", async () => {
    const keys = throttleKeys("clear@throttle.test", "192.0.2.3");
    for (let i = 0; i < 5; i++) await recordSignInFailure(db, keys);
    await clearSignInThrottle(db, keys[0]!);
    expect(await row("account:clear@throttle.test")).toBeUndefined();
    expect(await row("address:192.0.2.3")).toMatchObject({ failures: 5 });
    expect((await checkSignInThrottle(db, keys)).allowed).toBe(true);
  });
});

describe("per address", () => {
  test("20 failures from one address, over many accounts, lock the address", async () => {
    const ip = "198.51.100.20";
    for (let i = 0; i < 19; i++) await recordSignInFailure(db, throttleKeys(`spray${i}@throttle.test`, ip));
    expect((await checkSignInThrottle(db, throttleKeys("fresh@throttle.test", ip))).allowed).toBe(true);
    await recordSignInFailure(db, throttleKeys("spray19@throttle.test", ip));
    const locked = await checkSignInThrottle(db, throttleKeys("fresh@throttle.test", ip));
    expect(locked.allowed).toBe(false);
    expect(locked.retryAfterSeconds).toBeGreaterThan(0);
    // Another address, same account: fine; each sprayed account only has one failure.
    expect((await checkSignInThrottle(db, throttleKeys("fresh@throttle.test", "198.51.100.21"))).allowed).toBe(true);
    expect(await row("account:spray3@throttle.test")).toMatchObject({ failures: 1, locked_until: null });
  });
});

describe("concurrency", () => {
  test("20 failures recorded at once count exactly 20", async () => {
    const keys = throttleKeys("race@throttle.test", "203.0.113.50");
    await Promise.all(Array.from({ length: 20 }, () => recordSignInFailure(db, keys)));
    expect(await row("account:race@throttle.test")).toMatchObject({ failures: 20 });
    expect(await row("address:203.0.113.50")).toMatchObject({ failures: 20 });
    expect((await checkSignInThrottle(db, keys)).allowed).toBe(false);
  });
});

describe("housekeeping", () => {
  test("deleteStaleSignInThrottle removes only rows whose window and lock are over", async () => {
    const stale = throttleKeys("stale@throttle.test", null);
    const locked = throttleKeys("still-locked@throttle.test", null);
    const live = throttleKeys("live@throttle.test", null);
    await recordSignInFailure(db, stale);
    for (let i = 0; i < 5; i++) await recordSignInFailure(db, locked);
    await recordSignInFailure(db, live);
    await travel(stale[0]!, 20);
    await sql`update sign_in_throttle set window_started_at = now() - interval '20 minutes' where key = ${locked[0]!}`.execute(db);
    expect(await deleteStaleSignInThrottle(db)).toBeGreaterThanOrEqual(1);
    expect(await row(stale[0]!)).toBeUndefined();
    expect(await row(locked[0]!)).toBeDefined();
    expect(await row(live[0]!)).toBeDefined();
  });
});
