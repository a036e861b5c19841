import type { ActorDeps } from "../deps";
import { assertListReader, LIST_LIMITS, listAbilities } from "./requisition-list-access";

export interface RequisitionListRowView {
  id: string;
  name: string;
  description: string;
  itemCount: number;
  createdBy: string | null;
  updatedAt: string;
}

export interface RequisitionListsView {
  items: RequisitionListRowView[];
  canEdit: boolean;
  max: number;
}

/** The buyer organisation's requisition lists (shared by its members), by name. */
export async function listRequisitionLists(deps: ActorDeps, _input: unknown = {}): Promise<RequisitionListsView> {
  const { actor, db } = deps;
  assertListReader(actor);
  const rows = await db
    .selectFrom("requisition_lists as rl")
    .leftJoin("users as u", "u.id", "rl.created_by")
    .select([
      "rl.id",
      "rl.name",
      "rl.description",
      "rl.updated_at",
      "u.name as created_by_name",
      (eb) => eb.selectFrom("requisition_list_items as i").select((e) => e.fn.countAll<string>().as("n")).whereRef("i.list_id", "=", "rl.id").as("item_count"),
    ])
    .where("rl.buyer_id", "=", actor.organizationId)
    .orderBy((eb) => eb.fn("lower", ["rl.name"]))
    .orderBy("rl.id")
    .execute();
  return {
    items: rows.map((r) => ({ id: r.id, name: r.name, description: r.description, itemCount: Number(r.item_count ?? 0), createdBy: r.created_by_name, updatedAt: r.updated_at.toISOString() })),
    canEdit: listAbilities(actor).canEdit,
    max: LIST_LIMITS.lists,
  };
}
