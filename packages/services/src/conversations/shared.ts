import { sql, type ExpressionBuilder } from "kysely";
import type { ConversationSubjectKind, Database, Db } from "@souk/db";
import { can, forbidden, notFound, type Actor, type Permission } from "@souk/domain";
import { existingId } from "../input";
import { orderReference, rfqReference } from "../rfq/common";

/** Helpers of the conversation use cases (not exported from the package). */

export type ConversationSide = "buyer" | "seller";

/** The limits of a thread: a message's length, its file (one per message, the RFQ attachments' rules). */
export const CONVERSATION_LIMITS = {
  bodyMax: 5000,
  reasonMax: 2000,
  maxAttachmentBytes: 10 * 1024 * 1024,
  /** The most recent messages a thread's page shows. */
  pageMessages: 200,
  listPageSize: 25,
} as const;

/** A thread is read and written by a member of a buyer or seller organisation, never by an operator through these use cases. */
export function assertParticipantCan(actor: Actor, permission: Extract<Permission, "read:conversations:org" | "write:conversations:org">): ConversationSide {
  if ((actor.organizationKind !== "buyer" && actor.organizationKind !== "seller") || !can(actor.organizationKind, actor.role, permission)) {
    throw forbidden(`Missing permission ${permission}`);
  }
  return actor.organizationKind;
}

/** Whether the actor may post at all (for the pages: show the form or not). */
export function mayWrite(actor: Actor): boolean {
  return (actor.organizationKind === "buyer" || actor.organizationKind === "seller") && can(actor.organizationKind, actor.role, "write:conversations:org");
}

export interface ConversationRow {
  id: string;
  buyer_id: string;
  seller_id: string;
  subject_kind: ConversationSubjectKind;
  subject_id: string;
  created_at: Date;
  last_message_at: Date;
}

/**
 * One of the actor's organisation's threads (it is its buyer or its seller), optionally row-locked,
 * or NOT_FOUND: another organisation's thread, an unknown id or a malformed one all answer the same.
 */
export async function participantConversation(db: Db, actor: Actor, side: ConversationSide, conversationIdInput: unknown, lock?: "no key update" | "share"): Promise<ConversationRow> {
  const id = existingId(conversationIdInput, "Conversation");
  let query = db
    .selectFrom("conversations")
    .select(["id", "buyer_id", "seller_id", "subject_kind", "subject_id", "created_at", "last_message_at"])
    .where("id", "=", id)
    .where(side === "buyer" ? "buyer_id" : "seller_id", "=", actor.organizationId);
  if (lock === "no key update") query = query.forNoKeyUpdate();
  if (lock === "share") query = query.forShare();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("Conversation");
  return row;
}

export interface SubjectView {
  kind: ConversationSubjectKind;
  id: string;
  /** "ORD-000042", "RFQ-000007 · Corrugated boxes", "Pallet wrap (SKU PW-1)". */
  label: string;
}

/** The subjects' labels (what the thread is about), whatever their state now. */
export async function subjectLabels(db: Db, subjects: readonly { subject_kind: ConversationSubjectKind; subject_id: string }[]): Promise<Map<string, string>> {
  const ids = (kind: ConversationSubjectKind) => [...new Set(subjects.filter((s) => s.subject_kind === kind).map((s) => s.subject_id))];
  const labels = new Map<string, string>();
  const listingIds = ids("listing");
  const rfqIds = ids("rfq");
  const orderIds = ids("order");
  if (listingIds.length > 0) {
    for (const l of await db.selectFrom("listings").select(["id", "title", "sku"]).where("id", "in", listingIds).execute()) labels.set(`listing:${l.id}`, `${l.title} (SKU ${l.sku})`);
  }
  if (rfqIds.length > 0) {
    for (const r of await db.selectFrom("rfqs").select(["id", "number", "title"]).where("id", "in", rfqIds).execute()) labels.set(`rfq:${r.id}`, `${rfqReference(r.number)} · ${r.title}`);
  }
  if (orderIds.length > 0) {
    for (const o of await db.selectFrom("orders").select(["id", "number"]).where("id", "in", orderIds).execute()) labels.set(`order:${o.id}`, orderReference(o.number));
  }
  return labels;
}

export function subjectView(labels: Map<string, string>, row: { subject_kind: ConversationSubjectKind; subject_id: string }): SubjectView {
  return { kind: row.subject_kind, id: row.subject_id, label: labels.get(`${row.subject_kind}:${row.subject_id}`) ?? "—" };
}

/**
 * Unread messages of one user in threads of its organisation: the other side's messages after the
 * user's read mark (all of them when it never opened the thread).
 */
export function unreadCountsQuery(db: Db, userId: string, organizationId: string, side: ConversationSide) {
  const other = side === "buyer" ? "seller" : "buyer";
  return db
    .selectFrom("conversations as c")
    .innerJoin("conversation_messages as m", "m.conversation_id", "c.id")
    .leftJoin("conversation_reads as r", (join) => join.onRef("r.conversation_id", "=", "c.id").on("r.user_id", "=", userId))
    .where(side === "buyer" ? "c.buyer_id" : "c.seller_id", "=", organizationId)
    .where("m.author_side", "=", other)
    .where((eb) => eb.or([eb("r.last_read_at", "is", null), eb("m.created_at", ">", eb.ref("r.last_read_at"))]));
}

/**
 * Marks the thread read for the user up to the last message it was shown (never backwards): a
 * message written meanwhile stays unread. Messages to one organisation are stamped in the order
 * they commit (appendMessage), so nothing older can still appear.
 */
export async function markRead(db: Db, conversationId: string, userId: string, upToMessageId: string): Promise<void> {
  // The database's own timestamp (microseconds), not a JavaScript Date's milliseconds.
  const upTo = sql<Date>`(select created_at from conversation_messages where id = ${upToMessageId} and conversation_id = ${conversationId})`;
  await db
    .insertInto("conversation_reads")
    .values({ conversation_id: conversationId, user_id: userId, last_read_at: upTo })
    .onConflict((oc) => oc.columns(["conversation_id", "user_id"]).doUpdateSet({ last_read_at: sql<Date>`greatest(conversation_reads.last_read_at, excluded.last_read_at)` }))
    .execute();
}

export interface MessageView {
  id: string;
  side: ConversationSide;
  authorName: string | null;
  body: string;
  createdAt: string;
  attachments: { id: string; name: string; contentType: string; sizeBytes: number }[];
}

/** The thread's most recent messages, oldest first, with their files. */
export async function threadMessages(db: Db, conversationId: string): Promise<MessageView[]> {
  const rows = await db
    .selectFrom("conversation_messages as m")
    .leftJoin("users as u", "u.id", "m.author_user_id")
    .select(["m.id", "m.author_side", "u.name as author_name", "m.body", "m.created_at"])
    .where("m.conversation_id", "=", conversationId)
    .orderBy("m.created_at", "desc")
    .orderBy("m.id", "desc")
    .limit(CONVERSATION_LIMITS.pageMessages)
    .execute();
  rows.reverse();
  const files =
    rows.length === 0
      ? []
      : await db
          .selectFrom("conversation_attachments")
          .select(["id", "message_id", "original_name", "content_type", "size_bytes"])
          .where("conversation_id", "=", conversationId)
          .where(
            "message_id",
            "in",
            rows.map((r) => r.id),
          )
          .orderBy("created_at")
          .execute();
  return rows.map((r) => ({
    id: r.id,
    side: r.author_side,
    authorName: r.author_name,
    body: r.body,
    createdAt: r.created_at.toISOString(),
    attachments: files.filter((f) => f.message_id === r.id).map((f) => ({ id: f.id, name: f.original_name, contentType: f.content_type, sizeBytes: f.size_bytes })),
  }));
}

/** Organisation names by id. */
export async function organizationNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("organizations").select(["id", "name"]).where("id", "in", [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Which threads a moderator may read: a thread about an order that has a dispute (open or resolved),
 * or a thread a participant reported. Every other thread does not exist for an operator.
 */
export function moderatedThread() {
  return (eb: ExpressionBuilder<Database & { c: Database["conversations"] }, "c">) =>
    eb.or([
      eb.and([eb("c.subject_kind", "=", "order"), eb.exists(eb.selectFrom("disputes as d").select(sql`1`.as("one")).whereRef("d.order_id", "=", "c.subject_id").whereRef("d.buyer_id", "=", "c.buyer_id").whereRef("d.seller_id", "=", "c.seller_id"))]),
      eb.exists(eb.selectFrom("conversation_reports as cr").select(sql`1`.as("one")).whereRef("cr.conversation_id", "=", "c.id")),
    ]);
}

export function assertModerator(actor: Actor): void {
  if (actor.organizationKind !== "operator" || !can("operator", actor.role, "read:conversations:any")) throw forbidden("Missing permission read:conversations:any");
}
