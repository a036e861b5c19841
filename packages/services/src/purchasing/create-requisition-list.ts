import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { conflict, validationError, type Actor } from "@souk/domain";
import { isUniqueViolation } from "../approvals/shared";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertListEditor, LIST_LIMITS, listDescriptionField, listNameField, nameTaken } from "./requisition-list-access";

export const createRequisitionListSchema = z.object({ name: listNameField, description: listDescriptionField });
export type CreateRequisitionListInput = z.input<typeof createRequisitionListSchema>;

/** Writes a new list in the caller's transaction: the name must be free (whatever its case) and the organisation under its limit. */
export async function insertRequisitionList(trx: Db, actor: Actor, fields: { name: string; description: string }, field = "name"): Promise<string> {
  if (await nameTaken(trx, actor.organizationId, fields.name, null)) throw validationError({ [field]: ["requisitionList.name_taken"] });
  const { n } = await trx.selectFrom("requisition_lists").select((eb) => eb.fn.countAll<string>().as("n")).where("buyer_id", "=", actor.organizationId).executeTakeFirstOrThrow();
  if (Number(n) >= LIST_LIMITS.lists) throw validationError({ _form: ["requisitionList.too_many_lists"] });
  try {
    const row = await trx
      .insertInto("requisition_lists")
      .values({ buyer_id: actor.organizationId, name: fields.name, description: fields.description, created_by: actor.userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (error) {
    // Another member created the same name between our check and our insert.
    if (isUniqueViolation(error, "requisition_lists_name_key")) throw conflict("requisitionList.name_taken", { [field]: ["requisitionList.name_taken"] });
    throw error;
  }
}

/** A new requisition list of the actor's buyer organisation, shared with its members. */
export async function createRequisitionList(deps: ActorDeps, input: unknown): Promise<{ listId: string }> {
  const { actor } = deps;
  assertListEditor(actor);
  const data = parseInput(createRequisitionListSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:requisition-lists:org");
    return { listId: await insertRequisitionList(trx, actor, data) };
  });
}
