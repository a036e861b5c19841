import {
  addCustomerGroupMember,
  createCustomerGroup,
  createListing,
  createOperator,
  createRfq,
  createServiceDeps,
  decideSeller,
  moveSellerListing,
  resolveSession,
  saveAddress,
  saveAndSubmitSellerApplication,
  signIn,
  signOut,
  signUp,
  type ActorDeps,
  type ServiceDeps,
} from "@souk/services";

/**
 * The drills' market, written through the use cases as people would (sign-up, the seller's
 * application and the operator's approval, listings created and published, addresses, RFQs
 * published), so that the pages and forms under load see ordinary data: an operator admin,
 * `sellers` active sellers of packaging boxes with `listingsPerSeller` published listings each
 * (stock large enough for any run), and `buyers` buyers each with a delivery address and one open,
 * sealed RFQ (deadline a day away) every seller may answer.
 */
export const DRILL_PASSWORD = "drill passphrase 2026";
const CATEGORY = "packaging-boxes";

export interface MarketListing {
  id: string;
  sku: string;
  title: string;
  /** The listing form's fields as created (an edit posts them back with changes). */
  fields: Record<string, string>;
}

export interface MarketSeller {
  id: string;
  name: string;
  email: string;
  listings: MarketListing[];
}

export interface MarketBuyer {
  id: string;
  name: string;
  email: string;
  addressId: string;
  rfq: { id: string; lineIds: string[]; quantities: number[] };
}

export interface DrillMarket {
  operatorEmail: string;
  sellers: MarketSeller[];
  buyers: MarketBuyer[];
  /** With `privateListing`: a listing of the first seller that only the second buyer's customer group sees. */
  privateListing: { id: string; title: string; visibleTo: string } | null;
}

type App = ActorDeps["request"]["app"];

/** Runs `fn` as the user would in the app: signed in (a real session), then signed out. */
async function actingAs<T>(deps: ServiceDeps, app: App, email: string, fn: (deps: ActorDeps) => Promise<T>): Promise<T> {
  const request = { app, ip: null, userAgent: "souk-drill" };
  const { token } = await signIn({ ...deps, request }, { email, password: DRILL_PASSWORD });
  const resolved = await resolveSession({ ...deps, request }, { token });
  if (!resolved?.actor) throw new Error(`${email} has no organisation in the ${app} app`);
  const session = { id: resolved.sessionId, userId: resolved.user.id };
  try {
    return await fn({ ...deps, request, session, actor: resolved.actor });
  } finally {
    await signOut({ ...deps, request, session }, {});
  }
}

/**
 * The second buyer's users read French (its pages are checked in French). With `privateListing`,
 * the first seller also shows one listing to a customer group holding only the second buyer.
 */
export async function seedDrillMarket(databaseUrl: string, size: { sellers: number; buyers: number; listingsPerSeller: number; privateListing?: boolean }): Promise<DrillMarket> {
  const deps = createServiceDeps({
    databaseUrl,
    publicUrls: { buyer: "http://localhost:3501", seller: "http://localhost:3502", operator: "http://localhost:3503" },
    applicationName: "souk-drill-seed",
    poolSize: 2,
  });
  try {
    const category = await deps.db.selectFrom("categories").select("id").where("slug", "=", CATEGORY).executeTakeFirstOrThrow();
    const operatorEmail = "ops.admin@drill.test";
    await createOperator(deps, { email: operatorEmail, name: "Drill Operator", password: DRILL_PASSWORD, role: "admin", organizationName: "Drill Operations" });

    const sellers: MarketSeller[] = [];
    for (let s = 1; s <= size.sellers; s += 1) {
      const name = `Drill Cartons ${s}`;
      const email = `owner@seller${s}.drill.test`;
      const { organizationId } = await signUp({ ...deps, request: { app: "seller", ip: null, userAgent: "souk-drill" } }, { organizationName: name, name: `Owner ${s}`, email, password: DRILL_PASSWORD, locale: "en" });
      await actingAs(deps, "seller", email, (seller) =>
        saveAndSubmitSellerApplication(seller, {
          legalName: `${name} SAS`,
          tradingName: name,
          country: "FR",
          companyNumber: "FR 96 552 100 554",
          addressLine1: `${s} quai de la Joliette`,
          addressLine2: "",
          postalCode: "13002",
          city: "Marseille",
          contactName: `Owner ${s}`,
          contactEmail: email,
          contactPhone: "+33 4 91 00 00 00",
          description: "Corrugated boxes for the fault drills.",
          categoryIds: [category.id],
        }),
      );
      await actingAs(deps, "operator", operatorEmail, (admin) => decideSeller(admin, { organizationId, decision: "approve" }));
      const listings = await actingAs(deps, "seller", email, async (seller) => {
        const made: MarketSeller["listings"] = [];
        for (let l = 1; l <= size.listingsPerSeller; l += 1) {
          const sku = `DRILL-S${s}-${l}`;
          const title = `Double-wall carton ${s}.${l}`;
          const fields = {
            sku,
            title,
            description: "Corrugated double-wall shipping carton.",
            categoryId: category.id,
            unit: "piece",
            currency: "EUR",
            listPrice: `${1 + ((s * 7 + l) % 9)}.${String((s * 13 + l * 7) % 100).padStart(2, "0")}`,
            minOrderQuantity: "1",
            stock: "100000000",
            leadTimeDays: String(1 + (l % 10)),
            visibility: "everyone",
          };
          const { id } = await createListing(seller, fields);
          await moveSellerListing(seller, { listingId: id, move: "publish" });
          made.push({ id, sku, title, fields });
        }
        return made;
      });
      sellers.push({ id: organizationId, name, email, listings });
    }

    const buyers: MarketBuyer[] = [];
    for (let b = 1; b <= size.buyers; b += 1) {
      const name = `Drill Buyer ${b}`;
      const email = `admin@buyer${b}.drill.test`;
      const { organizationId } = await signUp({ ...deps, request: { app: "buyer", ip: null, userAgent: "souk-drill" } }, { organizationName: name, name: `Admin ${b}`, email, password: DRILL_PASSWORD, locale: b === 2 ? "fr" : "en" });
      const made = await actingAs(deps, "buyer", email, async (buyer) => {
        const { addressId } = await saveAddress(buyer, { label: "Main warehouse", recipient: "Receiving desk", line1: `${b} quai Perrache`, line2: "", postalCode: "69002", city: "Lyon", country: "FR" });
        const quantities = [1_000 * b, 500 * b];
        const form: Record<string, unknown> = {
          title: `Shipping cartons for ${name}`,
          description: "Drill RFQ: sellers answer it under load.",
          categoryId: category.id,
          currency: "EUR",
          incoterm: "DAP",
          deliveryPlace: "Lyon, FR",
          deadline: new Date(Date.now() + 86_400_000).toISOString().slice(0, 16),
          timeZone: "UTC",
          visibility: "open",
          sealing: "sealed",
          intent: "publish",
        };
        quantities.forEach((quantity, i) => {
          form[`lines.${i}.description`] = `Carton size ${i + 1}`;
          form[`lines.${i}.quantity`] = String(quantity);
          form[`lines.${i}.unit`] = "piece";
        });
        const rfq = await createRfq(buyer, form);
        const lines = await deps.db.selectFrom("rfq_lines").select("id").where("rfq_id", "=", rfq.id).orderBy("position").execute();
        return { addressId, rfq: { id: rfq.id, lineIds: lines.map((l) => l.id), quantities } };
      });
      buyers.push({ id: organizationId, name, email, ...made });
    }
    let privateListing: DrillMarket["privateListing"] = null;
    const [first] = sellers;
    const second = buyers[1];
    if (size.privateListing && first && second) {
      const title = `Confidential carton for ${second.name} only`;
      const id = await actingAs(deps, "seller", first.email, async (seller) => {
        const { id: groupId } = await createCustomerGroup(seller, { name: "Key accounts" });
        await addCustomerGroupMember(seller, { groupId, buyerId: second.id });
        const created = await createListing(seller, {
          sku: "DRILL-PRIVATE-1",
          title,
          description: "Shown to one customer group only.",
          categoryId: category.id,
          unit: "piece",
          currency: "EUR",
          listPrice: "3.10",
          minOrderQuantity: "1",
          stock: "1000",
          leadTimeDays: "2",
          visibility: "groups",
          groupIds: [groupId],
        });
        await moveSellerListing(seller, { listingId: created.id, move: "publish" });
        return created.id;
      });
      privateListing = { id, title, visibleTo: second.id };
    }
    return { operatorEmail, sellers, buyers, privateListing };
  } finally {
    await deps.close();
  }
}
