import { z } from "zod";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { optionalFilter, pageField } from "../list-input";
import { PAYOUT_STATUSES, payoutsPage, type PayoutsPage } from "./list-payouts";
import { assertSellerMoneyReader } from "./shared";

export const listSellerPayoutsSchema = z.object({
  status: optionalFilter(z.enum(PAYOUT_STATUSES, { error: "payout.filter.status_invalid" })),
  page: pageField("payout.filter.page_invalid"),
});
export type ListSellerPayoutsInput = z.input<typeof listSellerPayoutsSchema>;

/** The seller's own payouts, newest first (owners: read:payouts:org). */
export async function listSellerPayouts(deps: ActorDeps, input: unknown = {}): Promise<PayoutsPage> {
  assertSellerMoneyReader(deps.actor);
  const filters = parseInput(listSellerPayoutsSchema, input);
  return payoutsPage(deps, { ...filters, sellerId: deps.actor.organizationId });
}
