import { sql } from "kysely";
import { z } from "zod";
import type { ConversationSubjectKind, Db } from "@souk/db";
import { withTransaction } from "@souk/db";
import { notFound, type Actor } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import { visibleListingsQuery } from "../catalogue/pricing/visibility";
import type { ActorDeps } from "../deps";
import { existingId, parseInput } from "../input";
import { inFinalComparison, sellerMaySeeRfq } from "../rfq/access";
import { orderReference, rfqReference } from "../rfq/common";
import { newStorageKey, type StorageDeps } from "../storage/document-storage";
import { storeThenRecord } from "../storage/uploaded-document";
import { appendMessage, checkMessageFile, messageBody } from "./append-message";
import { assertParticipantCan, type ConversationRow, type ConversationSide } from "./shared";

const SUBJECT_KINDS = ["listing", "rfq", "order"] as const satisfies readonly ConversationSubjectKind[];

/** What a thread is about, as a link or a hidden field gives it: NOT_FOUND whenever it designates nothing the actor may use. */
export const conversationSubjectSchema = z.object({
  subjectKind: z.unknown(),
  subjectId: z.unknown(),
  /** The seller, when a buyer starts a thread about one of its RFQs. */
  sellerId: z.unknown().optional(),
});
export type ConversationSubjectInput = z.input<typeof conversationSubjectSchema>;

export const startConversationSchema = conversationSubjectSchema.extend({ body: messageBody, file: z.unknown().optional() });
export type StartConversationInput = z.input<typeof startConversationSchema>;

/** RFQ statuses after the first deadline: the offers are no longer sealed, so a buyer may write to a seller that offered. */
const RFQ_PAST_DEADLINE = ["closed", "final_round", "awarded"] as const;

export interface ResolvedSubject {
  kind: ConversationSubjectKind;
  id: string;
  label: string;
  buyerId: string;
  sellerId: string;
  /** The other side's organisation name. */
  counterpartyName: string;
}

function subjectKindOf(value: unknown): ConversationSubjectKind {
  const parsed = z.enum(SUBJECT_KINDS).safeParse(value);
  if (!parsed.success) throw notFound("Conversation subject");
  return parsed.data;
}

/**
 * Who the thread is between, from what it is about, under the rules:
 * - a listing: started by a buyer that may see it (the catalogue's visibility rule), with its seller;
 * - an RFQ: by its buyer with a seller invited to it, or whose offer counts once the first deadline
 *   has passed (not withdrawn, in the final comparison: no sealed offer's existence, nor its
 *   withdrawal, leaks); or by a seller that may see the RFQ, with its buyer;
 * - an order: by either party, with the other.
 * Anything else (another organisation's order or RFQ, a listing the buyer may not see, a seller of
 * nothing, a malformed id) is NOT_FOUND.
 */
export async function resolveSubject(db: Db, actor: Actor, side: ConversationSide, input: ConversationSubjectInput): Promise<ResolvedSubject> {
  const kind = subjectKindOf(input.subjectKind);
  const subjectId = existingId(input.subjectId, "Conversation subject");
  const org = actor.organizationId;
  if (kind === "listing") {
    if (side !== "buyer") throw notFound("Listing");
    const listing = await visibleListingsQuery(db, org).select(["l.id", "l.title", "l.sku", "s.id as sellerId", "s.name as sellerName"]).where("l.id", "=", subjectId).executeTakeFirst();
    if (!listing) throw notFound("Listing");
    return { kind, id: listing.id, label: `${listing.title} (SKU ${listing.sku})`, buyerId: org, sellerId: listing.sellerId, counterpartyName: listing.sellerName };
  }
  if (kind === "order") {
    const order = await db
      .selectFrom("orders as o")
      .innerJoin("organizations as b", "b.id", "o.buyer_id")
      .innerJoin("organizations as s", "s.id", "o.seller_id")
      .select(["o.id", "o.number", "o.buyer_id", "o.seller_id", "b.name as buyerName", "s.name as sellerName"])
      .where("o.id", "=", subjectId)
      .where(side === "buyer" ? "o.buyer_id" : "o.seller_id", "=", org)
      .executeTakeFirst();
    if (!order) throw notFound("Order");
    return { kind, id: order.id, label: orderReference(order.number), buyerId: order.buyer_id, sellerId: order.seller_id, counterpartyName: side === "buyer" ? order.sellerName : order.buyerName };
  }
  if (side === "seller") {
    const rfq = await db
      .selectFrom("rfqs as r")
      .innerJoin("organizations as b", "b.id", "r.buyer_id")
      .select(["r.id", "r.number", "r.title", "r.buyer_id", "b.name as buyerName"])
      .where("r.id", "=", subjectId)
      .where(sellerMaySeeRfq(org))
      .executeTakeFirst();
    if (!rfq) throw notFound("RFQ");
    return { kind, id: rfq.id, label: `${rfqReference(rfq.number)} · ${rfq.title}`, buyerId: rfq.buyer_id, sellerId: org, counterpartyName: rfq.buyerName };
  }
  const sellerId = existingId(input.sellerId, "Seller");
  const rfq = await db
    .selectFrom("rfqs as r")
    .select(["r.id", "r.number", "r.title"])
    .where("r.id", "=", subjectId)
    .where("r.buyer_id", "=", org)
    .where(sellerMaySeeRfq(sellerId))
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("rfq_invitations as ri").select(sql`1`.as("one")).whereRef("ri.rfq_id", "=", "r.id").where("ri.seller_id", "=", sellerId)),
        eb.and([
          eb("r.status", "in", [...RFQ_PAST_DEADLINE]),
          // A counted offer of the comparison only: on a sealed RFQ a withdrawn one must read like none at all.
          eb.exists(
            eb
              .selectFrom("offers as o")
              .select(sql`1`.as("one"))
              .whereRef("o.rfq_id", "=", "r.id")
              .where("o.seller_id", "=", sellerId)
              .where("o.status", "<>", "withdrawn")
              .where(inFinalComparison("o")),
          ),
        ]),
      ]),
    )
    .executeTakeFirst();
  if (!rfq) throw notFound("RFQ");
  const seller = await db.selectFrom("organizations").select("name").where("id", "=", sellerId).executeTakeFirstOrThrow();
  return { kind, id: rfq.id, label: `${rfqReference(rfq.number)} · ${rfq.title}`, buyerId: org, sellerId, counterpartyName: seller.name };
}

export interface ConversationStart {
  subject: ResolvedSubject;
  /** The thread already between the two organisations about this subject, if any: the page goes there. */
  conversationId: string | null;
  canWrite: true;
}

/** The "new message" page: what the thread would be about and with whom, or the existing thread. */
export async function prepareConversation(deps: ActorDeps, input: unknown): Promise<ConversationStart> {
  const { actor, db } = deps;
  const side = assertParticipantCan(actor, "write:conversations:org");
  const subject = await resolveSubject(db, actor, side, parseInput(conversationSubjectSchema, input));
  const existing = await db
    .selectFrom("conversations")
    .select("id")
    .where("buyer_id", "=", subject.buyerId)
    .where("seller_id", "=", subject.sellerId)
    .where("subject_kind", "=", subject.kind)
    .where("subject_id", "=", subject.id)
    .executeTakeFirst();
  return { subject, conversationId: existing?.id ?? null, canWrite: true };
}

/**
 * Starts the thread between the actor's organisation and the other party about a listing, an RFQ
 * or an order (see resolveSubject) with a first message, or, when the two already have one about
 * it (one per buyer, seller and subject), posts in that one. Returns the thread.
 */
export async function startConversation(deps: ActorDeps & StorageDeps, input: unknown): Promise<{ conversationId: string; messageId: string; created: boolean }> {
  const { actor, storage } = deps;
  const side = assertParticipantCan(actor, "write:conversations:org");
  const data = parseInput(startConversationSchema, input);
  await resolveSubject(deps.db, actor, side, data);
  const document = await checkMessageFile(data.file);

  const write = (key: string | null) =>
    withTransaction(deps.db, async (trx) => {
      await assertStillPermitted(trx, actor, "write:conversations:org");
      const subject = await resolveSubject(trx, actor, side, data);
      const inserted = await trx
        .insertInto("conversations")
        .values({ buyer_id: subject.buyerId, seller_id: subject.sellerId, subject_kind: subject.kind, subject_id: subject.id, created_by: actor.userId })
        .onConflict((oc) => oc.columns(["buyer_id", "seller_id", "subject_kind", "subject_id"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      const conversation: ConversationRow = await trx
        .selectFrom("conversations")
        .select(["id", "buyer_id", "seller_id", "subject_kind", "subject_id", "created_at", "last_message_at"])
        .where("buyer_id", "=", subject.buyerId)
        .where("seller_id", "=", subject.sellerId)
        .where("subject_kind", "=", subject.kind)
        .where("subject_id", "=", subject.id)
        // Updated (last_message_at) below: locked for that now, so two writers never deadlock upgrading share locks.
        .forNoKeyUpdate()
        .executeTakeFirstOrThrow();
      const written = await appendMessage(trx, conversation, { side, userId: actor.userId }, data.body, document && key ? { document, key } : null);
      return { conversationId: conversation.id, messageId: written.messageId, created: inserted !== undefined };
    });
  if (!document) return write(null);
  const key = newStorageKey(["conversations", actor.organizationId]);
  return storeThenRecord(storage, key, document.bytes, () => write(key));
}
