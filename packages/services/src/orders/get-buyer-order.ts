import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertOrderReader, getOrder, getOrderSchema, type OrderView } from "./shared";

/**
 * One order of the actor's buyer organisation with its lines, timeline, cancellation request,
 * dispute and the moves the actor may make now; another buyer's order is NOT_FOUND.
 */
export async function getBuyerOrder(deps: ActorDeps, input: unknown): Promise<OrderView> {
  assertOrderReader(deps.actor, "buyer");
  return getOrder(deps.db, "buyer", deps.actor, parseInput(getOrderSchema, input).orderId);
}
