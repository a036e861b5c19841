import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { SIGN_IN_THROTTLE, claimSignInAttempt, deleteStaleSignInThrottle, settleSuccessfulSignIn, throttleKeys } from "./throttle";

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

const claim = (keys: string[]) => claimSignInAttempt(db, keys);
async function claims(keys: string[], n: number) {
  for (let i = 0; i < n; i++) await claim(keys);
}

describe("per account", () => {
  test("5 attempts go through; the 6th is refused before any password check, from anywhere", async () => {
    const keys = throttleKeys("five@throttle.test", "192.0.2.1");
    for (let i = 0; i < 5; i++) expect(await claim(keys)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    const sixth = await claim(keys);
    expect(sixth.allowed).toBe(false);
    expect(sixth.retryAfterSeconds).toBeGreaterThan(890);
    expect(sixth.retryAfterSeconds).toBeLessThanOrEqual(900);
    // The lock is on the account, wherever the next attempt comes from.
    expect((await claim(throttleKeys("five@throttle.test", "192.0.2.99"))).allowed).toBe(false);
    expect((await claim(throttleKeys("FIVE@throttle.test", null))).allowed).toBe(false);
    // Only the account is locked, not the address.
    expect((await claim(throttleKeys("someone-else@throttle.test", "192.0.2.1"))).allowed).toBe(true);
  });

  test("the lock expires, and the next attempt starts a new window", async () => {
    const keys = throttleKeys("expires@throttle.test", "192.0.2.2");
    await claims(keys, 6);
    await travel("account:expires@throttle.test", 14);
    expect((await claim(keys)).allowed).toBe(false);
    await travel("account:expires@throttle.test", 2);
    expect(await claim(keys)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(await row("account:expires@throttle.test")).toMatchObject({ failures: 1 });
  });

  test("attempts older than the window do not add up", async () => {
    const keys = throttleKeys("window@throttle.test", null);
    await claims(keys, 4);
    await travel("account:window@throttle.test", 16);
    expect((await claim(keys)).allowed).toBe(true);
    expect(await row("account:window@throttle.test")).toMatchObject({ failures: 1, locked_until: null });
  });

  test("a right password clears the account and gives its one attempt back to the address", async () => {
    const keys = throttleKeys("clear@throttle.test", "192.0.2.3");
    await claims(keys, 4);
    await settleSuccessfulSignIn(db, keys);
    expect(await row("account:clear@throttle.test")).toBeUndefined();
    expect(await row("address:192.0.2.3")).toMatchObject({ failures: 3 });
    expect((await claim(keys)).allowed).toBe(true);
  });
});

describe("per address", () => {
  test("20 attempts from one address, over many accounts, lock the address", async () => {
    const ip = "198.51.100.20";
    for (let i = 0; i < 20; i++) expect((await claim(throttleKeys(`spray${i}@throttle.test`, ip))).allowed).toBe(true);
    const locked = await claim(throttleKeys("fresh@throttle.test", ip));
    expect(locked.allowed).toBe(false);
    expect(locked.retryAfterSeconds).toBeGreaterThan(0);
    // Another address, same account: fine; each sprayed account only has one attempt.
    expect((await claim(throttleKeys("fresh@throttle.test", "198.51.100.21"))).allowed).toBe(true);
    expect(await row("account:spray3@throttle.test")).toMatchObject({ failures: 1, locked_until: null });
  });
});

describe("concurrency", () => {
  test("of 30 attempts arriving at once, exactly 5 go through, and every one is counted", async () => {
    const keys = throttleKeys("race@throttle.test", "203.0.113.50");
    const results = await Promise.all(Array.from({ length: 30 }, () => claim(keys)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(await row("account:race@throttle.test")).toMatchObject({ failures: 30 });
    expect(await row("address:203.0.113.50")).toMatchObject({ failures: 30 });
  });
});

describe("housekeeping", () => {
  test("deleteStaleSignInThrottle removes only rows whose window and lock are over", async () => {
    const stale = throttleKeys("stale@throttle.test", null);
    const locked = throttleKeys("still-locked@throttle.test", null);
    const live = throttleKeys("live@throttle.test", null);
    await claims(stale, 1);
    await claims(locked, 6);
    await claims(live, 1);
    await travel(stale[0]!, 20);
    await sql`update sign_in_throttle set window_started_at = now() - interval '20 minutes' where key = ${locked[0]!}`.execute(db);
    expect(await deleteStaleSignInThrottle(db)).toBeGreaterThanOrEqual(1);
    expect(await row(stale[0]!)).toBeUndefined();
    expect(await row(locked[0]!)).toBeDefined();
    expect(await row(live[0]!)).toBeDefined();
  });
});
