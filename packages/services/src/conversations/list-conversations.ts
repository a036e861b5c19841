import { sql } from "kysely";
import { z } from "zod";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { offsetOf, pageField, type Page } from "../list-input";
import { assertParticipantCan, CONVERSATION_LIMITS, organizationNames, subjectLabels, subjectView, unreadCountsQuery, type SubjectView } from "./shared";

export const listConversationsSchema = z.object({ page: pageField("conversation.filter.page_invalid") });
export type ListConversationsInput = z.input<typeof listConversationsSchema>;

export interface ConversationRowView {
  id: string;
  subject: SubjectView;
  counterparty: { id: string; name: string };
  lastMessageAt: string;
  /** The other side's messages this user has not read yet. */
  unread: number;
}

/** The actor's organisation's threads, the most recent first, each with this user's unread count. */
export async function listConversations(deps: ActorDeps, input: unknown = {}): Promise<Page<ConversationRowView> & { unreadTotal: number }> {
  const { actor, db } = deps;
  const side = assertParticipantCan(actor, "read:conversations:org");
  const { page } = parseInput(listConversationsSchema, input ?? {});
  const own = side === "buyer" ? "buyer_id" : "seller_id";
  const pageSize = CONVERSATION_LIMITS.listPageSize;
  const [rows, total, unread] = await Promise.all([
    db
      .selectFrom("conversations")
      .select(["id", "buyer_id", "seller_id", "subject_kind", "subject_id", "last_message_at"])
      .where(own, "=", actor.organizationId)
      .orderBy("last_message_at", "desc")
      .orderBy("id")
      .limit(pageSize)
      .offset(offsetOf(page, pageSize))
      .execute(),
    db.selectFrom("conversations").select((eb) => eb.fn.countAll<string>().as("n")).where(own, "=", actor.organizationId).executeTakeFirstOrThrow(),
    unreadCountsQuery(db, actor.userId, actor.organizationId, side).select(["c.id", sql<string>`count(*)`.as("n")]).groupBy("c.id").execute(),
  ]);
  const unreadBy = new Map(unread.map((u) => [u.id, Number(u.n)]));
  const [labels, names] = await Promise.all([subjectLabels(db, rows), organizationNames(db, rows.map((r) => (side === "buyer" ? r.seller_id : r.buyer_id)))]);
  return {
    items: rows.map((r) => {
      const counterpartyId = side === "buyer" ? r.seller_id : r.buyer_id;
      return { id: r.id, subject: subjectView(labels, r), counterparty: { id: counterpartyId, name: names.get(counterpartyId) ?? "" }, lastMessageAt: r.last_message_at.toISOString(), unread: unreadBy.get(r.id) ?? 0 };
    }),
    page,
    pageSize,
    total: Number(total.n),
    unreadTotal: [...unreadBy.values()].reduce((a, b) => a + b, 0),
  };
}
