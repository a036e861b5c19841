import { type Algorithm, hash, parseOptions, verify } from "@node-rs/argon2";

/**
 * OWASP Password Storage Cheat Sheet, argon2id first option. Spelled out rather than relying on
 * the library defaults so a dependency upgrade cannot silently weaken new hashes.
 */
export const PASSWORD_HASH_OPTIONS = {
  // `Algorithm` is an ambient const enum, which isolatedModules cannot read; 2 is Argon2id.
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/**
 * False for a wrong password and for anything that is not a valid argon2 PHC string (a corrupted
 * row or a placeholder), so a caller never turns a bad hash into a 500 that reveals the account.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A real argon2id hash, at exactly PASSWORD_HASH_OPTIONS, of a random password nobody kept.
 * Verifying against it costs what verifying a real user's hash costs, so sign-in for an unknown
 * e-mail takes as long as for a known one and response time does not reveal who has an account.
 * Precomputed (not hashed lazily) so even the first unknown-e-mail sign-in of a process is not
 * slower. A test pins its parameters to PASSWORD_HASH_OPTIONS.
 */
export const DUMMY_PASSWORD_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$DhAc/NgJcH6IvYBgFQVzVA$YY+RfMUXRcAm7QnfSDKDGMQ1JBnM9IHhAweIU96W3aY";

/** Spends one password verification and always answers false: use when the e-mail is unknown. */
export async function verifyPasswordAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_PASSWORD_HASH, password);
  return false;
}

/** True when a stored hash was made with weaker (or just different) parameters than today's. */
export function passwordNeedsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return (
      o.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      o.memoryCost !== PASSWORD_HASH_OPTIONS.memoryCost ||
      o.timeCost !== PASSWORD_HASH_OPTIONS.timeCost ||
      o.parallelism !== PASSWORD_HASH_OPTIONS.parallelism ||
      o.outputLen !== PASSWORD_HASH_OPTIONS.outputLen
    );
  } catch {
    return true;
  }
}
