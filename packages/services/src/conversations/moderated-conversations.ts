import { sql } from "kysely";
import { z } from "zod";
import { notFound } from "@souk/domain";
import { withTransaction } from "@souk/db";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { existingId, parseInput } from "../input";
import { offsetOf, pageField, type Page } from "../list-input";
import { assertModerator, CONVERSATION_LIMITS, moderatedThread, organizationNames, subjectLabels, subjectView, threadMessages, type MessageView, type SubjectView } from "./shared";

export const listModeratedConversationsSchema = z.object({ page: pageField("conversation.filter.page_invalid") });

export interface ModeratedConversationRow {
  id: string;
  subject: SubjectView;
  buyer: { id: string; name: string };
  seller: { id: string; name: string };
  lastMessageAt: string;
  /** Why a moderator may read it. */
  dispute: { id: string; status: "open" | "resolved" } | null;
  reportCount: number;
}

export interface ModeratedConversationView extends ModeratedConversationRow {
  messages: MessageView[];
  reports: { id: string; reason: string; reportedBy: string; at: string }[];
}

async function describe(db: ActorDeps["db"], rows: { id: string; buyer_id: string; seller_id: string; subject_kind: "listing" | "rfq" | "order"; subject_id: string; last_message_at: Date }[]): Promise<ModeratedConversationRow[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const orderIds = rows.filter((r) => r.subject_kind === "order").map((r) => r.subject_id);
  const [labels, names, disputes, reports] = await Promise.all([
    subjectLabels(db, rows),
    organizationNames(db, rows.flatMap((r) => [r.buyer_id, r.seller_id])),
    orderIds.length === 0 ? [] : db.selectFrom("disputes").select(["id", "order_id", "status"]).where("order_id", "in", orderIds).execute(),
    db.selectFrom("conversation_reports").select(["conversation_id", sql<string>`count(*)`.as("n")]).where("conversation_id", "in", ids).groupBy("conversation_id").execute(),
  ]);
  return rows.map((r) => {
    const dispute = r.subject_kind === "order" ? disputes.find((d) => d.order_id === r.subject_id) : undefined;
    return {
      id: r.id,
      subject: subjectView(labels, r),
      buyer: { id: r.buyer_id, name: names.get(r.buyer_id) ?? "" },
      seller: { id: r.seller_id, name: names.get(r.seller_id) ?? "" },
      lastMessageAt: r.last_message_at.toISOString(),
      dispute: dispute ? { id: dispute.id, status: dispute.status } : null,
      reportCount: Number(reports.find((x) => x.conversation_id === r.id)?.n ?? 0),
    };
  });
}

/**
 * The threads a moderator may read (read:conversations:any, moderators only): those about an
 * order with a dispute, open or resolved, and those a participant reported. Nothing else is listed.
 * Listing shows who and what, never a message: reading one is audited (getModeratedConversation).
 */
export async function listModeratedConversations(deps: ActorDeps, input: unknown = {}): Promise<Page<ModeratedConversationRow>> {
  assertModerator(deps.actor);
  const { page } = parseInput(listModeratedConversationsSchema, input ?? {});
  const pageSize = CONVERSATION_LIMITS.listPageSize;
  const base = deps.db.selectFrom("conversations as c").where(moderatedThread());
  const [rows, total] = await Promise.all([
    base.select(["c.id", "c.buyer_id", "c.seller_id", "c.subject_kind", "c.subject_id", "c.last_message_at"]).orderBy("c.last_message_at", "desc").orderBy("c.id").limit(pageSize).offset(offsetOf(page, pageSize)).execute(),
    base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items: await describe(deps.db, rows), page, pageSize, total: Number(total.n) };
}

/**
 * One thread a dispute or a report involves, with its messages and reports, for a moderator; the
 * read is written to the audit log (conversation.read) in the same transaction. Any other thread
 * is NOT_FOUND, and nothing is audited for it.
 */
export async function getModeratedConversation(deps: ActorDeps, input: unknown): Promise<ModeratedConversationView> {
  const { actor } = deps;
  assertModerator(actor);
  const conversationId = existingId(parseInput(z.object({ conversationId: z.unknown() }), input).conversationId, "Conversation");
  return withTransaction(deps.db, async (trx) => {
    const row = await trx
      .selectFrom("conversations as c")
      .select(["c.id", "c.buyer_id", "c.seller_id", "c.subject_kind", "c.subject_id", "c.last_message_at"])
      .where("c.id", "=", conversationId)
      .where(moderatedThread())
      .executeTakeFirst();
    if (!row) throw notFound("Conversation");
    const [described] = await describe(trx, [row]);
    const [messages, reports] = await Promise.all([
      threadMessages(trx, row.id),
      trx
        .selectFrom("conversation_reports as r")
        .innerJoin("organizations as o", "o.id", "r.reported_by_org")
        .select(["r.id", "r.reason", "o.name", "r.created_at"])
        .where("r.conversation_id", "=", row.id)
        .orderBy("r.created_at")
        .execute(),
    ]);
    await recordAudit(trx, {
      actor,
      action: "conversation.read",
      targetType: "conversation",
      targetId: row.id,
      data: { buyerId: row.buyer_id, sellerId: row.seller_id, disputeId: described!.dispute?.id ?? null, reports: reports.length },
    });
    return { ...described!, messages, reports: reports.map((r) => ({ id: r.id, reason: r.reason, reportedBy: r.name, at: r.created_at.toISOString() })) };
  });
}

/**
 * The thread about a disputed order, for the dispute page's link (moderators). No audit: this only
 * finds the id; reading it is getModeratedConversation. An order without a dispute, or without a
 * thread, is NOT_FOUND.
 */
export async function findModeratedOrderConversation(deps: ActorDeps, input: unknown): Promise<{ conversationId: string }> {
  assertModerator(deps.actor);
  const orderId = existingId(parseInput(z.object({ orderId: z.unknown() }), input).orderId, "Conversation");
  const row = await deps.db
    .selectFrom("conversations as c")
    .select("c.id")
    .where("c.subject_kind", "=", "order")
    .where("c.subject_id", "=", orderId)
    .where(moderatedThread())
    .executeTakeFirst();
  if (!row) throw notFound("Conversation");
  return { conversationId: row.id };
}
