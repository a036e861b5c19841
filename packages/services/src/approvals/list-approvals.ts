import { z } from "zod";
import { sql } from "kysely";
import type { ApprovalStatus } from "@souk/db";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { approvalVisibleTo, assertMayReadApprovals, decisionBlocker, PENDING_FIRST } from "./approval-access";
import { moneyOf, rfqReference, type ApproverRole, type MoneyView } from "./shared";
import { purchaseReference } from "../purchasing/shared";

export const APPROVALS_PAGE_SIZE = 25;
/** `withdrawn`: a catalogue purchase its requester took back before anyone decided (withdrawPurchase). */
export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "withdrawn"] as const satisfies readonly ApprovalStatus[];

export const listApprovalsSchema = z.object({
  status: optionalFilter(z.enum(APPROVAL_STATUSES, { error: "approval.filter.status_invalid" })),
  page: pageField("approval.filter.page_invalid"),
});
export type ListApprovalsInput = z.input<typeof listApprovalsSchema>;

export interface ApprovalRowView {
  id: string;
  subjectKind: "award" | "purchase";
  /** What is to be approved: "RFQ-000123 · Corrugated boxes". */
  reference: string;
  title: string;
  amount: MoneyView;
  threshold: MoneyView;
  approverRole: ApproverRole;
  status: (typeof APPROVAL_STATUSES)[number];
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  /** The actor asked for it (they follow it, someone else decides). */
  mine: boolean;
  /** The actor may approve or reject it now. */
  canDecide: boolean;
  /** Its level in the approval chain ("level 1 of 2"): levels is 2 for a two-level chain. */
  level: 1 | 2;
  levels: 1 | 2;
  /** Why it waits: a rule's threshold, or a budget that the amount goes beyond. */
  reason: "threshold" | "budget";
}

export interface ApprovalsPage extends Page<ApprovalRowView> {
  pendingCount: number;
}

/**
 * The approvals of the actor's buyer organisation that concern them: those of their approver role
 * (to decide) and their own requests (to follow). Pending first (oldest request first: it has
 * waited longest), then the decided history, most recent decision first.
 */
export async function listApprovals(deps: ActorDeps, input: unknown = {}): Promise<ApprovalsPage> {
  const { actor, db } = deps;
  assertMayReadApprovals(actor);
  const filters = parseInput(listApprovalsSchema, input);
  const base = db
    .selectFrom("approvals as a")
    .where(approvalVisibleTo(actor))
    .$if(filters.status !== undefined, (qb) => qb.where("a.status", "=", filters.status!));
  const counts = await base
    .select([(eb) => eb.fn.countAll<string>().as("total"), (eb) => eb.fn.countAll<string>().filterWhere("a.status", "=", "pending").as("pending")])
    .executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin("awards as aw", (j) => j.onRef("aw.id", "=", "a.subject_id").on("a.subject_kind", "=", "award"))
    .leftJoin("rfqs as r", "r.id", "aw.rfq_id")
    .leftJoin("purchases as pu", (j) => j.onRef("pu.id", "=", "a.subject_id").on("a.subject_kind", "=", "purchase").onRef("pu.buyer_id", "=", "a.buyer_id"))
    .leftJoin("users as req", "req.id", "a.requested_by")
    .leftJoin("users as dec", "dec.id", "a.decided_by")
    .select([
      "a.id",
      "a.subject_kind",
      "a.status",
      "a.currency",
      "a.amount_minor",
      "a.threshold_minor",
      "a.approver_role",
      "a.requested_by",
      "a.requested_at",
      "a.decided_at",
      "a.level",
      "a.next_approver_role",
      "a.previous_decided_by",
      "a.reason",
      "req.name as requester_name",
      "dec.name as decider_name",
      "r.number as rfq_number",
      "r.title as rfq_title",
      "pu.number as purchase_number",
      // A purchase's title: its sellers.
      sql<string | null>`(select string_agg(s.name, ', ' order by s.name) from organizations s where s.id in (select pl.seller_id from purchase_lines pl where pl.purchase_id = pu.id))`.as("purchase_sellers"),
    ])
    .orderBy(PENDING_FIRST)
    .orderBy((eb) => eb.case().when("a.status", "=", "pending").then(eb.ref("a.requested_at")).end(), "asc")
    .orderBy("a.decided_at", (ob) => ob.desc().nullsLast())
    .orderBy("a.id")
    .limit(APPROVALS_PAGE_SIZE)
    .offset(offsetOf(filters.page, APPROVALS_PAGE_SIZE))
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      subjectKind: r.subject_kind,
      reference: r.rfq_number !== null ? rfqReference(r.rfq_number) : r.purchase_number !== null ? purchaseReference(r.purchase_number) : "",
      title: r.rfq_title ?? r.purchase_sellers ?? "",
      amount: moneyOf(r.amount_minor, r.currency),
      threshold: moneyOf(r.threshold_minor, r.currency),
      approverRole: r.approver_role,
      status: r.status,
      requestedBy: r.requester_name ?? "",
      requestedAt: r.requested_at.toISOString(),
      decidedBy: r.decider_name,
      decidedAt: r.decided_at?.toISOString() ?? null,
      mine: r.requested_by === actor.userId,
      canDecide: decisionBlocker(actor, r) === null,
      level: r.level,
      levels: r.level === 2 || r.next_approver_role !== null ? 2 : 1,
      reason: r.reason,
    })),
    page: filters.page,
    pageSize: APPROVALS_PAGE_SIZE,
    total: Number(counts.total),
    pendingCount: Number(counts.pending),
  };
}
