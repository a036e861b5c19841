import { z } from "zod";
import { withTransaction } from "@souk/db";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertListEditor, listOf } from "./requisition-list-access";

export const deleteRequisitionListSchema = z.object({ listId: z.unknown() });

/** Deletes a list of the organisation and its items (carts and purchases made from it keep their lines). */
export async function deleteRequisitionList(deps: ActorDeps, input: unknown): Promise<void> {
  const { actor } = deps;
  assertListEditor(actor);
  const { listId } = parseInput(deleteRequisitionListSchema, input);
  await withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:requisition-lists:org");
    const list = await listOf(trx, actor.organizationId, listId, true);
    await trx.deleteFrom("requisition_lists").where("id", "=", list.id).where("buyer_id", "=", actor.organizationId).execute();
  });
}
