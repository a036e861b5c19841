import type { Db } from "@souk/db";
import { forbidden, type Actor } from "@souk/domain";
import { assertBuyerCan, buyerOrganization } from "./shared";

/**
 * The rules belong to the root organisation and are set by its administrators only: a branch's
 * administrator holds the same permission in the branch but manages nothing (FORBIDDEN).
 */
export async function assertRootRuleManager(db: Db, actor: Actor): Promise<string> {
  assertBuyerCan(actor, "manage:approval-rules:org");
  const org = await buyerOrganization(db, actor.organizationId);
  if (!org.isRoot) throw forbidden("approvalRule.root_only");
  return org.id;
}
