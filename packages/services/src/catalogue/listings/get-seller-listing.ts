import { availableListingMoves, notFound, type Currency, type ListingStatus } from "@souk/domain";
import type { ListingImageContentType } from "@souk/db";
import type { ActorDeps } from "../../deps";
import { loadListingFields } from "../save-listing";
import { assertSellerListingsCan, attributesText, decimalOf, listingRefSchema, parseRefs, tiersText, type ListingRefInput } from "./shared";

export { listingRefSchema as getSellerListingSchema };
export type GetSellerListingInput = ListingRefInput;

export interface ListingImageView {
  id: string;
  originalName: string;
  contentType: ListingImageContentType;
  sizeBytes: number;
}

/** The listing's fields as the form shows them (and as createListing / updateListing take them back). */
export interface ListingFormValues {
  sku: string;
  title: string;
  description: string;
  categoryId: string;
  unit: string;
  currency: string;
  listPrice: string;
  minOrderQuantity: string;
  stock: string;
  leadTimeDays: string;
  /** One `key=value` per line. */
  attributes: string;
  /** One `minQuantity=unitPrice` per line. */
  tiers: string;
  visibility: "everyone" | "groups";
  groupIds: string[];
}

export interface SellerListingDetail {
  id: string;
  status: ListingStatus;
  /** The operator's reason while the listing is blocked. */
  blockedReason: string | null;
  version: number;
  fields: ListingFormValues;
  images: ListingImageView[];
  /** The moves the seller can make now: publish only while the seller is active. */
  availableMoves: ("publish" | "unlist")[];
  sellerActive: boolean;
  /** The seller's customer groups, for the visibility checkboxes. */
  groups: { id: string; name: string }[];
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
}

/** One of the seller's own listings, for its edit page. Another seller's listing is NOT_FOUND. */
export async function getSellerListing(deps: ActorDeps, input: unknown): Promise<SellerListingDetail> {
  const { actor, db } = deps;
  assertSellerListingsCan(actor, "read:organization:org");
  const { listingId } = parseRefs(listingRefSchema, input, "Listing");
  const sellerId = actor.organizationId;

  const [row, stored, images, groups, seller] = await Promise.all([
    db
      .selectFrom("listings")
      .select(["id", "status", "blocked_reason", "version", "created_at", "updated_at"])
      .where("id", "=", listingId)
      .where("seller_id", "=", sellerId)
      .executeTakeFirst(),
    loadListingFields(db, sellerId, { id: listingId }, false),
    db
      .selectFrom("listing_images")
      .select(["id", "original_name", "content_type", "size_bytes"])
      .where("listing_id", "=", listingId)
      .where("seller_id", "=", sellerId)
      .orderBy("position")
      .orderBy("created_at")
      .execute(),
    db.selectFrom("customer_groups").select(["id", "name"]).where("seller_id", "=", sellerId).orderBy("name").orderBy("id").execute(),
    db.selectFrom("organizations").select("status").where("id", "=", sellerId).executeTakeFirst(),
  ]);
  if (!row || !stored) throw notFound("Listing");

  const f = stored.fields;
  const currency: Currency = f.currency;
  const sellerActive = seller?.status === "active";
  return {
    id: row.id,
    status: row.status,
    blockedReason: row.blocked_reason,
    version: row.version,
    fields: {
      sku: f.sku,
      title: f.title,
      description: f.description,
      categoryId: f.categoryId,
      unit: f.unit,
      currency,
      listPrice: decimalOf(f.listPriceMinor, currency),
      minOrderQuantity: String(f.minOrderQuantity),
      stock: String(f.stock),
      leadTimeDays: String(f.leadTimeDays),
      attributes: attributesText(f.attributes),
      tiers: tiersText(f.tiers, currency),
      visibility: f.visibility,
      groupIds: f.groupIds,
    },
    images: images.map((i) => ({ id: i.id, originalName: i.original_name, contentType: i.content_type, sizeBytes: i.size_bytes })),
    availableMoves: availableListingMoves(row.status, "seller").filter((m): m is "publish" | "unlist" => (m === "publish" ? sellerActive : m === "unlist")),
    sellerActive,
    groups,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
