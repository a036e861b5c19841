import { numericFilter, type FacetName, type ListingQuery, type SortOrder } from "../port";

/**
 * Filter expressions are built only from this allow-list of attributes; every value goes through
 * `quote`, so a value full of quotes or filter operators stays one string literal.
 */
export const MEILI_FILTER_ATTRIBUTES = {
  categoryId: "categoryIds",
  sellerId: "sellerId",
  priceBand: "priceBand",
  maxMinOrderQuantity: "minOrderQuantity",
  maxLeadTimeDays: "leadTimeDays",
  inStock: "inStock",
  visibility: "visibleTo",
} as const;

export const MEILI_FACET_ATTRIBUTES: Record<FacetName, string> = {
  category: "categoryIds",
  seller: "sellerId",
  priceBand: "priceBand",
  minOrder: "minOrderBand",
  leadTime: "leadTimeBand",
  inStock: "inStock",
};

export const MEILI_SORTS: Record<SortOrder, string[] | undefined> = {
  relevance: undefined,
  price_asc: ["listPriceSort:asc", "id:asc"],
  price_desc: ["listPriceSort:desc", "id:asc"],
  lead_time: ["leadTimeDays:asc", "listPriceSort:asc", "id:asc"],
};

/** `visibleTo` values: prefixed so that a group whose id is "everyone" cannot see everything. */
export const EVERYONE = "everyone";
export const groupToken = (groupId: string) => `group:${groupId}`;

/** A Meilisearch string literal: double quotes, with backslashes and double quotes escaped. */
export function quote(value: string): string {
  return `"${String(value).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** AND-ed filter expressions (Meilisearch accepts an array of conditions). */
export function buildMeiliFilter(query: Pick<ListingQuery, "filters" | "visibility">): string[] {
  const a = MEILI_FILTER_ATTRIBUTES;
  const visibleTo = [EVERYONE, ...query.visibility.buyerGroupIds.map((g) => groupToken(String(g)))];
  const out = [`${a.visibility} IN [${visibleTo.map(quote).join(", ")}]`];
  const f = query.filters ?? {};
  if (f.categoryId !== undefined) out.push(`${a.categoryId} = ${quote(String(f.categoryId))}`);
  if (f.sellerId !== undefined) out.push(`${a.sellerId} = ${quote(String(f.sellerId))}`);
  if (f.priceBand !== undefined) out.push(`${a.priceBand} = ${quote(String(f.priceBand))}`);
  const maxMinOrder = numericFilter(f.maxMinOrderQuantity);
  if (maxMinOrder !== undefined) out.push(`${a.maxMinOrderQuantity} <= ${maxMinOrder}`);
  const maxLead = numericFilter(f.maxLeadTimeDays);
  if (maxLead !== undefined) out.push(`${a.maxLeadTimeDays} <= ${maxLead}`);
  if (typeof f.inStock === "boolean") out.push(`${a.inStock} = ${f.inStock ? "true" : "false"}`);
  return out;
}
