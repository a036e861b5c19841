import type { Faker } from "@faker-js/faker";
import type { Kysely } from "kysely";
import type { Database } from "@souk/db";

/** What each leaf category of the seeded tree (migration 0002) sells: nouns that end a title. */
export const PRODUCTS: Readonly<Record<string, readonly string[]>> = {
  "office-paper": ["copier paper", "notebook", "envelopes", "label roll", "printer toner"],
  "office-furniture": ["office chair", "standing desk", "filing cabinet", "bookshelf", "meeting table"],
  "packaging-boxes": ["shipping box", "carton", "mailer box", "archive box", "pallet box"],
  "packaging-film": ["stretch film", "bubble wrap", "shrink film", "poly bag", "zip bag"],
  "tools-hand": ["hammer", "screwdriver set", "wrench", "pliers", "utility knife"],
  "tools-power": ["cordless drill", "angle grinder", "circular saw", "impact driver", "heat gun"],
  "tools-fasteners": ["wood screws", "hex bolts", "wall anchors", "rivets", "washers"],
  "safety-gloves": ["nitrile gloves", "work gloves", "cut resistant gloves", "latex gloves", "welding gloves"],
  "safety-workwear": ["hi-vis vest", "safety boots", "work jacket", "coverall", "hard hat"],
  "electrical-cables": ["copper cable", "extension cord", "patch cable", "power cable", "cable reel"],
  "electrical-lighting": ["led panel", "floodlight", "led tube", "work lamp", "downlight"],
  "cleaning-chemicals": ["floor cleaner", "degreaser", "disinfectant", "dish soap", "glass cleaner"],
  "cleaning-paper": ["paper towels", "toilet tissue", "hand towels", "wiping roll", "napkins"],
  "food-service-tableware": ["dinner plate", "wine glass", "cutlery set", "serving bowl", "coffee cup"],
  "food-service-disposables": ["paper cup", "takeaway box", "wooden cutlery", "straws", "food container"],
  "industrial-bearings": ["ball bearing", "roller chain", "v-belt", "pulley", "shaft coupling"],
  "industrial-pneumatics": ["air hose", "pneumatic cylinder", "quick coupler", "air compressor", "solenoid valve"],
  "it-hardware": ["laptop", "monitor", "keyboard", "docking station", "label printer"],
  "it-networking": ["network switch", "wifi access point", "router", "patch panel", "fibre transceiver"],
  "textiles-linen": ["bed sheet", "bath towel", "duvet cover", "pillowcase", "bathrobe"],
  "textiles-fabric": ["cotton fabric", "canvas roll", "felt sheet", "linen fabric", "polyester fabric"],
};

export const STATUS_WEIGHTS = [
  { weight: 88, value: "published" as const },
  { weight: 6, value: "draft" as const },
  { weight: 4, value: "unlisted" as const },
  { weight: 2, value: "blocked" as const },
];

export interface CategoryNode {
  id: string;
  slug: string;
  parentId: string | null;
}

export interface SeededCatalogue {
  sellerIds: string[];
  /** Customer groups of each seller (two each). */
  groupIds: string[];
  categories: CategoryNode[];
  listings: number;
  /** Every 10th title, for the query generator: buyers mostly search for things that exist. */
  sampleTitles: string[];
}

const LISTING_BATCH = 1_000;

/**
 * A reproducible catalogue: `sellers` seller organisations (1 % suspended) with two customer groups
 * each, and `listings` listings spread over the leaf categories of the seeded tree, with realistic
 * titles, descriptions, prices, minimum orders, stock, lead times and attributes; 88 % published,
 * 5 % visible to customer groups only. The same faker seed gives the same rows (ids aside).
 */
export async function seedCatalogue(db: Kysely<Database>, faker: Faker, size: { sellers: number; listings: number }): Promise<SeededCatalogue> {
  const categories = (await db.selectFrom("categories").select(["id", "slug", "parent_id"]).orderBy("position").orderBy("slug").execute()).map((c) => ({
    id: c.id,
    slug: c.slug,
    parentId: c.parent_id,
  }));
  const leaves = categories.filter((c) => PRODUCTS[c.slug]);
  if (leaves.length === 0) throw new Error("the category tree is missing: was the database migrated?");

  const sellerIds: string[] = [];
  const sellerRows = Array.from({ length: size.sellers }, (_, i) => ({
    kind: "seller" as const,
    name: `${faker.company.name()} ${faker.location.city()}`.slice(0, 200),
    status: i % 100 === 99 ? ("suspended" as const) : ("active" as const),
  }));
  for (let i = 0; i < sellerRows.length; i += LISTING_BATCH) {
    const rows = await db.insertInto("organizations").values(sellerRows.slice(i, i + LISTING_BATCH)).returning("id").execute();
    sellerIds.push(...rows.map((r) => r.id));
  }
  const groupsBySeller = new Map<string, string[]>();
  const groupRows = sellerIds.flatMap((sellerId) => ["Key accounts", "Trade"].map((name) => ({ seller_id: sellerId, name })));
  for (let i = 0; i < groupRows.length; i += LISTING_BATCH) {
    const rows = await db.insertInto("customer_groups").values(groupRows.slice(i, i + LISTING_BATCH)).returning(["id", "seller_id"]).execute();
    for (const row of rows) groupsBySeller.set(row.seller_id, [...(groupsBySeller.get(row.seller_id) ?? []), row.id]);
  }

  const sampleTitles: string[] = [];
  const skuCounters = new Map<string, number>();
  for (let done = 0; done < size.listings; done += LISTING_BATCH) {
    const count = Math.min(LISTING_BATCH, size.listings - done);
    const restricted: { index: number; sellerId: string; groups: string[] }[] = [];
    const values = Array.from({ length: count }, (_, index) => {
      const sellerId = faker.helpers.arrayElement(sellerIds);
      const category = faker.helpers.arrayElement(leaves);
      const noun = faker.helpers.arrayElement(PRODUCTS[category.slug]!);
      const title = `${faker.commerce.productAdjective()} ${faker.commerce.productMaterial()} ${noun}`;
      if ((done + index) % 10 === 0) sampleTitles.push(title);
      const n = (skuCounters.get(sellerId) ?? 0) + 1;
      skuCounters.set(sellerId, n);
      const status = faker.helpers.weightedArrayElement(STATUS_WEIGHTS);
      const isRestricted = faker.number.int({ min: 1, max: 100 }) <= 5;
      if (isRestricted) {
        const groups = groupsBySeller.get(sellerId) ?? [];
        restricted.push({ index, sellerId, groups: faker.helpers.arrayElements(groups, { min: 1, max: groups.length }) });
      }
      return {
        seller_id: sellerId,
        sku: `${category.slug.slice(0, 3).toUpperCase()}-${String(n).padStart(6, "0")}`,
        title,
        description: faker.commerce.productDescription(),
        category_id: category.id,
        unit: faker.helpers.arrayElement(["piece", "box", "pack", "roll", "pair", "kg", "m"]),
        currency: faker.helpers.weightedArrayElement([
          { weight: 80, value: "EUR" },
          { weight: 12, value: "USD" },
          { weight: 8, value: "GBP" },
        ]),
        // Log-uniform from 0.50 to 5,000.00: many cheap consumables, a few machines.
        list_price_minor: String(Math.round(50 * 10_000 ** faker.number.float({ min: 0, max: 1 }))),
        min_order_quantity: faker.helpers.arrayElement([1, 1, 1, 2, 5, 10, 10, 25, 50, 100, 250, 500, 1_000, 5_000]),
        stock: faker.number.int({ min: 1, max: 100 }) <= 15 ? 0 : faker.number.int({ min: 1, max: 20_000 }),
        lead_time_days: faker.helpers.weightedArrayElement([
          { weight: 30, value: faker.number.int({ min: 0, max: 2 }) },
          { weight: 40, value: faker.number.int({ min: 3, max: 7 }) },
          { weight: 20, value: faker.number.int({ min: 8, max: 30 }) },
          { weight: 10, value: faker.number.int({ min: 31, max: 90 }) },
        ]),
        attributes: JSON.stringify(
          faker.helpers.maybe(() => ({ colour: faker.color.human(), size: faker.helpers.arrayElement(["S", "M", "L", "XL"]) }), { probability: 0.6 }) ?? {},
        ),
        visibility: isRestricted ? ("groups" as const) : ("everyone" as const),
        status,
        blocked_reason: status === "blocked" ? "Counterfeit suspected" : null,
      };
    });
    const rows = await db.insertInto("listings").values(values).returning(["id"]).execute();
    const visibility = restricted.flatMap((r) => r.groups.map((groupId) => ({ listing_id: rows[r.index]!.id, group_id: groupId, seller_id: r.sellerId })));
    if (visibility.length > 0) await db.insertInto("listing_visibility").values(visibility).execute();
  }
  return { sellerIds, groupIds: [...groupsBySeller.values()].flat(), categories, listings: size.listings, sampleTitles };
}
