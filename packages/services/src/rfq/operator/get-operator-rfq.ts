import { sql, type Kysely, type Transaction } from "kysely";
import { z } from "zod";
import type { Database, Db } from "@souk/db";
import { buyerSeesOffers, can, notFound } from "@souk/domain";
import { recordAudit } from "../../audit/record-audit";
import type { ActorDeps } from "../../deps";
import { existingId, parseInput } from "../../input";
import { inFinalComparison } from "../access";
import { readAward, readOffers, type BuyerRfqAwardView, type BuyerRfqOfferView } from "../buyer/get-buyer-rfq";
import { COUNTED_OFFER_STATUSES, dbNow, rfqReference } from "../buyer/shared";
import { rfqHeaderView, rfqInvitationView, rfqLineView, type RfqHeaderView, type RfqInvitationView, type RfqLineView } from "../rfq-view";
import { assertRfqWatcher } from "./shared";

export const getOperatorRfqSchema = z.object({ rfqId: z.unknown() });
export type GetOperatorRfqInput = z.input<typeof getOperatorRfqSchema>;

/** The most receipts and audit events the page lists (the newest); the chain's length says how many there are. */
export const OPERATOR_RFQ_LIMITS = { receipts: 500, events: 100 } as const;

export interface OperatorRfqOfferView extends BuyerRfqOfferView {
  /** Receipts the seller's writes left in the chain (submission, revisions, withdrawal). */
  receipts: number;
}

export interface OperatorRfqReceiptView {
  sequence: number;
  seller: { id: string; name: string };
  kind: "submitted" | "revised" | "withdrawn";
  revision: number;
  /** Why it was written when not a plain first-round write (rfq.final_round, seller.suspended, a counter's answer). */
  reason: string | null;
  recordedAt: string;
  hash: string;
}

export interface OperatorRfqEventView {
  id: string;
  occurredAt: string;
  action: string;
  actor: string | null;
  actorOrganization: string | null;
  reason: string | null;
}

export interface OperatorRfqView extends RfqHeaderView {
  buyer: { id: string; name: string };
  lines: RfqLineView[];
  invitations: RfqInvitationView[];
  finalRound: { firstDeadline: string; openedAt: string; sellers: { id: string; name: string }[] } | null;
  /** Offers received: live ones while open, final ones once closed. All that is shown of them while sealed. */
  offerCount: number;
  /** Whether the offers are shown: open bidding, or the (final) deadline has passed and the RFQ closed. */
  offersVisible: boolean;
  /** Per seller, its offer as the buyer compares it and how many receipts it wrote; null while sealed. */
  offers: OperatorRfqOfferView[] | null;
  /** The receipts chain once closed: its head as verified at closing, and its receipts (newest first, no content). */
  receipts: { chainHead: string | null; chainLength: number; verifiedAt: string | null; entries: OperatorRfqReceiptView[] } | null;
  award: BuyerRfqAwardView | null;
  /** The audit log's events about this RFQ, newest first (its award's and counters' once the offers are shown). */
  events: OperatorRfqEventView[];
  /** The viewer reads the ledger: the award's orders link to their money. */
  canReadLedger: boolean;
  /** The database clock when this view was read. */
  serverNow: string;
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * One published RFQ for an operator (read:rfqs:any): the buyer, the request, its lines, the invited
 * sellers, status and deadlines (the best-and-final round's too), the offer count, and the audit
 * events about it. Its offers (prices, lines, per seller), the award and the receipts chain follow
 * the buyer's rule, through the same functions as the buyer's page (buyerSeesOffers, readOffers,
 * inFinalComparison): while the bidding is sealed, a sealed final round included, nothing of them
 * but their count. A draft, an unknown id or a malformed one is NOT_FOUND.
 *
 * The whole view is read in one REPEATABLE READ snapshot, so the status that decides what is shown
 * and the offers read agree even if the RFQ closes or a round opens meanwhile. Reading is written to
 * the audit log (rfq.read, concerning the buyer) in that transaction: an operator's look at a
 * tenant's commercial data leaves a trace, as a moderator's reading of a thread does (decision 0014).
 */
export async function getOperatorRfq(deps: ActorDeps, input: unknown): Promise<OperatorRfqView> {
  const { actor } = deps;
  assertRfqWatcher(actor);
  const rfqId = existingId(parseInput(getOperatorRfqSchema, input).rfqId, "RFQ");
  const read = async (trx: Db): Promise<OperatorRfqView> => {
    const rfq = await trx
      .selectFrom("rfqs as r")
      .innerJoin("organizations as b", "b.id", "r.buyer_id")
      .innerJoin("categories as c", "c.id", "r.category_id")
      .selectAll("r")
      .select(["b.name as buyer_name", "c.name_en", "c.name_fr"])
      .where("r.id", "=", rfqId)
      .where("r.status", "<>", "draft")
      .where("r.published_at", "is not", null)
      .executeTakeFirst();
    if (!rfq) throw notFound("RFQ");
    const revealed = buyerSeesOffers(rfq.status, rfq.sealing);
    const closed = rfq.status === "closed" || rfq.status === "awarded";

    const [now, lines, invitations, counted, shortlist, events] = await Promise.all([
      dbNow(trx),
      trx.selectFrom("rfq_lines").select(["id", "position", "description", "quantity", "unit", "target_price_minor"]).where("rfq_id", "=", rfq.id).orderBy("position").execute(),
      trx
        .selectFrom("rfq_invitations as i")
        .innerJoin("organizations as o", "o.id", "i.seller_id")
        .select(["i.seller_id", "o.name", "o.status", "i.invited_at"])
        .where("i.rfq_id", "=", rfq.id)
        .orderBy("o.name")
        .orderBy("i.seller_id")
        .execute(),
      trx
        .selectFrom("offers as o")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("o.rfq_id", "=", rfq.id)
        .where("o.status", "in", [...COUNTED_OFFER_STATUSES])
        .where(inFinalComparison("o"))
        .executeTakeFirstOrThrow(),
      rfq.first_deadline
        ? trx.selectFrom("rfq_final_sellers as fs").innerJoin("organizations as s", "s.id", "fs.seller_id").select(["s.id", "s.name"]).where("fs.rfq_id", "=", rfq.id).orderBy("s.name").orderBy("s.id").execute()
        : Promise.resolve([]),
      rfqEvents(trx, rfq.id, rfq.created_at, revealed),
    ]);
    const [offers, award, receipts] = await Promise.all([
      revealed ? offersWithReceipts(trx, rfq.id) : Promise.resolve(null),
      revealed ? readAward(trx, rfq.id, rfq.buyer_id) : Promise.resolve(null),
      closed ? receiptEntries(trx, rfq.id) : Promise.resolve(null),
    ]);

    await recordAudit(trx, {
      actor,
      organizationId: rfq.buyer_id,
      action: "rfq.read",
      targetType: "rfq",
      targetId: rfq.id,
      data: { reference: rfqReference(rfq.number), status: rfq.status, offersShown: revealed },
    });

    return {
      ...rfqHeaderView(rfq, { id: rfq.category_id, name_en: rfq.name_en, name_fr: rfq.name_fr }),
      buyer: { id: rfq.buyer_id, name: rfq.buyer_name },
      lines: lines.map((l) => rfqLineView(l, rfq.currency)),
      invitations: invitations.map(rfqInvitationView),
      finalRound: rfq.first_deadline && rfq.final_opened_at ? { firstDeadline: iso(rfq.first_deadline), openedAt: iso(rfq.final_opened_at), sellers: shortlist } : null,
      offerCount: Number(counted.n),
      offersVisible: revealed,
      offers,
      receipts: receipts ? { chainHead: rfq.chain_head, chainLength: rfq.chain_length, verifiedAt: isoOrNull(rfq.chain_verified_at), entries: receipts } : null,
      award,
      events,
      canReadLedger: can(actor.organizationKind, actor.role, "read:ledger:any"),
      serverNow: iso(now),
    };
  };
  if (deps.db.isTransaction) return read(deps.db);
  return (deps.db as Kysely<Database>)
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute((trx: Transaction<Database>) => read(trx));
}

/** The buyer's comparison offers (readOffers), each with the number of receipts its seller wrote on the RFQ. */
async function offersWithReceipts(db: Db, rfqId: string): Promise<OperatorRfqOfferView[]> {
  const [offers, counts] = await Promise.all([
    readOffers(db, rfqId),
    db.selectFrom("offer_revisions").select(["seller_id", (eb) => eb.fn.countAll<string>().as("n")]).where("rfq_id", "=", rfqId).groupBy("seller_id").execute(),
  ]);
  const bySeller = new Map(counts.map((c) => [c.seller_id, Number(c.n)]));
  return offers.map((o) => ({ ...o, receipts: bySeller.get(o.seller.id) ?? 0 }));
}

/** The chain's receipts, newest first, without their content (the offers show what the rules let be seen). */
async function receiptEntries(db: Db, rfqId: string): Promise<OperatorRfqReceiptView[]> {
  const rows = await db
    .selectFrom("offer_revisions as r")
    .innerJoin("organizations as s", "s.id", "r.seller_id")
    .select(["r.sequence", "r.seller_id", "s.name", "r.kind", "r.revision", "r.recorded_at", "r.hash", sql<string | null>`r.content::jsonb -> 'reason' ->> 'code'`.as("reason")])
    .where("r.rfq_id", "=", rfqId)
    .orderBy("r.sequence", "desc")
    .limit(OPERATOR_RFQ_LIMITS.receipts)
    .execute();
  return rows.map((r) => ({ sequence: r.sequence, seller: { id: r.seller_id, name: r.name }, kind: r.kind, revision: r.revision, reason: r.reason, recordedAt: iso(r.recorded_at), hash: r.hash }));
}

/**
 * The audit log's events about the RFQ: those targeting it (final round opened, chain broken, reads
 * by operators) and, once its offers are shown, those of its award and counter-proposals (they name
 * offers and sellers). Read from the RFQ's creation on (the log's time index).
 */
async function rfqEvents(db: Db, rfqId: string, since: Date, offersShown: boolean): Promise<OperatorRfqEventView[]> {
  const rows = await db
    .selectFrom("audit_log as l")
    .leftJoin("users as u", "u.id", "l.actor_user_id")
    .leftJoin("organizations as ao", "ao.id", "l.actor_organization_id")
    .select(["l.id", "l.occurred_at", "l.action", "u.name as actor_name", "ao.name as actor_organization", "l.reason"])
    .where("l.occurred_at", ">=", since)
    .where((eb) =>
      eb.or([
        eb.and([eb("l.target_type", "=", "rfq"), eb("l.target_id", "=", rfqId)]),
        ...(offersShown ? [eb.and([eb("l.target_type", "in", ["award", "offer_counter"]), eb(sql`l.data ->> 'rfqId'`, "=", rfqId)])] : []),
      ]),
    )
    .orderBy("l.occurred_at", "desc")
    .orderBy("l.id", "desc")
    .limit(OPERATOR_RFQ_LIMITS.events)
    .execute();
  return rows.map((r) => ({ id: String(r.id), occurredAt: iso(r.occurred_at), action: r.action, actor: r.actor_name, actorOrganization: r.actor_organization, reason: r.reason }));
}
