import { z } from "zod";
import type { Db } from "@souk/db";
import { notFound, validationError } from "@souk/domain";
import { existingId } from "../pricing/shared";

/** Helpers of the customer-group use cases (not exported from the package). */

export const GROUP_NAME_MAX = 100;

export const groupNameField = z.preprocess(
  (v) => (v === undefined || v === null ? "" : v),
  z
    .string({ error: "customerGroup.name_required" })
    .trim()
    .min(1, { error: "customerGroup.name_required", abort: true })
    .max(GROUP_NAME_MAX, { error: "customerGroup.name_too_long" }),
);

export const nameTaken = () => validationError({ name: ["customerGroup.name_taken"] });

/**
 * The seller's group `groupId` (from a URL), locked for the rest of the transaction when `lock` is
 * given. Another seller's group, or no group, is NOT_FOUND.
 */
export async function sellerGroup(db: Db, sellerId: string, groupId: unknown, lock: "share" | "update" | null = null): Promise<{ id: string; name: string }> {
  const id = existingId(groupId, "CustomerGroup");
  let query = db.selectFrom("customer_groups").select(["id", "name"]).where("id", "=", id).where("seller_id", "=", sellerId);
  if (lock === "share") query = query.forShare();
  if (lock === "update") query = query.forUpdate();
  const group = await query.executeTakeFirst();
  if (!group) throw notFound("CustomerGroup");
  return group;
}

/** Whether another group of the seller already has this name (names are unique per seller, case-insensitively). */
export async function groupNameTaken(db: Db, sellerId: string, name: string, exceptId?: string): Promise<boolean> {
  const row = await db
    .selectFrom("customer_groups")
    .select("id")
    .where("seller_id", "=", sellerId)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
    .$if(exceptId !== undefined, (qb) => qb.where("id", "<>", exceptId as string))
    .executeTakeFirst();
  return row !== undefined;
}
