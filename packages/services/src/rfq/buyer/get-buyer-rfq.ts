import { z } from "zod";
import type { ApprovalStatus, Db } from "@souk/db";
import { availableRfqMoves, buyerSeesOffers, can, offerWindowOpen, type Actor, type OfferStatus, type RfqMove, type RfqStatus } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { buyerRfq, inFinalComparison } from "../access";
import { rfqHeaderView, rfqInvitationView, rfqLineView, type RfqHeaderView, type RfqInvitationView, type RfqLineView } from "../rfq-view";
import { assertBuyerRfqCan, COUNTED_OFFER_STATUSES, dbNow, moneyOf, refId, type RfqMoneyView } from "./shared";

export const getBuyerRfqSchema = z.object({ rfqId: z.unknown() });
export type GetBuyerRfqInput = z.input<typeof getBuyerRfqSchema>;

export interface BuyerRfqLineView extends RfqLineView {
  listing: { id: string; title: string } | null;
}

export interface BuyerRfqOfferView {
  id: string;
  seller: { id: string; name: string };
  status: OfferStatus;
  revision: number;
  total: RfqMoneyView;
  leadTimeDays: number;
  validUntil: string;
  notes: string;
  submittedAt: string;
  updatedAt: string;
  lines: { lineId: string; quantity: number; unitPrice: RfqMoneyView; lineTotal: RfqMoneyView }[];
}

export interface BuyerRfqAwardView {
  id: string;
  status: "pending_approval" | "approved" | "rejected";
  total: RfqMoneyView;
  note: string;
  createdAt: string;
  decidedAt: string | null;
  lines: { lineId: string; offerId: string; sellerId: string; sellerName: string; quantity: number; unitPrice: RfqMoneyView }[];
  /** An award's approval is never `withdrawn` (only a catalogue purchase can be taken back). */
  approval: { id: string; status: ApprovalStatus; approverRole: string; requestedAt: string; decidedAt: string | null; comment: string } | null;
  orders: { id: string; number: string; sellerName: string; status: string; total: RfqMoneyView }[];
}

export interface BuyerRfqView extends RfqHeaderView {
  sourceListing: { id: string; title: string } | null;
  version: number;
  updatedAt: string;
  lines: BuyerRfqLineView[];
  attachments: { id: string; originalName: string; contentType: string; sizeBytes: number; createdAt: string }[];
  invitations: RfqInvitationView[];
  /**
   * Every question with its answer. Who asked is left out (null) while a sealed RFQ is open: the
   * buyer learns who competes only when the offers are opened.
   */
  questions: { id: string; askedBy: string | null; question: string; askedAt: string; answer: string | null; answerVisibility: "private" | "public" | null; answeredAt: string | null }[];
  /** Offers received: live ones while open, final ones once closed. The only thing shown of a sealed RFQ's offers before it closes. */
  offerCount: number;
  /** Whether `offers` is given: open bidding, or a closed (awarded) RFQ. */
  offersVisible: boolean;
  offers: BuyerRfqOfferView[] | null;
  /** The receipts chain's head and its verification, once closed. */
  receipts: { chainHead: string | null; chainLength: number; verifiedAt: string | null } | null;
  /**
   * The best-and-final round, once opened: the first round's deadline (`deadline` is then the
   * round's), when it opened, and the shortlisted sellers. While it runs on a sealed RFQ nothing
   * else of the offers is shown (no prices, no revisions); afterwards the offers are the shortlist's.
   */
  finalRound: { firstDeadline: string; openedAt: string; sellers: { id: string; name: string }[] } | null;
  award: BuyerRfqAwardView | null;
  /** The database clock when this view was read (the countdown starts from it). */
  serverNow: string;
  /** The buyer's moves this actor may make now. */
  moves: RfqMove[];
  can: { edit: boolean; publish: boolean; cancel: boolean; answer: boolean; compare: boolean; award: boolean; manageAttachments: boolean; finalRound: boolean };
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** The buyer's moves `actor` may make on an RFQ in this state (drives the buttons). The final round is `can.finalRound` (canOpenFinalRound). */
export function buyerMoves(actor: Actor, rfq: { status: RfqStatus; deadline: Date | null }, liveOffers: number, now: Date): RfqMove[] {
  const write = can(actor.organizationKind, actor.role, "create:rfq:org");
  const award = can(actor.organizationKind, actor.role, "award:rfq:org");
  // An open RFQ whose deadline has come is about to close: it takes no edit any more.
  const due = rfq.status === "open" && rfq.deadline !== null && !offerWindowOpen(rfq.deadline, now);
  return availableRfqMoves(rfq.status, { offerCount: liveOffers }).filter((m) => m !== "finalRound" && (m === "award" ? award : write) && !(m === "edit" && due));
}

/** Whether `actor` may open the RFQ's best-and-final round now: closed, never had one, no award in force, at least one final offer. */
export function canOpenFinalRound(actor: Actor, rfq: { status: RfqStatus; first_deadline: Date | null }, finalOffers: number, awardInForce: boolean): boolean {
  return (
    can(actor.organizationKind, actor.role, "award:rfq:org") &&
    availableRfqMoves(rfq.status, { offerCount: finalOffers, finalRound: { used: rfq.first_deadline !== null, awardInForce } }).includes("finalRound")
  );
}

/**
 * Everything the buyer's RFQ page shows: the RFQ, its lines, attachments, invited sellers (with
 * names), questions and answers, the offer count, the offers when the rules allow (open bidding,
 * or once closed), the receipts chain once closed, the award and its approval, the database clock,
 * and the moves. Another buyer's RFQ is NOT_FOUND. Used by the page and its live stream alike.
 */
export async function getBuyerRfq(deps: ActorDeps, input: unknown): Promise<BuyerRfqView> {
  const { actor, db } = deps;
  assertBuyerRfqCan(actor, "read:rfqs:org");
  const rfqId = refId((input as { rfqId?: unknown } | null)?.rfqId, "RFQ");
  const rfq = await buyerRfq(db, actor.organizationId, rfqId);
  const revealed = buyerSeesOffers(rfq.status, rfq.sealing);
  const closed = rfq.status === "closed" || rfq.status === "awarded";
  const hadFinalRound = rfq.first_deadline !== null;

  const [now, category, sourceListing, lines, attachments, invitations, questions, offerRows] = await Promise.all([
    dbNow(db),
    db.selectFrom("categories").select(["id", "name_en", "name_fr"]).where("id", "=", rfq.category_id).executeTakeFirstOrThrow(),
    rfq.source_listing_id ? db.selectFrom("listings").select(["id", "title"]).where("id", "=", rfq.source_listing_id).executeTakeFirst() : Promise.resolve(undefined),
    db
      .selectFrom("rfq_lines as l")
      .leftJoin("listings as li", "li.id", "l.listing_id")
      .select(["l.id", "l.position", "l.description", "l.quantity", "l.unit", "l.target_price_minor", "l.listing_id", "li.title as listing_title"])
      .where("l.rfq_id", "=", rfq.id)
      .orderBy("l.position")
      .execute(),
    db.selectFrom("rfq_attachments").select(["id", "original_name", "content_type", "size_bytes", "created_at"]).where("rfq_id", "=", rfq.id).orderBy("created_at").orderBy("id").execute(),
    db
      .selectFrom("rfq_invitations as i")
      .innerJoin("organizations as o", "o.id", "i.seller_id")
      .select(["i.seller_id", "o.name", "o.status", "i.invited_at"])
      .where("i.rfq_id", "=", rfq.id)
      .orderBy("o.name")
      .execute(),
    db
      .selectFrom("rfq_questions as q")
      .innerJoin("organizations as o", "o.id", "q.seller_id")
      .select(["q.id", "o.name as seller_name", "q.question", "q.asked_at", "q.answer", "q.answer_visibility", "q.answered_at"])
      .where("q.rfq_id", "=", rfq.id)
      .orderBy("q.asked_at")
      .orderBy("q.id")
      .execute(),
    db.selectFrom("offers as o").select(["o.status"]).where("o.rfq_id", "=", rfq.id).where("o.status", "in", [...COUNTED_OFFER_STATUSES]).where(inFinalComparison("o")).execute(),
  ]);
  const offerCount = offerRows.length;
  const liveOffers = offerRows.filter((o) => o.status === "submitted" || o.status === "revised").length;
  const moves = buyerMoves(actor, rfq, liveOffers, now);
  const [offers, award, shortlist] = await Promise.all([
    revealed ? readOffers(db, rfq.id) : Promise.resolve(null),
    readAward(db, rfq.id, rfq.buyer_id),
    hadFinalRound
      ? db.selectFrom("rfq_final_sellers as fs").innerJoin("organizations as s", "s.id", "fs.seller_id").select(["s.id", "s.name"]).where("fs.rfq_id", "=", rfq.id).orderBy("s.name").orderBy("s.id").execute()
      : Promise.resolve([]),
  ]);
  const edit = moves.includes("edit");
  const finalOffers = rfq.status === "closed" ? offerRows.filter((o) => o.status === "locked").length : 0;

  return {
    ...rfqHeaderView(rfq, category),
    sourceListing: sourceListing ?? null,
    version: rfq.version,
    updatedAt: iso(rfq.updated_at),
    lines: lines.map((l) => ({ ...rfqLineView(l, rfq.currency), listing: l.listing_id && l.listing_title ? { id: l.listing_id, title: l.listing_title } : null })),
    attachments: attachments.map((a) => ({ id: a.id, originalName: a.original_name, contentType: a.content_type, sizeBytes: a.size_bytes, createdAt: iso(a.created_at) })),
    invitations: invitations.map(rfqInvitationView),
    questions: questions.map((q) => ({
      id: q.id,
      // Once the first round has closed the buyer knew who asked; a sealed final round does not take it back.
      askedBy: revealed || hadFinalRound ? q.seller_name : null,
      question: q.question,
      askedAt: iso(q.asked_at),
      answer: q.answer,
      answerVisibility: q.answer_visibility,
      answeredAt: isoOrNull(q.answered_at),
    })),
    offerCount,
    offersVisible: revealed,
    offers,
    receipts: closed ? { chainHead: rfq.chain_head, chainLength: rfq.chain_length, verifiedAt: isoOrNull(rfq.chain_verified_at) } : null,
    finalRound:
      rfq.first_deadline && rfq.final_opened_at ? { firstDeadline: iso(rfq.first_deadline), openedAt: iso(rfq.final_opened_at), sellers: shortlist.map((s) => ({ id: s.id, name: s.name })) } : null,
    award,
    serverNow: iso(now),
    moves,
    can: {
      edit,
      publish: moves.includes("publish"),
      cancel: moves.includes("cancel"),
      answer: rfq.status === "open" && can(actor.organizationKind, actor.role, "create:rfq:org"),
      compare: closed && can(actor.organizationKind, actor.role, "award:rfq:org"),
      award: moves.includes("award"),
      manageAttachments: edit,
      finalRound: canOpenFinalRound(actor, rfq, finalOffers, award !== null && award.status !== "rejected"),
    },
  };
}

/** The live stream's snapshot: the same view as the page, read with the same rights. */
export const getBuyerRfqLive = getBuyerRfq;

/** The offers the buyer compares (counted, in the final comparison), cheapest first: call it only when buyerSeesOffers. */
export async function readOffers(db: Db, rfqId: string): Promise<BuyerRfqOfferView[]> {
  const offers = await db
    .selectFrom("offers as o")
    .innerJoin("organizations as s", "s.id", "o.seller_id")
    .select(["o.id", "o.seller_id", "s.name", "o.status", "o.revision", "o.currency", "o.total_minor", "o.lead_time_days", "o.valid_until", "o.notes", "o.submitted_at", "o.updated_at"])
    .where("o.rfq_id", "=", rfqId)
    .where("o.status", "in", [...COUNTED_OFFER_STATUSES])
    .where(inFinalComparison("o"))
    .orderBy("o.total_minor")
    .orderBy("s.name")
    .execute();
  if (offers.length === 0) return [];
  const lines = await db
    .selectFrom("offer_lines")
    .select(["offer_id", "line_id", "quantity", "unit_price_minor"])
    .where("rfq_id", "=", rfqId)
    .where("offer_id", "in", offers.map((o) => o.id))
    .execute();
  return offers.map((o) => ({
    id: o.id,
    seller: { id: o.seller_id, name: o.name },
    status: o.status,
    revision: o.revision,
    total: moneyOf(o.total_minor, o.currency),
    leadTimeDays: o.lead_time_days,
    validUntil: iso(o.valid_until),
    notes: o.notes,
    submittedAt: iso(o.submitted_at),
    updatedAt: iso(o.updated_at),
    lines: lines
      .filter((l) => l.offer_id === o.id)
      .map((l) => ({
        lineId: l.line_id,
        quantity: l.quantity,
        unitPrice: moneyOf(l.unit_price_minor, o.currency),
        lineTotal: moneyOf(BigInt(l.unit_price_minor) * BigInt(l.quantity), o.currency),
      })),
  }));
}

/** The RFQ's latest award (the one in force, or the last rejected one), its approval and its orders. */
export async function readAward(db: Db, rfqId: string, buyerId: string): Promise<BuyerRfqAwardView | null> {
  const award = await db
    .selectFrom("awards")
    .selectAll()
    .where("rfq_id", "=", rfqId)
    .where("buyer_id", "=", buyerId)
    .orderBy((eb) => eb.case().when("status", "<>", "rejected").then(0).else(1).end())
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!award) return null;
  const [lines, approval, orders] = await Promise.all([
    db
      .selectFrom("award_lines as a")
      .innerJoin("organizations as s", "s.id", "a.seller_id")
      .innerJoin("rfq_lines as l", "l.id", "a.line_id")
      .select(["a.line_id", "a.offer_id", "a.seller_id", "s.name", "a.quantity", "a.unit_price_minor"])
      .where("a.award_id", "=", award.id)
      .orderBy("l.position")
      .orderBy("s.name")
      .execute(),
    db
      .selectFrom("approvals")
      .select(["id", "status", "approver_role", "requested_at", "decided_at", "comment"])
      .where("subject_kind", "=", "award")
      .where("subject_id", "=", award.id)
      .where("buyer_id", "=", buyerId)
      .orderBy("requested_at", "desc")
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom("orders as o")
      .innerJoin("organizations as s", "s.id", "o.seller_id")
      .select(["o.id", "o.number", "s.name", "o.status", "o.total_minor", "o.currency"])
      .where("o.award_id", "=", award.id)
      .where("o.buyer_id", "=", buyerId)
      .orderBy("s.name")
      .execute(),
  ]);
  return {
    id: award.id,
    status: award.status,
    total: moneyOf(award.total_minor, award.currency),
    note: award.note,
    createdAt: iso(award.created_at),
    decidedAt: isoOrNull(award.decided_at),
    lines: lines.map((l) => ({ lineId: l.line_id, offerId: l.offer_id, sellerId: l.seller_id, sellerName: l.name, quantity: l.quantity, unitPrice: moneyOf(l.unit_price_minor, award.currency) })),
    approval: approval
      ? { id: approval.id, status: approval.status, approverRole: approval.approver_role, requestedAt: iso(approval.requested_at), decidedAt: isoOrNull(approval.decided_at), comment: approval.comment }
      : null,
    orders: orders.map((o) => ({ id: o.id, number: o.number, sellerName: o.name, status: o.status, total: moneyOf(o.total_minor, o.currency) })),
  };
}
