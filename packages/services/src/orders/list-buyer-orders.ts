import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertOrderReader, listOrders, listOrdersSchema, type OrdersPage } from "./shared";

export { listOrdersSchema as listBuyerOrdersSchema };

/** The orders of the actor's buyer organisation (one per seller of each award or purchase), newest first, filtered by status, seller, placing dates and text. */
export async function listBuyerOrders(deps: ActorDeps, input: unknown = {}): Promise<OrdersPage> {
  assertOrderReader(deps.actor, "buyer");
  return listOrders(deps.db, "buyer", deps.actor.organizationId, parseInput(listOrdersSchema, input));
}
