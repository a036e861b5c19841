import { z } from "zod";
import type { Db } from "@souk/db";
import { assertCan, type OrganizationKind } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { dayField, nextDay, offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { AUDIT_ACTIONS, type AuditAction } from "./record-audit";

export const AUDIT_LOG_PAGE_SIZE = 50;

/** "seller.*": every action of one context. */
const ACTION_GROUPS = [...new Set(AUDIT_ACTIONS.map((a) => a.split(".")[0] as string))].map((g) => `${g}.*`);

/** What the action filter offers: each context's group, then each action. */
export const AUDIT_ACTION_FILTERS: readonly string[] = [...ACTION_GROUPS, ...AUDIT_ACTIONS];

const UUID = z.uuid();
const EMAIL = z.email();

/** An e-mail address (the actor's account) or a user id. */
const actorFilter = z
  .string({ error: "audit.filter.actor_invalid" })
  .trim()
  .max(254, { error: "audit.filter.actor_invalid" })
  .transform((value, ctx) => {
    const lower = value.toLowerCase();
    if (lower.includes("@") && EMAIL.safeParse(lower).success) return { email: lower };
    if (UUID.safeParse(lower).success) return { userId: lower };
    ctx.addIssue({ code: "custom", message: "audit.filter.actor_invalid" });
    return z.NEVER;
  });

export const auditLogFilterSchema = z
  .object({
    actor: optionalFilter(actorFilter),
    organizationId: optionalFilter(z.string().trim().toLowerCase().pipe(z.uuid({ error: "audit.filter.organization_invalid" }))),
    action: optionalFilter(z.string().trim().refine((a) => AUDIT_ACTION_FILTERS.includes(a), { error: "audit.filter.action_invalid" })),
    from: dayField("audit.filter.date_invalid"),
    to: dayField("audit.filter.date_invalid"),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], error: "audit.filter.range_invalid" });

export const listAuditLogSchema = auditLogFilterSchema.and(z.object({ page: pageField("audit.filter.page_invalid") }));
export type ListAuditLogInput = z.input<typeof listAuditLogSchema>;
export type AuditLogFilters = z.output<typeof auditLogFilterSchema>;

export interface AuditOrganizationRef {
  id: string;
  name: string;
  kind: OrganizationKind;
}

export interface AuditLogEntry {
  id: string;
  occurredAt: Date;
  action: string;
  /** Null for anonymous events (a failed sign-in) or once the account is gone. */
  actor: { userId: string; name: string; email: string } | null;
  /** The organisation the actor acted for. */
  actorOrganization: AuditOrganizationRef | null;
  /** The organisation the event concerns (a decided seller, the actor's own...). */
  organization: AuditOrganizationRef | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

export interface AuditLogPage extends Page<AuditLogEntry> {
  /** The organisation of the `organizationId` filter, to name it beside the filters. */
  organization: AuditOrganizationRef | null;
  actionFilters: readonly string[];
}

/**
 * The audit log for operators (read:audit:any), newest first, 50 rows a page. Filters: the actor
 * (e-mail or user id), an organisation (events that concern it or that its members did), an action
 * or a context's actions ("seller.*"), a day range (inclusive, UTC).
 */
export async function listAuditLog(deps: ActorDeps, input: unknown = {}): Promise<AuditLogPage> {
  assertCan(deps.actor, "read:audit:any");
  const { page, ...filters } = parseInput(listAuditLogSchema, input);
  const { db } = deps;

  const { n } = await auditRows(db, filters)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  const items = await selectEntries(auditRows(db, filters))
    .limit(AUDIT_LOG_PAGE_SIZE)
    .offset(offsetOf(page, AUDIT_LOG_PAGE_SIZE))
    .execute();
  const organization = filters.organizationId
    ? ((await db.selectFrom("organizations").select(["id", "name", "kind"]).where("id", "=", filters.organizationId).executeTakeFirst()) ?? null)
    : null;

  return { items: items.map(toEntry), page, pageSize: AUDIT_LOG_PAGE_SIZE, total: Number(n), organization, actionFilters: AUDIT_ACTION_FILTERS };
}

/** audit_log joined with the names it refers to, under the filters. */
export function auditRows(db: Db, filters: AuditLogFilters) {
  const { actor, organizationId, action, from, to } = filters;
  return db
    .selectFrom("audit_log as l")
    .leftJoin("users as u", "u.id", "l.actor_user_id")
    .leftJoin("organizations as ao", "ao.id", "l.actor_organization_id")
    .leftJoin("organizations as o", "o.id", "l.organization_id")
    .$if(actor !== undefined && "userId" in actor, (qb) => qb.where("l.actor_user_id", "=", (actor as { userId: string }).userId))
    .$if(actor !== undefined && "email" in actor, (qb) => qb.where("u.email", "=", (actor as { email: string }).email))
    .$if(organizationId !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb("l.organization_id", "=", organizationId as string), eb("l.actor_organization_id", "=", organizationId as string)])),
    )
    .$if(action !== undefined && !action.endsWith(".*"), (qb) => qb.where("l.action", "=", action as string))
    .$if(action !== undefined && action.endsWith(".*"), (qb) => qb.where("l.action", "like", `${(action as string).slice(0, -1)}%`))
    .$if(from !== undefined, (qb) => qb.where("l.occurred_at", ">=", from as Date))
    .$if(to !== undefined, (qb) => qb.where("l.occurred_at", "<", nextDay(to as Date)));
}

/** The columns of an entry, newest first. */
export function selectEntries(rows: ReturnType<typeof auditRows>) {
  return rows
    .select([
      "l.id",
      "l.occurred_at as occurredAt",
      "l.action",
      "l.actor_user_id as actorUserId",
      "u.name as actorName",
      "u.email as actorEmail",
      "ao.id as actorOrganizationId",
      "ao.name as actorOrganizationName",
      "ao.kind as actorOrganizationKind",
      "o.id as organizationId",
      "o.name as organizationName",
      "o.kind as organizationKind",
      "l.target_type as targetType",
      "l.target_id as targetId",
      "l.ip",
      "l.reason",
      "l.data",
    ])
    .orderBy("l.occurred_at", "desc")
    .orderBy("l.id", "desc");
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof selectEntries>["execute"]>>[number];

function ref(id: string | null, name: string | null, kind: OrganizationKind | null): AuditOrganizationRef | null {
  return id !== null && name !== null && kind !== null ? { id, name, kind } : null;
}

export function toEntry(row: EntryRow): AuditLogEntry {
  return {
    id: String(row.id),
    occurredAt: row.occurredAt,
    action: row.action,
    actor: row.actorUserId !== null && row.actorName !== null && row.actorEmail !== null ? { userId: row.actorUserId, name: row.actorName, email: row.actorEmail } : null,
    actorOrganization: ref(row.actorOrganizationId, row.actorOrganizationName, row.actorOrganizationKind),
    organization: ref(row.organizationId, row.organizationName, row.organizationKind),
    targetType: row.targetType,
    targetId: row.targetId,
    ip: row.ip,
    reason: row.reason,
    data: typeof row.data === "object" && row.data !== null ? (row.data as Record<string, unknown>) : {},
  };
}

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
