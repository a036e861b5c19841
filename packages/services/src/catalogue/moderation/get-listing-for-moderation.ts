import { availableListingMoves, notFound, type ListingStatus, type OrganizationStatus } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import type { ListingImageView } from "../listings/get-seller-listing";
import { attributesText, listingRefSchema, moneyView, parseRefs, tiersText, type ListingRefInput, type MoneyView } from "../listings/shared";
import { loadListingFields } from "../save-listing";
import { assertModerator } from "./shared";

export { listingRefSchema as getListingForModerationSchema };
export type GetListingForModerationInput = ListingRefInput;

export interface ModerationListingDetail {
  id: string;
  sku: string;
  title: string;
  description: string;
  status: ListingStatus;
  /** The operator's reason while the listing is blocked. */
  blockedReason: string | null;
  version: number;
  category: { id: string; name: { en: string; fr: string } };
  unit: string;
  listPrice: MoneyView;
  minOrderQuantity: number;
  stock: number;
  leadTimeDays: number;
  /** One `key=value` per line. */
  attributes: string;
  /** One `minQuantity=unitPrice` per line, prices in the listing's currency. */
  tiers: string;
  visibility: "everyone" | "groups";
  images: ListingImageView[];
  seller: { id: string; name: string; status: OrganizationStatus };
  availableMoves: ("block" | "unblock")[];
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
}

/** Any seller's listing, as an operator who moderates listings sees it. */
export async function getListingForModeration(deps: ActorDeps, input: unknown): Promise<ModerationListingDetail> {
  const { actor, db } = deps;
  assertModerator(actor);
  const { listingId } = parseRefs(listingRefSchema, input, "Listing");
  const row = await db
    .selectFrom("listings as l")
    .innerJoin("organizations as s", "s.id", "l.seller_id")
    .innerJoin("categories as c", "c.id", "l.category_id")
    .select([
      "l.id",
      "l.seller_id",
      "l.status",
      "l.blocked_reason",
      "l.version",
      "l.created_at",
      "l.updated_at",
      "c.name_en",
      "c.name_fr",
      "s.name as sellerName",
      "s.status as sellerStatus",
    ])
    .where("l.id", "=", listingId)
    .executeTakeFirst();
  if (!row) throw notFound("Listing");
  const [stored, images] = await Promise.all([
    loadListingFields(db, row.seller_id, { id: row.id }, false),
    db
      .selectFrom("listing_images")
      .select(["id", "original_name", "content_type", "size_bytes"])
      .where("listing_id", "=", row.id)
      .orderBy("position")
      .orderBy("created_at")
      .execute(),
  ]);
  if (!stored) throw notFound("Listing");
  const f = stored.fields;
  return {
    id: row.id,
    sku: f.sku,
    title: f.title,
    description: f.description,
    status: row.status,
    blockedReason: row.blocked_reason,
    version: row.version,
    category: { id: f.categoryId, name: { en: row.name_en, fr: row.name_fr } },
    unit: f.unit,
    listPrice: moneyView(f.listPriceMinor, f.currency),
    minOrderQuantity: f.minOrderQuantity,
    stock: f.stock,
    leadTimeDays: f.leadTimeDays,
    attributes: attributesText(f.attributes),
    tiers: tiersText(f.tiers, f.currency),
    visibility: f.visibility,
    images: images.map((i) => ({ id: i.id, originalName: i.original_name, contentType: i.content_type, sizeBytes: i.size_bytes })),
    seller: { id: row.seller_id, name: row.sellerName, status: row.sellerStatus },
    availableMoves: availableListingMoves(row.status, "operator").filter((m): m is "block" | "unblock" => m === "block" || m === "unblock"),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
