import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertOrderReader, getOrder, getOrderSchema, type OrderView } from "./shared";

/**
 * One order placed with the actor's seller organisation with its lines, timeline, cancellation
 * request, dispute and the moves the actor may make now; another seller's order is NOT_FOUND.
 */
export async function getSellerOrder(deps: ActorDeps, input: unknown): Promise<OrderView> {
  assertOrderReader(deps.actor, "seller");
  return getOrder(deps.db, "seller", deps.actor, parseInput(getOrderSchema, input).orderId);
}
