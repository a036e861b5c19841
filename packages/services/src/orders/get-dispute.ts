import { z } from "zod";
import { can, notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { existingId, parseInput } from "../input";
import { moneyOf, type MoneyView } from "../approvals/shared";
import { assertDisputeResolver, mayRefund } from "./resolve-dispute";
import { orderDetail, type OrderDisputeView, type OrderView } from "./shared";

export const getDisputeSchema = z.object({ disputeId: z.unknown() });

export interface DisputeView extends OrderDisputeView {
  openedBy: string | null;
  resolvedBy: string | null;
  buyer: { id: string; name: string };
  seller: { id: string; name: string };
  /** The order as the operator sees it: lines, lifecycle, timeline (members named). */
  order: OrderView;
  /** Whether the order's settlement journal is posted (a refund is then a reversing journal only). */
  settled: boolean;
  /** What the buyer may still get back: the order's total less what was refunded already. */
  refundable: MoneyView;
  /** The viewer may resolve it now (open, and the permission). */
  canResolve: boolean;
  /**
   * The viewer may resolve it with a refund (partial or full) too: refunds also take
   * run:settlement:any (finance, admin). A moderator may only release: the page offers it release only.
   */
  mayRefund: boolean;
  /** The viewer also reads the ledger (read:ledger:any): the page links the order's money and journals. */
  canReadLedger: boolean;
}

/** One dispute with its order and timeline, for the operators who resolve disputes. */
export async function getDispute(deps: ActorDeps, input: unknown): Promise<DisputeView> {
  assertDisputeResolver(deps.actor);
  const disputeId = existingId(parseInput(getDisputeSchema, input).disputeId, "Dispute");
  const row = await deps.db
    .selectFrom("disputes as d")
    .innerJoin("orders as o", "o.id", "d.order_id")
    .innerJoin("organizations as b", "b.id", "d.buyer_id")
    .innerJoin("organizations as s", "s.id", "d.seller_id")
    .leftJoin("users as ob", "ob.id", "d.opened_by")
    .leftJoin("users as rb", "rb.id", "d.resolved_by")
    .leftJoin("settlements as st", "st.order_id", "d.order_id")
    .select(["d.id", "d.order_id", "o.total_minor", "o.currency", "b.id as buyer_id", "b.name as buyer_name", "s.id as seller_id", "s.name as seller_name", "ob.name as opened_by", "rb.name as resolved_by", "st.order_id as settlement", "st.refunded_minor"])
    .where("d.id", "=", disputeId)
    .executeTakeFirst();
  if (!row) throw notFound("Dispute");
  const order = await orderDetail(deps.db, row.order_id, { side: "operator", actor: deps.actor });
  const dispute = order.dispute!;
  return {
    ...dispute,
    openedBy: row.opened_by,
    resolvedBy: row.resolved_by,
    buyer: { id: row.buyer_id, name: row.buyer_name },
    seller: { id: row.seller_id, name: row.seller_name },
    order,
    settled: row.settlement !== null,
    refundable: moneyOf(BigInt(row.total_minor) - BigInt(row.refunded_minor ?? 0), row.currency),
    canResolve: order.moves.includes("resolve_dispute"),
    mayRefund: mayRefund(deps.actor),
    canReadLedger: can(deps.actor.organizationKind, deps.actor.role, "read:ledger:any"),
  };
}
