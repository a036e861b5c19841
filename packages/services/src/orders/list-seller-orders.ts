import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertOrderReader, listOrders, listOrdersSchema, type OrdersPage } from "./shared";

export { listOrdersSchema as listSellerOrdersSchema };

/** The orders placed with the actor's seller organisation, newest first, filtered by status, buyer, placing dates and text. */
export async function listSellerOrders(deps: ActorDeps, input: unknown = {}): Promise<OrdersPage> {
  assertOrderReader(deps.actor, "seller");
  return listOrders(deps.db, "seller", deps.actor.organizationId, parseInput(listOrdersSchema, input));
}
