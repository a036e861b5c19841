import { z } from "zod";
import { forbidden, notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { orderMoney, readsFullOrderMoney, type OrderMoneyView } from "./order-money";
import { assertBuyerOrderReader, assertSellerMoneyReader, existingId } from "./shared";

export type { OrderMoneyView, OrderRefundView } from "./order-money";

export const getOrderMoneySchema = z.object({ orderId: z.unknown() });
export type GetOrderMoneyInput = z.input<typeof getOrderMoneySchema>;

/**
 * The money of one order for its page: the buyer sees the total and its refunds; the seller (owners:
 * read:payouts:org) and operators (read:ledger:any or resolve:disputes:any) also the commission,
 * the net, the rule applied and the payout. An order of another buyer or seller is NOT_FOUND.
 */
export async function getOrderMoney(deps: ActorDeps, input: unknown): Promise<OrderMoneyView> {
  const { actor } = deps;
  if (actor.organizationKind === "seller") assertSellerMoneyReader(actor);
  else if (actor.organizationKind === "buyer") assertBuyerOrderReader(actor);
  else if (!readsFullOrderMoney(actor)) throw forbidden("Missing permission read:ledger:any");
  const orderId = existingId(parseInput(getOrderMoneySchema, input).orderId, "Order");
  const money = await orderMoney(deps.db, orderId, {
    sellerId: actor.organizationKind === "seller" ? actor.organizationId : undefined,
    buyerId: actor.organizationKind === "buyer" ? actor.organizationId : undefined,
    full: readsFullOrderMoney(actor),
  });
  if (!money) throw notFound("Order");
  return money;
}
