import { z } from "zod";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { purchaseDetails, type PurchaseView } from "./purchase-details";
import { assertBuyer, existingId } from "./shared";

export const getPurchaseSchema = z.object({ purchaseId: z.unknown() });

/**
 * One purchase of the actor's buyer organisation: its lines per seller, the order placed with each
 * seller (links to the orders), its status and its approval. Another buyer's purchase is NOT_FOUND.
 */
export async function getPurchase(deps: ActorDeps, input: unknown): Promise<PurchaseView> {
  const { actor, db } = deps;
  assertBuyer(actor, "read:orders:org");
  const purchaseId = existingId(parseInput(getPurchaseSchema, input).purchaseId, "Purchase");
  const purchase = await purchaseDetails(db, purchaseId, actor.organizationId, actor);
  if (!purchase) throw notFound("Purchase");
  return purchase;
}
