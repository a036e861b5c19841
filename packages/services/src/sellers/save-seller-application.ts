import { withTransaction } from "@souk/db";
import type { ActorDeps } from "../deps";
import { assertSellerCan, lockEditableApplication, parseApplication, sellerApplicationDraftSchema, writeApplication, type SellerApplicationInput } from "./shared";

/** The application's form: every field may be left empty in a draft; what is filled in is checked. */
export const saveSellerApplicationSchema = sellerApplicationDraftSchema;
export type SaveSellerApplicationInput = SellerApplicationInput;

/**
 * Saves the actor's organisation's application as a draft, while it is editable: before the first
 * submission, or after the operator asked for more information. The company number is checked
 * against the country (EU VAT and UK formats; free text elsewhere) and stored normalised; every
 * category must exist. On any error nothing is written.
 */
export async function saveSellerApplication(deps: ActorDeps, input: unknown): Promise<{ organizationId: string }> {
  const { actor } = deps;
  assertSellerCan(actor, "manage:application:org");
  const fields = parseApplication("draft", input);
  return withTransaction(deps.db, async (trx) => {
    await lockEditableApplication(trx, actor);
    await writeApplication(trx, actor.organizationId, fields);
    return { organizationId: actor.organizationId };
  });
}
