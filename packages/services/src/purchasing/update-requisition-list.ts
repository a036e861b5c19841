import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { conflict, validationError } from "@souk/domain";
import { isUniqueViolation } from "../approvals/shared";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertListEditor, listDescriptionField, listNameField, listOf, nameTaken } from "./requisition-list-access";

export const updateRequisitionListSchema = z.object({ listId: z.unknown(), name: listNameField, description: listDescriptionField });
export type UpdateRequisitionListInput = z.input<typeof updateRequisitionListSchema>;

/** Renames a list of the organisation and changes its description (names stay unique, whatever their case). */
export async function updateRequisitionList(deps: ActorDeps, input: unknown): Promise<void> {
  const { actor } = deps;
  assertListEditor(actor);
  const data = parseInput(updateRequisitionListSchema, input);
  await withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:requisition-lists:org");
    const list = await listOf(trx, actor.organizationId, data.listId, true);
    if (await nameTaken(trx, actor.organizationId, data.name, list.id)) throw validationError({ name: ["requisitionList.name_taken"] });
    try {
      await trx.updateTable("requisition_lists").set({ name: data.name, description: data.description, updated_at: sql<Date>`now()` }).where("id", "=", list.id).execute();
    } catch (error) {
      if (isUniqueViolation(error, "requisition_lists_name_key")) throw conflict("requisitionList.name_taken", { name: ["requisitionList.name_taken"] });
      throw error;
    }
  });
}
