import { hash, parseOptions } from "@node-rs/argon2";
import { describe, expect, test } from "vitest";
import {
  DUMMY_PASSWORD_HASH,
  PASSWORD_HASH_OPTIONS,
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordAgainstDummy,
} from "./password";

describe("hashPassword / verifyPassword", () => {
  test("argon2id at OWASP parameters, visible in the PHC string", async () => {
    const h = await hashPassword("correct horse battery staple");
    expect(h.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    // A fresh salt per hash.
    expect(await hashPassword("correct horse battery staple")).not.toBe(h);
  });

  test("right password true, wrong password false", async () => {
    const h = await hashPassword("correct horse battery staple");
    expect(await verifyPassword(h, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(h, "correct horse battery stapl")).toBe(false);
    expect(await verifyPassword(h, "")).toBe(false);
  });

  test.each([
    "",
    "not a hash",
    "$argon2id$v=19$m=19456,t=2,p=1$",
    "$argon2id$v=19$m=19456,t=2,p=1$DhAc/NgJcH6IvYBgFQVzVA$",
    "$2b$10$abcdefghijklmnopqrstuuJ0jJ0jJ0jJ0jJ0jJ0jJ0jJ0jJ0jJ0jJ0", // bcrypt-shaped
  ])("a malformed hash %j gives false, never throws", async (bad) => {
    await expect(verifyPassword(bad, "whatever")).resolves.toBe(false);
  });

  test("a hash at weaker parameters needs rehashing; today's does not", async () => {
    expect(passwordNeedsRehash(await hashPassword("pw-pw-pw-pw-pw"))).toBe(false);
    expect(passwordNeedsRehash(await hash("pw-pw-pw-pw-pw", { memoryCost: 4096, timeCost: 3, parallelism: 1 }))).toBe(true);
    expect(passwordNeedsRehash("garbage")).toBe(true);
  });
});

describe("dummy verification for unknown e-mails", () => {
  test("the dummy hash uses exactly today's parameters, so it costs the same as a real one", () => {
    const o = parseOptions(DUMMY_PASSWORD_HASH);
    expect(o.algorithm).toBe(PASSWORD_HASH_OPTIONS.algorithm);
    expect(o.memoryCost).toBe(19_456);
    expect(o.timeCost).toBe(2);
    expect(o.parallelism).toBe(1);
    expect(o.outputLen).toBe(PASSWORD_HASH_OPTIONS.outputLen);
    expect(passwordNeedsRehash(DUMMY_PASSWORD_HASH)).toBe(false);
  });

  test("always false, whatever the password", async () => {
    expect(await verifyPasswordAgainstDummy("")).toBe(false);
    expect(await verifyPasswordAgainstDummy("correct horse battery staple")).toBe(false);
  });

  test("spends about as long as verifying a real user's password", async () => {
    const real = await hashPassword("correct horse battery staple");
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved so machine load affects both series alike; medians shrug off one slow run.
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      await verifyPassword(real, "wrong password here");
      known.push(performance.now() - t);
      t = performance.now();
      await verifyPasswordAgainstDummy("wrong password here");
      unknown.push(performance.now() - t);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
