import { createHash } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import {
  SESSION_TTL_MS,
  createSession,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  sessionIdFromToken,
  setSessionOrganization,
  validateSessionToken,
} from "./session";

const { db } = await createTestDatabase();

let n = 0;
async function createUser(): Promise<{ id: string; email: string }> {
  n += 1;
  return db
    .insertInto("users")
    .values({ email: `user${n}@session.test`, name: `User ${n}`, password_hash: "$argon2id$not-used-here" })
    .returning(["id", "email"])
    .executeTakeFirstOrThrow();
}

function newSession(userId: string, app: "buyer" | "seller" | "operator" = "buyer") {
  return createSession(db, { userId, app, activeOrganizationId: null, ip: "203.0.113.7", userAgent: "vitest" });
}

/** Seconds between a timestamp and `now() + offset` on the database clock. */
async function secondsFromDbNow(at: Date, offset: string): Promise<number> {
  const { rows } = await sql<{ d: number }>`select abs(extract(epoch from (${at}::timestamptz - (now() + ${offset}::interval))))::float8 as d`.execute(db);
  return rows[0]!.d;
}

async function setExpiry(sessionId: string, fromNow: string): Promise<void> {
  await sql`update sessions set expires_at = now() + ${fromNow}::interval where id = ${sessionId}`.execute(db);
}

async function storedSession(id: string) {
  return db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
}

describe("tokens", () => {
  test("at least 20 random bytes as lower-case base32 without padding, never repeated", () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(t).toMatch(/^[a-z2-7]{32}$/);
  });

  test("the session id is the SHA-256 hex of the token", () => {
    const token = generateSessionToken();
    expect(sessionIdFromToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
  });
});

describe("createSession", () => {
  test("stores only the token's hash, for 30 days on the database clock", async () => {
    const user = await createUser();
    const { token, session } = await newSession(user.id, "seller");
    expect(session.id).not.toBe(token);
    expect(session.id).toBe(createHash("sha256").update(token).digest("hex"));
    expect(session).toMatchObject({ user_id: user.id, app: "seller", active_organization_id: null, ip: "203.0.113.7", user_agent: "vitest" });
    const stored = await storedSession(session.id);
    expect(stored?.id).toBe(session.id);
    const { count } = await db.selectFrom("sessions").select((eb) => eb.fn.countAll<string>().as("count")).where("id", "=", token).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);
    expect(SESSION_TTL_MS).toBe(30 * 24 * 3600 * 1000);
    expect(await secondsFromDbNow(session.expires_at, "30 days")).toBeLessThan(5);
  });
});

describe("validateSessionToken", () => {
  test("returns the session and its user, without the password hash", async () => {
    const user = await createUser();
    const { token, session } = await newSession(user.id);
    const result = await validateSessionToken(db, token, "buyer");
    expect(result?.session.id).toBe(session.id);
    expect(result?.session.user_id).toBe(user.id);
    expect(result?.user).toMatchObject({ id: user.id, email: user.email, name: expect.any(String), locale: "en" });
    expect(result?.user).not.toHaveProperty("password_hash");
  });

  test("unknown or junk tokens give null", async () => {
    expect(await validateSessionToken(db, generateSessionToken(), "buyer")).toBeNull();
    expect(await validateSessionToken(db, "", "buyer")).toBeNull();
    expect(await validateSessionToken(db, "x".repeat(10_000), "buyer")).toBeNull();
  });

  test("the stored id itself is not a token: presenting the hash gives null", async () => {
    const user = await createUser();
    const { session } = await newSession(user.id);
    expect(await validateSessionToken(db, session.id, "buyer")).toBeNull();
  });

  test("a session from another app is refused, and left intact for its own app", async () => {
    const user = await createUser();
    const { token, session } = await newSession(user.id, "buyer");
    expect(await validateSessionToken(db, token, "seller")).toBeNull();
    expect(await validateSessionToken(db, token, "operator")).toBeNull();
    expect(await storedSession(session.id)).toBeDefined();
    expect(await validateSessionToken(db, token, "buyer")).not.toBeNull();
  });

  test("an expired session gives null and its row is deleted", async () => {
    const user = await createUser();
    const { token, session } = await newSession(user.id);
    await setExpiry(session.id, "-1 second");
    expect(await validateSessionToken(db, token, "buyer")).toBeNull();
    expect(await storedSession(session.id)).toBeUndefined();
  });

  test("less than 15 days left: renewed to a full 30 days from now", async () => {
    const user = await createUser();
    const { token, session } = await newSession(user.id);
    await setExpiry(session.id, "14 days 23 hours");
    const result = await validateSessionToken(db, token, "buyer");
    expect(result).not.toBeNull();
    expect(await secondsFromDbNow(result!.session.expires_at, "30 days")).toBeLessThan(5);
    const stored = await storedSession(session.id);
    expect(stored!.expires_at.getTime()).toBe(result!.session.expires_at.getTime());
  });

  test("15 days or more left: expiry untouched", async () => {
    const user = await createUser();
    const { token, session } = await newSession(user.id);
    await setExpiry(session.id, "15 days 1 hour");
    const before = (await storedSession(session.id))!.expires_at;
    const result = await validateSessionToken(db, token, "buyer");
    expect(result!.session.expires_at.getTime()).toBe(before.getTime());
    expect((await storedSession(session.id))!.expires_at.getTime()).toBe(before.getTime());
  });
});

describe("invalidation", () => {
  test("invalidateSession signs one session out", async () => {
    const user = await createUser();
    const a = await newSession(user.id);
    const b = await newSession(user.id);
    await invalidateSession(db, a.session.id);
    expect(await validateSessionToken(db, a.token, "buyer")).toBeNull();
    expect(await validateSessionToken(db, b.token, "buyer")).not.toBeNull();
  });

  test("invalidateUserSessions removes every session of the user, across apps", async () => {
    const user = await createUser();
    const other = await createUser();
    const mine = [await newSession(user.id, "buyer"), await newSession(user.id, "seller")];
    const theirs = await newSession(other.id);
    await invalidateUserSessions(db, user.id);
    expect(await validateSessionToken(db, mine[0]!.token, "buyer")).toBeNull();
    expect(await validateSessionToken(db, mine[1]!.token, "seller")).toBeNull();
    expect(await validateSessionToken(db, theirs.token, "buyer")).not.toBeNull();
  });

  test("invalidateUserSessions can keep the current session (password change)", async () => {
    const user = await createUser();
    const other = await createUser();
    const [a, b, c] = [await newSession(user.id), await newSession(user.id), await newSession(user.id)];
    const theirs = await newSession(other.id);
    await invalidateUserSessions(db, user.id, { exceptSessionId: b.session.id });
    const left = await db.selectFrom("sessions").select("id").where("user_id", "in", [user.id, other.id]).execute();
    expect(left.map((r) => r.id).sort()).toEqual([b.session.id, theirs.session.id].sort());
    expect(await validateSessionToken(db, a.token, "buyer")).toBeNull();
    expect(await validateSessionToken(db, c.token, "buyer")).toBeNull();
    expect(await validateSessionToken(db, b.token, "buyer")).not.toBeNull();
  });
});

describe("setSessionOrganization", () => {
  test("sets and clears the active organisation", async () => {
    const user = await createUser();
    const org = await db.insertInto("organizations").values({ kind: "buyer", name: "Acme", status: "active", parent_id: null }).returning("id").executeTakeFirstOrThrow();
    const { token, session } = await newSession(user.id);
    await setSessionOrganization(db, session.id, org.id);
    expect((await validateSessionToken(db, token, "buyer"))!.session.active_organization_id).toBe(org.id);
    await setSessionOrganization(db, session.id, null);
    expect((await validateSessionToken(db, token, "buyer"))!.session.active_organization_id).toBeNull();
  });
});
