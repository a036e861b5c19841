import type { Kysely } from "kysely";
import type { Database } from "@souk/db";
import { conflict, sellerMayOffer } from "@souk/domain";
import { sellerShortlisted } from "../access";
import type { ActorDeps } from "../../deps";
import { readOfferTarget, writeOfferAlone, writeOfferCoalesced, type OfferJob, type SaveOfferResult } from "./offer-batch";
import { parseOffer, type OfferRfqFacts } from "./offer-input";
import { assertSellerRfqCan, rfqIdOf } from "./shared";

export type { OfferReceipt } from "./receipts";
export type { SaveOfferResult } from "./offer-batch";

/**
 * Input (the offer form, see offer-input.ts): `{ rfqId, leadTimeDays, validUntil, notes, currency?,
 * "lines.<i>.lineId", "lines.<i>.unitPrice", "lines.<i>.quantity" }` or `lines: [{ lineId, unitPrice, quantity }]`.
 */
export type SaveOfferInput = Record<string, unknown>;

/**
 * Submits the seller's offer on an RFQ, or revises it, or submits it again after a withdrawal (one
 * offers row per seller per RFQ; every version is kept as a receipt). Returns the receipt.
 *
 * Refused, with nothing written:
 * - a member without submit:offer:org, a seller that is not active, an RFQ the seller may not see
 *   (FORBIDDEN / NOT_FOUND);
 * - bad input: field errors (VALIDATION) from the domain's offer rules;
 * - an RFQ that is not open, or whose deadline has come by the database clock read under the RFQ's
 *   row lock: CONFLICT `offer.rfq_not_open` / `offer.deadline_passed`.
 *
 * Concurrency: everything that can be checked without the RFQ's lock is checked before it (the
 * input against the RFQ's lines and deadline). Under the lock (offer-batch.ts), two statements and
 * the commit: the lock with the clock and the offers, then one statement writing the offers with
 * their lines, the receipts, the chain's head (and an extended deadline) and the live events. The
 * lock serialises every offer write, the close and the chain; the writers of one process waiting
 * on the same RFQ share one hold of it.
 */
export async function saveOffer(deps: ActorDeps, input: SaveOfferInput): Promise<SaveOfferResult> {
  const job = await prepareOfferJob(deps, input);
  // Inside a caller's transaction the write joins it; otherwise it goes with the other writers of
  // this process waiting on the same RFQ (offer-batch.ts).
  if (deps.db.isTransaction) return writeOfferAlone(deps.db, job);
  return writeOfferCoalesced(deps.db as Kysely<Database>, job);
}

/** What saveOffer checks before it asks for the RFQ's lock: the permission, the RFQ the seller may see, the input. */
export async function prepareOfferJob(deps: ActorDeps, input: SaveOfferInput): Promise<OfferJob> {
  const { actor } = deps;
  assertSellerRfqCan(actor, "submit:offer:org");
  const rfqId = rfqIdOf(input);
  const { rfq: seen, lines } = await readOfferTarget(deps.db, actor.organizationId, rfqId);
  // A draft cannot be seen; a closed, awarded or cancelled RFQ is refused at once (its deadline is
  // checked by the database clock under the lock, never by this process's clock). A final round is
  // refused the same way to a seller off its shortlist: for it, the RFQ is closed.
  const shortlisted = seen.status === "final_round" && (await sellerShortlisted(deps.db, rfqId, actor.organizationId));
  if (!sellerMayOffer(seen.status, shortlisted) || !seen.deadline) throw conflict("offer.rfq_not_open", { offer: ["offer.rfq_not_open"] });
  const facts: OfferRfqFacts = { currency: seen.currency, deadline: new Date(seen.deadline as Date), lines };
  return { actor, rfqId, input, seen, facts, parsed: parseOffer(input, facts) };
}
