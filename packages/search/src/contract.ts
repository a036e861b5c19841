import { beforeEach, describe, expect, it } from "vitest";
import { listingChecksum, type ListingDocument, type ListingIndex, type ListingQuery } from "./port";

/**
 * The behaviour every ListingIndex adapter must have, written once. `factory` returns a configured,
 * EMPTY index; it is called before each test.
 */
export function describeListingIndexContract(name: string, factory: () => Promise<ListingIndex>): void {
  describe(`ListingIndex contract: ${name}`, () => {
    let index: ListingIndex;
    const everyone = { buyerGroupIds: [] as string[] };
    const vip = { buyerGroupIds: ["grp-vip"] };
    const ids = async (q: Partial<ListingQuery>) =>
      (await index.search({ visibility: everyone, ...q })).hits.map((h) => h.id);
    const sortedIds = async (q: Partial<ListingQuery>) => (await ids(q)).sort();

    beforeEach(async () => {
      index = await factory();
      await index.upsert(catalogue());
    });

    it("finds by text: exact word, sku, prefix and one-letter typos", async () => {
      expect((await ids({ text: "nitrile" }))[0]).toBe("l1");
      expect(await ids({ text: "cordl" })).toEqual(["l2"]);
      expect(await ids({ text: "BOX-300" })).toEqual(["l3"]);
      expect(await ids({ text: "nitrle" })).toContain("l1");
      expect(await ids({ text: "cardbosrd" })).toContain("l3");
      expect(await ids({ text: "glaves" })).toContain("l1");
      expect(await ids({ text: "zebra" })).toEqual([]);
    });

    it("returns result fields without visibility groups or checksum", async () => {
      const { hits } = await index.search({ text: "nitrile", visibility: everyone });
      expect(hits[0]).toMatchObject({ id: "l1", sellerName: "Acme Safety", listPriceMinor: "1250", currency: "EUR", inStock: true });
      expect(hits[0]).not.toHaveProperty("visibility");
      expect(hits[0]).not.toHaveProperty("checksum");
    });

    it("removes documents, ignoring unknown ids", async () => {
      await index.remove(["l2", "nope"]);
      expect(await ids({ text: "drill" })).toEqual([]);
      expect((await index.stats()).count).toBe(3);
    });

    it("applies each filter", async () => {
      expect(await sortedIds({ filters: { categoryId: "cat-safety" } })).toEqual(["l1"]);
      expect(await sortedIds({ filters: { categoryId: "cat-gloves" }, visibility: vip })).toEqual(["l1", "l4"]);
      expect(await sortedIds({ filters: { sellerId: "s1" } })).toEqual(["l1", "l3"]);
      expect(await sortedIds({ filters: { priceBand: "10-50" } })).toEqual(["l1"]);
      expect(await sortedIds({ filters: { maxMinOrderQuantity: 10 } })).toEqual(["l1", "l2"]);
      expect(await sortedIds({ filters: { maxLeadTimeDays: 7 } })).toEqual(["l1", "l2"]);
      expect(await sortedIds({ filters: { inStock: false } })).toEqual(["l2"]);
      expect(await sortedIds({ filters: { inStock: true, sellerId: "s1", categoryId: "cat-boxes" } })).toEqual(["l3"]);
      expect(await sortedIds({ text: "gloves", filters: { sellerId: "s2" }, visibility: vip })).toEqual(["l4"]);
    });

    it("counts facets over the filtered, visible set", async () => {
      const all = await index.search({
        visibility: everyone,
        facets: ["category", "seller", "priceBand", "minOrder", "leadTime", "inStock"],
      });
      expect(all.total).toBe(3);
      const counts = (name: keyof typeof all.facets) =>
        Object.fromEntries((all.facets[name] ?? []).map((f) => [f.value, f.count]));
      expect(counts("category")).toEqual({ "cat-safety": 1, "cat-gloves": 1, "cat-tools": 1, "cat-power": 1, "cat-packaging": 1, "cat-boxes": 1 });
      expect(counts("seller")).toEqual({ s1: 2, s2: 1 });
      expect(counts("priceBand")).toEqual({ "under-10": 1, "10-50": 1, "100-500": 1 });
      expect(counts("minOrder")).toEqual({ "1": 1, "2-10": 1, "101-1000": 1 });
      expect(counts("leadTime")).toEqual({ "0-2": 1, "3-7": 1, "8-14": 1 });
      expect(counts("inStock")).toEqual({ true: 2, false: 1 });
      expect(all.facets.seller?.[0]).toEqual({ value: "s1", count: 2 });

      const filtered = await index.search({ visibility: vip, filters: { categoryId: "cat-gloves" }, facets: ["seller", "leadTime"] });
      expect(filtered.total).toBe(2);
      expect(filtered.facets.seller).toEqual([{ value: "s1", count: 1 }, { value: "s2", count: 1 }]);
      expect(filtered.facets.leadTime).toEqual([{ value: "0-2", count: 1 }, { value: "15-30", count: 1 }]);
      expect(filtered.facets.category).toBeUndefined();
    });

    it("sorts by price both ways and by lead time", async () => {
      expect(await ids({ sort: "price_asc" })).toEqual(["l3", "l1", "l2"]);
      expect(await ids({ sort: "price_desc" })).toEqual(["l2", "l1", "l3"]);
      expect(await ids({ sort: "lead_time" })).toEqual(["l1", "l2", "l3"]);
      expect(await ids({ sort: "price_asc", visibility: vip })).toEqual(["l3", "l1", "l4", "l2"]);
    });

    it("paginates with a stable total", async () => {
      const p1 = await index.search({ visibility: everyone, sort: "price_asc", page: 1, pageSize: 2 });
      const p2 = await index.search({ visibility: everyone, sort: "price_asc", page: 2, pageSize: 2 });
      const p3 = await index.search({ visibility: everyone, sort: "price_asc", page: 3, pageSize: 2 });
      expect(p1.hits.map((h) => h.id)).toEqual(["l3", "l1"]);
      expect(p2.hits.map((h) => h.id)).toEqual(["l2"]);
      expect(p3.hits).toEqual([]);
      expect([p1.total, p2.total, p3.total]).toEqual([3, 3, 3]);
      expect([p2.page, p2.pageSize]).toEqual([2, 2]);
    });

    it("hides group-only listings from buyers outside the group", async () => {
      expect(await ids({ text: "leather" })).toEqual([]);
      expect(await ids({ text: "leather", visibility: { buyerGroupIds: ["grp-other"] } })).toEqual([]);
      expect(await ids({ text: "leather", visibility: { buyerGroupIds: ["grp-other", "grp-vip"] } })).toEqual(["l4"]);
      expect(await ids({ filters: { sellerId: "s2" }, visibility: { buyerGroupIds: ["everyone"] } })).toEqual(["l2"]);
    });

    it("treats hostile text and filter values as plain values", async () => {
      const hostile = [
        "'",
        '"',
        "\\",
        "' OR 1=1 --",
        "'; drop table search_listings; --",
        'sellerId = "s1" OR sellerId EXISTS',
        '" OR inStock = true OR visibleTo = "everyone',
        "s1' OR '1'='1",
        "%_*",
        "{grp-vip}",
      ];
      for (const value of hostile) {
        const byText = await index.search({ text: value, visibility: { buyerGroupIds: [value] } });
        expect(byText.hits.map((h) => h.id)).not.toContain("l4");
        for (const filters of [{ sellerId: value }, { categoryId: value }, { priceBand: value }]) {
          const result = await index.search({ visibility: { buyerGroupIds: [value] }, filters, facets: ["seller"] });
          expect(result.total, `${JSON.stringify(filters)}`).toBe(0);
          expect(result.hits).toEqual([]);
        }
      }
      expect((await index.stats()).count).toBe(4);
    });

    it("upserts idempotently and replaces whole documents", async () => {
      const l1 = catalogue()[0]!;
      await index.upsert([l1]);
      await index.upsert([l1, l1]);
      expect((await index.stats()).count).toBe(4);
      const renamed = withChecksum({ ...l1, title: "Vinyl examination gloves", updatedAt: "2025-02-01T00:00:00.000Z" });
      await index.upsert([renamed]);
      expect(await ids({ text: "vinyl" })).toEqual(["l1"]);
      expect(await ids({ text: "nitrile examination" })).toEqual([]);
      expect((await index.stats()).checksums.l1).toBe(renamed.checksum);
    });

    it("reports count and every checksum for reconciliation", async () => {
      const stats = await index.stats();
      expect(stats.count).toBe(4);
      expect(stats.checksums).toEqual(Object.fromEntries(catalogue().map((d) => [d.id, d.checksum])));
    });
  });
}

function withChecksum(doc: Omit<ListingDocument, "checksum"> & { checksum?: string }): ListingDocument {
  const { checksum: _ignored, ...rest } = doc;
  return { ...rest, checksum: listingChecksum(rest) };
}

/** Four listings; l4 is visible to the group "grp-vip" only. */
export function catalogue(): ListingDocument[] {
  const base = {
    description: "",
    unit: "piece",
    currency: "EUR",
    attributes: {},
    updatedAt: "2025-01-01T00:00:00.000Z",
    visibility: "everyone" as const,
  };
  return [
    withChecksum({
      ...base, id: "l1", sellerId: "s1", sellerName: "Acme Safety", sku: "GLV-NIT-100", title: "Nitrile examination gloves",
      description: "Powder-free disposable gloves, box of 100.", categoryIds: ["cat-safety", "cat-gloves"],
      categoryPath: { en: ["Safety and PPE", "Gloves"], fr: ["Sécurité et EPI", "Gants"] },
      listPriceMinor: "1250", minOrderQuantity: 10, leadTimeDays: 2, inStock: true, attributes: { size: "M" },
    }),
    withChecksum({
      ...base, id: "l2", sellerId: "s2", sellerName: "Bolt Tools", sku: "DRL-18V", title: "Cordless power drill 18V",
      description: "Two batteries and a charger.", categoryIds: ["cat-tools", "cat-power"],
      categoryPath: { en: ["Tools and hardware", "Power tools"], fr: ["Outillage et quincaillerie", "Outillage électroportatif"] },
      listPriceMinor: "15900", minOrderQuantity: 1, leadTimeDays: 7, inStock: false,
    }),
    withChecksum({
      ...base, id: "l3", sellerId: "s1", sellerName: "Acme Safety", sku: "BOX-300", title: "Cardboard shipping boxes",
      description: "Double wall, 300 x 200 x 150 mm.", categoryIds: ["cat-packaging", "cat-boxes"],
      categoryPath: { en: ["Packaging", "Boxes and cartons"], fr: ["Emballage", "Boîtes et cartons"] },
      listPriceMinor: "450", minOrderQuantity: 500, leadTimeDays: 14, inStock: true,
    }),
    withChecksum({
      ...base, id: "l4", sellerId: "s2", sellerName: "Bolt Tools", sku: "GLV-LTH-2", title: "Leather work gloves",
      description: "Reinforced palm.", categoryIds: ["cat-safety", "cat-gloves"],
      categoryPath: { en: ["Safety and PPE", "Gloves"], fr: ["Sécurité et EPI", "Gants"] },
      listPriceMinor: "2200", minOrderQuantity: 20, leadTimeDays: 30, inStock: true, visibility: { groups: ["grp-vip"] },
    }),
  ];
}
