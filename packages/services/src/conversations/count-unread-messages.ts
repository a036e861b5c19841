import { can } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { unreadCountsQuery } from "./shared";

/**
 * The navigation's badge, "Messages (n)": the other side's messages in the organisation's threads
 * this user has not read. 0 for an actor that does not read threads (never an error: every page's
 * layout asks).
 */
export async function countUnreadMessages(deps: ActorDeps): Promise<number> {
  const { actor, db } = deps;
  if ((actor.organizationKind !== "buyer" && actor.organizationKind !== "seller") || !can(actor.organizationKind, actor.role, "read:conversations:org")) return 0;
  const row = await unreadCountsQuery(db, actor.userId, actor.organizationId, actor.organizationKind)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
