import { can, availableOfferMoves, money, offerLineRanks, sellerFacingStatus, type Currency, type OfferRound, type OfferStatus } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { inFinalComparison, sellerRfq, sellerShortlisted } from "../access";
import type { OfferAttachmentView } from "./offer-attachments";
import { assertSellerRfqCan, clockNow, firstRoundChain, LIVE_OFFER_STATUSES, moneyOf, rfqIdOf, rfqReference, type RfqMoneyView } from "./shared";

export interface GetSellerRfqInput {
  rfqId: unknown;
}

export interface SellerRfqLineView {
  id: string;
  position: number;
  description: string;
  quantity: number;
  unit: string;
  targetPrice: RfqMoneyView | null;
}

export interface SellerRfqQuestionView {
  id: string;
  question: string;
  askedAt: string;
  /** Asked by this seller (its own questions are shown with their private answers too). */
  mine: boolean;
  answer: string | null;
  answerVisibility: "private" | "public" | null;
  answeredAt: string | null;
}

export interface SellerOfferLineView {
  lineId: string;
  unitPrice: RfqMoneyView;
  quantity: number;
  lineTotal: RfqMoneyView;
}

export interface SellerOfferView {
  id: string;
  status: OfferStatus;
  revision: number;
  leadTimeDays: number;
  validUntil: string;
  notes: string;
  total: RfqMoneyView;
  submittedAt: string;
  updatedAt: string;
  withdrawnAt: string | null;
  lines: SellerOfferLineView[];
  attachments: OfferAttachmentView[];
}

/**
 * One receipt of the seller's own chain entries, with what it recorded. While the RFQ is open, no
 * sequence and no previous hash: the gaps between its own receipts' places in the chain would tell
 * the seller how many times its competitors wrote. Once the RFQ is no longer open, both.
 */
export interface SellerReceiptView {
  sequence?: number;
  kind: "submitted" | "revised" | "withdrawn";
  revision: number;
  recordedAt: string;
  previousHash?: string | null;
  hash: string;
  leadTimeDays: number;
  validUntil: string;
  notes: string;
  total: RfqMoneyView;
  lines: { lineId: string; quantity: number; unitPrice: RfqMoneyView }[];
  /** Why a withdrawal the seller did not ask for happened ("seller.suspended"), a best-and-final round's revision ("rfq.final_round"), else null. */
  reason: string | null;
}

export interface SellerRfqMoves {
  ask: boolean;
  submit: boolean;
  revise: boolean;
  withdraw: boolean;
  attach: boolean;
}

export type SellerRfqOutcome = { result: "won"; orders: { id: string; number: string; total: RfqMoneyView }[] } | { result: "lost" };

export interface SellerRfqView {
  rfq: {
    id: string;
    reference: string;
    title: string;
    description: string;
    buyerName: string;
    category: { id: string; nameEn: string; nameFr: string };
    currency: string;
    incoterm: string;
    deliveryPlace: string;
    deadline: string;
    status: "open" | "closed" | "awarded" | "cancelled";
    sealing: "sealed" | "open";
    visibility: "open" | "invited";
    invited: boolean;
    antiSniping: { windowMinutes: number; maxExtensions: number; extensionsUsed: number } | null;
    publishedAt: string | null;
    closedAt: string | null;
    cancelReason: string | null;
  };
  /**
   * The best-and-final round, shown to its shortlisted sellers only (while it runs and after):
   * the first round's deadline; `rfq.deadline` is then the round's. Null for every other seller,
   * which sees the RFQ as the first close left it.
   */
  finalRound: { firstDeadline: string; openedAt: string } | null;
  lines: SellerRfqLineView[];
  attachments: { id: string; name: string; contentType: string; sizeBytes: number }[];
  questions: SellerRfqQuestionView[];
  offer: SellerOfferView | null;
  /** The seller's own receipts, newest first. */
  receipts: SellerReceiptView[];
  /** Open (not sealed) bidding, while open, with a live offer: the seller's rank on each line it bids on. Nothing else about the others. */
  ranks: { lineId: string; rank: number }[] | null;
  /** Once closed: the chain's head shown to every participant, and when it was verified. */
  chain: { head: string | null; length: number; verifiedAt: string | null } | null;
  /** Once awarded: won (with the seller's orders) or lost; null when the seller had no offer in the competition. */
  outcome: SellerRfqOutcome | null;
  /** The database clock when this view was read (the countdown starts from it). */
  serverNow: string;
  moves: SellerRfqMoves;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

interface StoredContent {
  currency?: string;
  leadTimeDays?: number;
  validUntil?: string;
  notes?: string;
  lines?: { lineId: string; quantity: number; unitPriceMinor: string }[];
  reason?: { code?: string };
}

/**
 * An RFQ as the seller sees it: its page, and the snapshot of its live stream. Everything about the
 * seller's own offer (its lines, files, every revision with its receipt); about the others nothing,
 * ever, except on an open (not sealed) RFQ while it is open: the seller's own rank per line. Other
 * sellers' questions appear only once the buyer answered them to everyone. An RFQ the seller may
 * not see (not invited, other category, seller not active, draft) is NOT_FOUND.
 *
 * A best-and-final round is open to its shortlisted sellers (they may revise their offer until the
 * round's deadline, with the first round's sealing and rank rule among the shortlist) and, to
 * every other seller, the RFQ stays exactly as its first close left it: closed, the first
 * deadline, the anti-sniping extensions and receipts chain of then. Nothing of the round changes
 * their view, so their live stream sends nothing either.
 */
export async function getSellerRfq(deps: ActorDeps, input: GetSellerRfqInput): Promise<SellerRfqView> {
  const { actor, db } = deps;
  assertSellerRfqCan(actor, "read:rfq-inbox:org");
  const rfqId = rfqIdOf(input);
  const sellerId = actor.organizationId;
  const rfq = await sellerRfq(db, sellerId, rfqId);
  const currency = rfq.currency;
  const hadFinalRound = rfq.first_deadline !== null;
  const shortlisted = hadFinalRound && (await sellerShortlisted(db, rfqId, sellerId));
  // A seller off the shortlist of a round that runs sees the RFQ as the first close left it.
  const frozen = rfq.status === "final_round" && !shortlisted;
  const status = sellerFacingStatus(rfq.status, shortlisted);
  const round: OfferRound = rfq.status === "final_round" ? "final" : "first";

  const [facts, lines, attachments, questions, offer, receipts, now] = await Promise.all([
    db
      .selectFrom("organizations as b")
      .innerJoin("categories as c", (join) => join.on("c.id", "=", rfq.category_id))
      .select(["b.name as buyerName", "c.id as categoryId", "c.name_en", "c.name_fr"])
      .select((eb) => eb.exists(eb.selectFrom("rfq_invitations").select("seller_id").where("rfq_id", "=", rfqId).where("seller_id", "=", sellerId)).as("invited"))
      .where("b.id", "=", rfq.buyer_id)
      .executeTakeFirstOrThrow(),
    db.selectFrom("rfq_lines").select(["id", "position", "description", "quantity", "unit", "target_price_minor"]).where("rfq_id", "=", rfqId).orderBy("position").execute(),
    db.selectFrom("rfq_attachments").select(["id", "original_name", "content_type", "size_bytes"]).where("rfq_id", "=", rfqId).orderBy("created_at").orderBy("id").execute(),
    db
      .selectFrom("rfq_questions")
      .select(["id", "seller_id", "question", "asked_at", "answer", "answer_visibility", "answered_at"])
      .where("rfq_id", "=", rfqId)
      .where((eb) => eb.or([eb("seller_id", "=", sellerId), eb("answer_visibility", "=", "public")]))
      .orderBy("asked_at")
      .orderBy("id")
      .execute(),
    db.selectFrom("offers").selectAll().where("rfq_id", "=", rfqId).where("seller_id", "=", sellerId).executeTakeFirst(),
    db
      .selectFrom("offer_revisions")
      .select(["sequence", "kind", "revision", "recorded_at", "previous_hash", "hash", "content"])
      .where("rfq_id", "=", rfqId)
      .where("seller_id", "=", sellerId)
      .orderBy("sequence", "desc")
      .execute(),
    clockNow(db),
  ]);

  let offerView: SellerOfferView | null = null;
  if (offer) {
    const [offerLines, offerFiles] = await Promise.all([
      db.selectFrom("offer_lines").select(["line_id", "unit_price_minor", "quantity"]).where("offer_id", "=", offer.id).execute(),
      db.selectFrom("offer_attachments").select(["id", "original_name", "content_type", "size_bytes"]).where("offer_id", "=", offer.id).orderBy("created_at").orderBy("id").execute(),
    ]);
    const position = new Map(lines.map((l) => [l.id, l.position]));
    offerView = {
      id: offer.id,
      status: offer.status,
      revision: offer.revision,
      leadTimeDays: offer.lead_time_days,
      validUntil: iso(offer.valid_until),
      notes: offer.notes,
      total: moneyOf(offer.total_minor, offer.currency),
      submittedAt: iso(offer.submitted_at),
      updatedAt: iso(offer.updated_at),
      withdrawnAt: isoOrNull(offer.withdrawn_at),
      lines: offerLines
        .sort((a, b) => (position.get(a.line_id) ?? 0) - (position.get(b.line_id) ?? 0))
        .map((l) => ({
          lineId: l.line_id,
          unitPrice: moneyOf(l.unit_price_minor, offer.currency),
          quantity: l.quantity,
          lineTotal: moneyOf(BigInt(l.unit_price_minor) * BigInt(l.quantity), offer.currency),
        })),
      attachments: offerFiles.map((f) => ({ id: f.id, name: f.original_name, contentType: f.content_type, sizeBytes: f.size_bytes })),
    };
  }

  // Off the shortlist, the first round's deadline, always: the round's is none of its business.
  const deadline = new Date((hadFinalRound && !shortlisted ? rfq.first_deadline : rfq.deadline) as Date);
  const isOpen = status === "open" && now.getTime() < deadline.getTime();
  // In the competition now: a live offer in the first round; the shortlisted seller's final offer (locked, or revised in the round) in a final round.
  const competingStatuses: readonly string[] = round === "final" ? ["locked", "revised"] : LIVE_OFFER_STATUSES;
  const live = offer !== undefined && status === "open" && competingStatuses.includes(offer.status);

  let ranks: SellerRfqView["ranks"] = null;
  if (rfq.sealing === "open" && status === "open" && live && offer) {
    // Every competing offer's prices feed the ranking (in a final round the shortlist's only), and only the seller's own ranks leave this function.
    const competing = await db
      .selectFrom("offer_lines as ol")
      .innerJoin("offers as o", "o.id", "ol.offer_id")
      .select(["ol.offer_id", "ol.line_id", "ol.unit_price_minor", "ol.quantity"])
      .where("o.rfq_id", "=", rfqId)
      .where("o.status", "in", [...competingStatuses] as ("locked" | "revised" | "submitted")[])
      .where(inFinalComparison("o"))
      .execute();
    const byOffer = new Map<string, { lineId: string; unitPrice: ReturnType<typeof money>; quantity: number }[]>();
    for (const l of competing) {
      const list = byOffer.get(l.offer_id) ?? [];
      list.push({ lineId: l.line_id, unitPrice: money(BigInt(l.unit_price_minor), currency as Currency), quantity: l.quantity });
      byOffer.set(l.offer_id, list);
    }
    const order = new Map(lines.map((l) => [l.id, l.position]));
    ranks = offerLineRanks([...byOffer].map(([offerId, offerLines]) => ({ offerId, lines: offerLines })), offer.id)
      .map((r) => ({ lineId: r.lineId, rank: r.rank }))
      .sort((a, b) => (order.get(a.lineId) ?? 0) - (order.get(b.lineId) ?? 0));
  }

  let outcome: SellerRfqOutcome | null = null;
  if (rfq.status === "awarded" && offer) {
    const orders = await db
      .selectFrom("orders")
      .select(["id", "number", "total_minor", "currency"])
      .where("rfq_id", "=", rfqId)
      .where("seller_id", "=", sellerId)
      .orderBy("number")
      .execute();
    if (orders.length > 0) outcome = { result: "won", orders: orders.map((o) => ({ id: o.id, number: o.number, total: moneyOf(o.total_minor, o.currency) })) };
    else if (offer.status === "locked") outcome = { result: "lost" };
  }

  const mayOffer = can("seller", actor.role, "submit:offer:org");
  const offerMoves = offer && isOpen ? availableOfferMoves(offer.status, { now, deadline, round }) : [];
  // A final round takes revisions of the shortlist's offers only: no question, no fresh offer, no new file.
  const firstRoundOpen = isOpen && round === "first";
  const moves: SellerRfqMoves = {
    ask: mayOffer && firstRoundOpen,
    submit: mayOffer && firstRoundOpen && (!offer || offer.status === "withdrawn"),
    revise: mayOffer && offerMoves.includes("revise"),
    withdraw: mayOffer && offerMoves.includes("withdraw"),
    attach: mayOffer && firstRoundOpen && live,
  };

  const closed = status === "closed" || status === "awarded";
  // While a round is open to this seller, a receipt's place in the chain would count its competitors' writes.
  const chainShown = status !== "open";
  const chain = closed ? (frozen ? await firstRoundChain(db, rfq) : { head: rfq.chain_head, length: rfq.chain_length, verifiedAt: isoOrNull(rfq.chain_verified_at) }) : null;
  return {
    rfq: {
      id: rfq.id,
      reference: rfqReference(rfq.number),
      title: rfq.title,
      description: rfq.description,
      buyerName: facts.buyerName,
      category: { id: facts.categoryId, nameEn: facts.name_en, nameFr: facts.name_fr },
      currency,
      incoterm: rfq.incoterm,
      deliveryPlace: rfq.delivery_place,
      deadline: deadline.toISOString(),
      status: status as SellerRfqView["rfq"]["status"],
      sealing: rfq.sealing,
      visibility: rfq.visibility,
      invited: Boolean(facts.invited),
      antiSniping:
        rfq.anti_sniping_minutes !== null && rfq.anti_sniping_max !== null
          ? { windowMinutes: rfq.anti_sniping_minutes, maxExtensions: rfq.anti_sniping_max, extensionsUsed: hadFinalRound && !shortlisted ? (rfq.first_extensions ?? 0) : rfq.extensions }
          : null,
      publishedAt: isoOrNull(rfq.published_at),
      closedAt: isoOrNull(rfq.closed_at),
      cancelReason: rfq.status === "cancelled" ? rfq.cancel_reason : null,
    },
    finalRound: shortlisted && rfq.first_deadline && rfq.final_opened_at ? { firstDeadline: iso(rfq.first_deadline), openedAt: iso(rfq.final_opened_at) } : null,
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      description: l.description,
      quantity: l.quantity,
      unit: l.unit,
      targetPrice: l.target_price_minor === null ? null : moneyOf(l.target_price_minor, currency),
    })),
    attachments: attachments.map((a) => ({ id: a.id, name: a.original_name, contentType: a.content_type, sizeBytes: a.size_bytes })),
    questions: questions.map((q) => ({
      id: q.id,
      question: q.question,
      askedAt: iso(q.asked_at),
      mine: q.seller_id === sellerId,
      answer: q.answer,
      answerVisibility: q.answer_visibility,
      answeredAt: isoOrNull(q.answered_at),
    })),
    offer: offerView,
    receipts: receipts.map((r) => {
      const content = JSON.parse(r.content) as StoredContent;
      // In the currency the offer was made in: the buyer may change the RFQ's since (with no live offer).
      const receiptCurrency = content.currency ?? currency;
      const receiptLines = (content.lines ?? []).map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitPrice: moneyOf(l.unitPriceMinor, receiptCurrency) }));
      const total = (content.lines ?? []).reduce((sum, l) => sum + BigInt(l.unitPriceMinor) * BigInt(l.quantity), 0n);
      return {
        ...(chainShown ? { sequence: r.sequence } : {}),
        kind: r.kind,
        revision: r.revision,
        recordedAt: iso(r.recorded_at),
        ...(chainShown ? { previousHash: r.previous_hash } : {}),
        hash: r.hash,
        leadTimeDays: content.leadTimeDays ?? 0,
        validUntil: content.validUntil ?? "",
        notes: content.notes ?? "",
        total: moneyOf(total, receiptCurrency),
        lines: receiptLines,
        reason: content.reason?.code ?? null,
      };
    }),
    ranks,
    chain,
    outcome,
    serverNow: now.toISOString(),
    moves,
  };
}
