import { z } from "zod";
import { sql } from "kysely";
import { assertCan, type Role } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";

export const listMembersSchema = z.object({});

export interface MemberView {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
  isSelf: boolean;
}

export interface PendingInvitationView {
  invitationId: string;
  email: string;
  role: Role;
  invitedByName: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface MemberList {
  members: MemberView[];
  /** Neither accepted, revoked nor expired (by the database clock). */
  invitations: PendingInvitationView[];
}

/** The members and pending invitations of the actor's active organisation, and of no other. */
export async function listMembers(deps: ActorDeps, input: unknown = {}): Promise<MemberList> {
  parseInput(listMembersSchema, input);
  const { db, actor } = deps;
  assertCan(actor, "read:members:org");

  const members = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.id as membershipId", "u.id as userId", "u.name", "u.email", "m.role", "m.created_at as joinedAt"])
    .where("m.organization_id", "=", actor.organizationId)
    .orderBy("u.name")
    .orderBy("m.id")
    .execute();

  const invitations = await db
    .selectFrom("invitations as i")
    .innerJoin("users as u", "u.id", "i.invited_by")
    .select(["i.id as invitationId", "i.email", "i.role", "u.name as invitedByName", "i.created_at as createdAt", "i.expires_at as expiresAt"])
    .where("i.organization_id", "=", actor.organizationId)
    .where("i.accepted_at", "is", null)
    .where("i.revoked_at", "is", null)
    .where("i.expires_at", ">", sql<Date>`now()`)
    .orderBy("i.created_at", "desc")
    .execute();

  return {
    members: members.map((m) => ({ ...m, role: m.role as Role, isSelf: m.userId === actor.userId })),
    invitations: invitations.map((i) => ({ ...i, role: i.role as Role })),
  };
}
