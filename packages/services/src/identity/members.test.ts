import { describe, expect, test } from "vitest";
import { createSession } from "@souk/auth";
import type { OrganizationKind, Role } from "@souk/domain";
import { createTestDatabase } from "@souk/testing";
import { changeMemberRole } from "./change-member-role";
import { listMembers } from "./list-members";
import { removeMember } from "./remove-member";
import { actorDeps, domainErrorOf, uniqueEmail } from "./test-support";

const { db } = await createTestDatabase();

/** An organisation with members of the given roles, created straight in the tables (no passwords needed here). */
async function organization(kind: OrganizationKind, roles: Role[]) {
  const org = await db.insertInto("organizations").values({ kind, name: `${kind} ${uniqueEmail()}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const members: { membershipId: string; userId: string; role: Role }[] = [];
  for (const role of roles) {
    const user = await db
      .insertInto("users")
      .values({ email: uniqueEmail(role), name: `${role} person`, password_hash: "not-a-hash" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const m = await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).returning("id").executeTakeFirstOrThrow();
    members.push({ membershipId: m.id, userId: user.id, role });
  }
  const as = (index: number) => {
    const member = members[index];
    if (!member) throw new Error(`no member ${index}`);
    return actorDeps(db, { userId: member.userId, organizationId: org.id, kind, role: member.role });
  };
  return { id: org.id, members, as };
}

async function roleOf(membershipId: string) {
  return (await db.selectFrom("memberships").select("role").where("id", "=", membershipId).executeTakeFirst())?.role;
}

async function countRole(organizationId: string, role: string) {
  const rows = await db.selectFrom("memberships").select("id").where("organization_id", "=", organizationId).where("role", "=", role).execute();
  return rows.length;
}

/** Both calls are already running side by side; exactly one may succeed. Returns why the other failed. */
async function onlyOneSucceeds(calls: [Promise<unknown>, Promise<unknown>]): Promise<unknown> {
  const results = await Promise.allSettled(calls);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  return results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
}

describe("listMembers", () => {
  test("shows the actor's organisation only", async () => {
    const a = await organization("buyer", ["admin", "viewer"]);
    await organization("buyer", ["admin", "purchaser"]);
    const list = await listMembers(a.as(1), {});
    expect(list.members.map((m) => m.membershipId).sort()).toEqual(a.members.map((m) => m.membershipId).sort());
  });
});

describe("changeMemberRole", () => {
  test("an admin changes a member's role; the audit row says from and to, with the address", async () => {
    const org = await organization("buyer", ["admin", "purchaser"]);
    const deps = org.as(0);
    const target = org.members[1]?.membershipId ?? "";
    await expect(changeMemberRole(deps, { membershipId: target, role: "approver" })).resolves.toEqual({ membershipId: target, from: "purchaser", to: "approver" });
    expect(await roleOf(target)).toBe("approver");
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "member.role_changed").where("target_id", "=", target).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ organization_id: org.id, actor_user_id: deps.actor.userId, ip: deps.request.ip, data: { from: "purchaser", to: "approver" } });
  });

  test("another tenant's membership id is NOT_FOUND in the URL (remove), the same field error as an unknown one in the role form; nothing changes", async () => {
    const mine = await organization("buyer", ["admin"]);
    const theirs = await organization("buyer", ["admin", "purchaser"]);
    for (const victim of theirs.members) {
      const change = await domainErrorOf(changeMemberRole(mine.as(0), { membershipId: victim.membershipId, role: "viewer" }));
      expect(change).toMatchObject({ code: "VALIDATION", fieldErrors: { membershipId: ["membershipId.invalid"] } });
      const remove = await domainErrorOf(removeMember(mine.as(0), { membershipId: victim.membershipId }));
      expect(remove.code).toBe("NOT_FOUND");
      expect(await roleOf(victim.membershipId)).toBe(victim.role);
    }
    // An unknown id answers exactly like another tenant's, and like no id at all.
    for (const membershipId of ["0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d", "nope"]) {
      const unknown = await domainErrorOf(changeMemberRole(mine.as(0), { membershipId, role: "viewer" }));
      expect(unknown).toMatchObject({ code: "VALIDATION", fieldErrors: { membershipId: ["membershipId.invalid"] } });
    }
    expect((await domainErrorOf(removeMember(mine.as(0), { membershipId: "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d" }))).code).toBe("NOT_FOUND");
    const audit = await db.selectFrom("audit_log").select("id").where("actor_user_id", "=", mine.members[0]?.userId ?? "").execute();
    expect(audit).toEqual([]);
  });

  test("a purchaser cannot change roles or remove members", async () => {
    const org = await organization("buyer", ["admin", "purchaser", "viewer"]);
    const viewer = org.members[2]?.membershipId ?? "";
    expect((await domainErrorOf(changeMemberRole(org.as(1), { membershipId: viewer, role: "admin" }))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(removeMember(org.as(1), { membershipId: viewer }))).code).toBe("FORBIDDEN");
    expect(await roleOf(viewer)).toBe("viewer");
  });

  test("a role of another kind is a field error", async () => {
    const org = await organization("seller", ["owner", "sales"]);
    const sales = org.members[1]?.membershipId ?? "";
    const error = await domainErrorOf(changeMemberRole(org.as(0), { membershipId: sales, role: "purchaser" }));
    expect(error).toMatchObject({ code: "VALIDATION", fieldErrors: { role: ["role.invalid"] } });
    expect((await domainErrorOf(changeMemberRole(org.as(0), { membershipId: "12", role: "sales" }))).fieldErrors).toEqual({ membershipId: ["membershipId.invalid"] });
  });

  test.each([
    ["buyer", "admin", "viewer"],
    ["seller", "owner", "sales"],
    ["operator", "admin", "finance"],
  ] as const)("the last %s %s can be neither demoted nor removed", async (kind, founder, other) => {
    const org = await organization(kind, [founder, other]);
    const founderMembership = org.members[0]?.membershipId ?? "";
    const demote = await domainErrorOf(changeMemberRole(org.as(0), { membershipId: founderMembership, role: other }));
    expect(demote).toMatchObject({ code: "CONFLICT", message: "member.last_founder" });
    const remove = await domainErrorOf(removeMember(org.as(0), { membershipId: founderMembership }));
    expect(remove).toMatchObject({ code: "CONFLICT", message: "member.last_founder" });
    expect(await roleOf(founderMembership)).toBe(founder);
  });

  test("with two admins, one may step down; then the other is the last", async () => {
    const org = await organization("buyer", ["admin", "admin"]);
    const [first, second] = org.members;
    await changeMemberRole(org.as(0), { membershipId: first?.membershipId, role: "purchaser" });
    expect((await domainErrorOf(changeMemberRole(org.as(1), { membershipId: second?.membershipId, role: "viewer" }))).code).toBe("CONFLICT");
    expect(await countRole(org.id, "admin")).toBe(1);
  });

  test("two concurrent demotions of the last two admins leave exactly one admin", async () => {
    for (let round = 0; round < 5; round += 1) {
      const org = await organization("buyer", ["admin", "admin", "viewer"]);
      const [a, b] = org.members;
      // Each admin steps down at the same moment: the second must see the first's change.
      const loser = await onlyOneSucceeds([
        changeMemberRole(org.as(0), { membershipId: a?.membershipId, role: "purchaser" }),
        changeMemberRole(org.as(1), { membershipId: b?.membershipId, role: "purchaser" }),
      ]);
      expect(loser).toMatchObject({ code: "CONFLICT" });
      expect(await countRole(org.id, "admin")).toBe(1);
    }
  });

  test("two admins demoting each other at once: the first wins, the second is no longer allowed", async () => {
    for (let round = 0; round < 5; round += 1) {
      const org = await organization("buyer", ["admin", "admin"]);
      const [a, b] = org.members;
      const loser = await onlyOneSucceeds([
        changeMemberRole(org.as(0), { membershipId: b?.membershipId, role: "viewer" }),
        changeMemberRole(org.as(1), { membershipId: a?.membershipId, role: "viewer" }),
      ]);
      expect(loser).toMatchObject({ code: "FORBIDDEN" });
      expect(await countRole(org.id, "admin")).toBe(1);
    }
  });

  test("a concurrent demotion and removal of the last two owners leave exactly one owner", async () => {
    for (let round = 0; round < 5; round += 1) {
      const org = await organization("seller", ["owner", "owner"]);
      const [a, b] = org.members;
      // One owner removes the other while that other demotes the first.
      await onlyOneSucceeds([
        removeMember(org.as(0), { membershipId: b?.membershipId }),
        changeMemberRole(org.as(1), { membershipId: a?.membershipId, role: "sales" }),
      ]);
      expect(await countRole(org.id, "owner")).toBe(1);
    }
  });
});

describe("removeMember", () => {
  test("removes the membership, ends the member's sessions on this organisation only, and audits", async () => {
    const org = await organization("buyer", ["admin", "purchaser"]);
    const other = await organization("buyer", ["admin"]);
    const victim = org.members[1];
    if (!victim) throw new Error("setup");
    await db.insertInto("memberships").values({ organization_id: other.id, user_id: victim.userId, role: "viewer" }).execute();
    const onThis = await createSession(db, { userId: victim.userId, app: "buyer", activeOrganizationId: org.id, ip: null, userAgent: null });
    const onOther = await createSession(db, { userId: victim.userId, app: "buyer", activeOrganizationId: other.id, ip: null, userAgent: null });

    const deps = org.as(0);
    await expect(removeMember(deps, { membershipId: victim.membershipId })).resolves.toEqual({ membershipId: victim.membershipId, userId: victim.userId });
    expect(await roleOf(victim.membershipId)).toBeUndefined();
    const sessions = await db.selectFrom("sessions").select("id").where("user_id", "=", victim.userId).execute();
    expect(sessions.map((s) => s.id)).toEqual([onOther.session.id]);
    expect(onThis.session.id).not.toBe(onOther.session.id);
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "member.removed").where("target_id", "=", victim.membershipId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ organization_id: org.id, ip: deps.request.ip, data: { userId: victim.userId, role: "purchaser" } });
  });
});
