import { sql } from "kysely";
import { z } from "zod";
import { priceListApplies, type Currency } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager, dayOf } from "./shared";

export const listPriceListsSchema = z.object({});

/** Where a list stands today (database clock): in force, not yet, or no longer. */
export type PriceListState = "current" | "upcoming" | "expired";

export interface PriceListRow {
  id: string;
  name: string;
  currency: string;
  /** `YYYY-MM-DD` or null (open). */
  validFrom: string | null;
  /** `YYYY-MM-DD` (exclusive) or null (open). */
  validTo: string | null;
  state: PriceListState;
  /** Listings that have at least one break in this list. */
  listingCount: number;
  assignmentCount: number;
}

/** The actor's seller's price lists, by name. */
export async function listPriceLists(deps: ActorDeps, input: unknown = {}): Promise<PriceListRow[]> {
  assertPricingManager(deps.actor);
  parseInput(listPriceListsSchema, input);
  const rows = await deps.db
    .selectFrom("price_lists as pl")
    .select((eb) => [
      "pl.id",
      "pl.name",
      "pl.currency",
      "pl.valid_from as validFrom",
      "pl.valid_to as validTo",
      sql<Date>`now()`.as("now"),
      eb
        .selectFrom("price_list_entries as e")
        .select(sql<string>`count(distinct e.listing_id)`.as("n"))
        .whereRef("e.price_list_id", "=", "pl.id")
        .as("listingCount"),
      eb.selectFrom("price_list_assignments as pa").select(eb.fn.countAll<string>().as("n")).whereRef("pa.price_list_id", "=", "pl.id").as("assignmentCount"),
    ])
    .where("pl.seller_id", "=", deps.actor.organizationId)
    .orderBy(sql`lower(pl.name)`)
    .orderBy("pl.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    currency: r.currency,
    validFrom: dayOf(r.validFrom),
    validTo: dayOf(r.validTo),
    state: stateOf(r, r.now),
    listingCount: Number(r.listingCount),
    assignmentCount: Number(r.assignmentCount),
  }));
}

function stateOf(list: { currency: string; validFrom: Date | null; validTo: Date | null }, now: Date): PriceListState {
  // Judged against the list's own currency: only the validity window matters here.
  const currency = list.currency as Currency;
  if (priceListApplies({ currency, validFrom: list.validFrom, validTo: list.validTo }, currency, now)) return "current";
  return list.validFrom !== null && now < list.validFrom ? "upcoming" : "expired";
}
