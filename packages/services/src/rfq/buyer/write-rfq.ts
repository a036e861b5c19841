import { sql, type Transaction } from "kysely";
import type { Database, Db, Rfq } from "@souk/db";
import { conflict, DomainError, isDomainError, moveRfq, offerWindowOpen, validationError, type FieldErrors } from "@souk/domain";
import { writeOutbox } from "@souk/jobs";
import type { ActorDeps } from "../../deps";
import { notifyMembers } from "../../notifications/notify-members";
import type { EmailTemplateName, EmailTemplateParams } from "../../notifications/templates";
import { publishRfqEvent } from "../live";
import { deadlineErrors, mergeErrors, type RfqFields, type RfqLineFields } from "./rfq-input";
import { liveOfferCount, organizationName, rfqReference, SELLER_RFQ_ROLES } from "./shared";

/** The writing steps the create, update and publish use cases share (not exported from the package). */

type Trx = Transaction<Database>;

/** The RFQ's columns from valid fields (sourceListingId aside: provenance is set once, at creation). */
export function rfqColumns(fields: RfqFields) {
  return {
    title: fields.title,
    description: fields.description,
    category_id: fields.categoryId,
    currency: fields.currency,
    incoterm: fields.incoterm,
    delivery_place: fields.deliveryPlace,
    deadline: fields.deadline,
    visibility: fields.visibility,
    sealing: fields.sealing,
    anti_sniping_minutes: fields.antiSnipingMinutes,
    anti_sniping_max: fields.antiSnipingMax,
  };
}

/**
 * Makes the RFQ's lines those of the form, position by position: a line keeps its id where a row
 * still stands (so a line id never changes meaning between two reads of a draft), rows beyond the
 * new count are removed and new ones added.
 */
export async function writeLines(trx: Trx, rfqId: string, lines: readonly RfqLineFields[]): Promise<void> {
  const existing = await trx.selectFrom("rfq_lines").select(["id", "position"]).where("rfq_id", "=", rfqId).orderBy("position").execute();
  await trx.deleteFrom("rfq_lines").where("rfq_id", "=", rfqId).where("position", ">=", lines.length).execute();
  for (const [position, line] of lines.entries()) {
    const values = {
      description: line.description,
      quantity: line.quantity,
      unit: line.unit,
      target_price_minor: line.targetPriceMinor === null ? null : line.targetPriceMinor.toString(),
      listing_id: line.listingId,
    };
    const row = existing.find((e) => e.position === position);
    if (row) await trx.updateTable("rfq_lines").set(values).where("id", "=", row.id).execute();
    else await trx.insertInto("rfq_lines").values({ rfq_id: rfqId, position, ...values }).execute();
  }
}

/** Makes the invitations those of the form; returns the sellers invited now (not before). */
export async function writeInvitations(trx: Trx, rfqId: string, sellerIds: readonly string[]): Promise<string[]> {
  let removal = trx.deleteFrom("rfq_invitations").where("rfq_id", "=", rfqId);
  if (sellerIds.length > 0) removal = removal.where("seller_id", "not in", [...sellerIds]);
  await removal.execute();
  if (sellerIds.length === 0) return [];
  const added = await trx
    .insertInto("rfq_invitations")
    .values(sellerIds.map((sellerId) => ({ rfq_id: rfqId, seller_id: sellerId })))
    .onConflict((oc) => oc.columns(["rfq_id", "seller_id"]).doNothing())
    .returning("seller_id")
    .execute();
  return added.map((r) => r.seller_id).sort();
}

/** Only active sellers are told anything (a suspended one sees no RFQ). */
async function activeSellers(db: Db, sellerIds: readonly string[]): Promise<string[]> {
  if (sellerIds.length === 0) return [];
  const rows = await db.selectFrom("organizations").select("id").where("id", "in", [...sellerIds]).where("kind", "=", "seller").where("status", "=", "active").orderBy("id").execute();
  return rows.map((r) => r.id);
}

/**
 * Tells the members who answer RFQs (owner, sales) of each of `sellerIds` that are active, by
 * e-mail and in the app, within the caller's transaction.
 */
export async function notifySellers<T extends EmailTemplateName>(
  trx: Trx,
  deps: Pick<ActorDeps, "publicUrls">,
  rfq: Pick<Rfq, "id" | "number" | "title" | "buyer_id">,
  sellerIds: readonly string[],
  template: T,
  extra: (member: { name: string }) => Omit<EmailTemplateParams<T>, "name" | "buyerName" | "rfqTitle" | "rfqReference" | "rfqUrl">,
): Promise<void> {
  const sellers = await activeSellers(trx, sellerIds);
  if (sellers.length === 0) return;
  const buyerName = await organizationName(trx, rfq.buyer_id);
  const base = { buyerName, rfqTitle: rfq.title, rfqReference: rfqReference(rfq.number), rfqUrl: `${deps.publicUrls.seller}/rfqs/${rfq.id}` };
  for (const sellerId of sellers) {
    await notifyMembers(trx, {
      organizationId: sellerId,
      roles: SELLER_RFQ_ROLES,
      template,
      params: (member) => ({ name: member.name, ...base, ...extra(member) }) as EmailTemplateParams<T>,
    });
  }
}

/** Schedules the closing job at the deadline (again after every change of it: an early or stale close does nothing). */
export async function scheduleClose(trx: Trx, rfqId: string, deadline: Date): Promise<void> {
  await writeOutbox(trx, "rfq.close", { rfqId }, { availableAt: deadline });
}

/**
 * Publishes a draft the caller has locked FOR UPDATE: the deadline must be set and ahead of the
 * database clock, the invited sellers still active (and at least one for an RFQ by invitation),
 * the lines there. Then: open, the closing job scheduled at the deadline, the invited sellers told,
 * the live pages told.
 */
export async function publishLocked(trx: Trx, deps: Pick<ActorDeps, "publicUrls">, rfq: Rfq, now: Date): Promise<Rfq> {
  const invitations = await trx
    .selectFrom("rfq_invitations as i")
    .innerJoin("organizations as o", "o.id", "i.seller_id")
    .select(["i.seller_id", "o.kind", "o.status"])
    .where("i.rfq_id", "=", rfq.id)
    .execute();
  const { n: lineCount } = await trx
    .selectFrom("rfq_lines")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("rfq_id", "=", rfq.id)
    .executeTakeFirstOrThrow();
  const errors: FieldErrors = {};
  if (invitations.some((i) => i.kind !== "seller" || i.status !== "active")) errors.invitedSellerIds = ["rfq.invited_seller_inactive"];
  else if (rfq.visibility === "invited" && invitations.length === 0) errors.invitedSellerIds = ["rfq.invited_sellers_required"];
  if (Number(lineCount) === 0) errors.lines = ["rfq.lines_required"];
  const all = mergeErrors(deadlineErrors(rfq.deadline, now, true), errors);
  if (Object.keys(all).length > 0) throw validationError(all);
  // The transition itself (and its own deadline rule, already met above).
  const status = moveRfq(rfq.status, "publish", { now, deadline: rfq.deadline, offerCount: 0 });
  const deadline = rfq.deadline as Date;

  const published = await trx
    .updateTable("rfqs")
    .set({ status, published_at: now, updated_at: now, version: sql<number>`version + 1` })
    .where("id", "=", rfq.id)
    .where("buyer_id", "=", rfq.buyer_id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await scheduleClose(trx, rfq.id, deadline);
  await notifySellers(
    trx,
    deps,
    published,
    invitations.map((i) => i.seller_id),
    "rfq.invited",
    () => ({ deadline: deadline.toISOString() }),
  );
  await publishRfqEvent(trx, rfq.id, "status");
  return published;
}

/**
 * Refuses a change of what sellers answer (fields, lines, attachments) unless the RFQ may be
 * edited (domain moveRfq "edit": a draft, or an open RFQ without a live offer) and, when open, its
 * deadline has not come. The caller holds the RFQ row FOR UPDATE, so an offer cannot slip in
 * between this check and the change. The refusal is a whole-form message.
 */
export async function assertRfqEditable(db: Db, rfq: Pick<Rfq, "id" | "status" | "deadline">, now: Date): Promise<void> {
  try {
    moveRfq(rfq.status, "edit", { now, deadline: rfq.deadline, offerCount: await liveOfferCount(db, rfq.id) });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    throw new DomainError(error.code, error.message, { _form: Object.values(error.fieldErrors).flat() });
  }
  if (rfq.status === "open" && rfq.deadline && !offerWindowOpen(rfq.deadline, now)) throw conflict("rfq.deadline_passed", { _form: ["rfq.deadline_passed"] });
}
