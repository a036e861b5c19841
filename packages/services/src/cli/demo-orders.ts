import type { Db } from "@souk/db";
import type { ActorDeps, ServiceDeps } from "../deps";
import { decideApproval } from "../approvals/decide-approval";
import { markPayoutPaid } from "../money/mark-payout-paid";
import { requestPayoutRun } from "../money/request-payout-run";
import { runPayouts } from "../money/run-payouts";
import { saveCommissionRule } from "../money/save-commission-rule";
import { settleOrder } from "../money/settle-order";
import { acceptOrder } from "../orders/accept-order";
import { cancelOrder } from "../orders/cancel-order";
import { confirmDelivery } from "../orders/confirm-delivery";
import { openDispute } from "../orders/open-dispute";
import { rejectOrder } from "../orders/reject-order";
import { requestOrderCancellation } from "../orders/request-order-cancellation";
import { resolveDispute } from "../orders/resolve-dispute";
import { shipOrder } from "../orders/ship-order";
import { addToCart } from "../purchasing/add-to-cart";
import { addToRequisitionList, NEW_LIST } from "../purchasing/add-to-requisition-list";
import { checkoutCart, type CheckoutResult } from "../purchasing/checkout-cart";
import { quickOrder } from "../purchasing/quick-order";
import { saveAddress } from "../purchasing/save-address";

type ActAs = <T>(app: "buyer" | "seller" | "operator", email: string, fn: (deps: ActorDeps) => Promise<T>) => Promise<T>;

type BuyerName = "Atlas Industrie" | "Boréal Hôtels";
type SellerName = "Médina Fournitures" | "Rif Emballages";

/** Who acts for each organisation in the demo orders. */
const PURCHASER: Record<BuyerName, string> = { "Atlas Industrie": "purchaser@atlas.test", "Boréal Hôtels": "purchaser@boreal.test" };
const BUYER_ADMIN: Record<BuyerName, string> = { "Atlas Industrie": "admin@atlas.test", "Boréal Hôtels": "admin@boreal.test" };
const FULFILMENT: Record<SellerName, string> = { "Médina Fournitures": "fulfilment@medina.test", "Rif Emballages": "fulfilment@rif.test" };
const FINANCE = "ops.finance@souk.test";
const APPROVER = "approver@atlas.test";

/**
 * The commission rules finance sets: a EUR default (8 % + €0.50, at least €1, at most €500), a
 * lower rate for stretch film and tape (packaging-film), and Médina's negotiated rate. Every demo
 * listing is in EUR, so EUR is the only currency that needs rules.
 */
export const DEMO_COMMISSION_RULES = [
  { scope: "default", currency: "EUR", ratePercent: "8", fixed: "0.50", floor: "1.00", cap: "500.00" },
  { scope: "category", category: "packaging-film", currency: "EUR", ratePercent: "5", fixed: "0.30", floor: "1.00", cap: "" },
  { scope: "seller", seller: "Médina Fournitures", currency: "EUR", ratePercent: "6.5", fixed: "0", floor: "1.00", cap: "1000.00" },
] as const;

/** The address books (the first of each is the default). */
export const DEMO_ADDRESSES: Record<BuyerName, { label: string; recipient: string; line1: string; line2: string; postalCode: string; city: string; country: string }[]> = {
  "Atlas Industrie": [
    { label: "Usine de Lyon", recipient: "Atlas Industrie — Réception", line1: "12 rue de Gerland", line2: "Quai 3", postalCode: "69007", city: "Lyon", country: "FR" },
    { label: "Site de Casablanca", recipient: "Atlas Industrie Maroc", line1: "Zone industrielle Aïn Sebaâ, lot 48", line2: "", postalCode: "20250", city: "Casablanca", country: "MA" },
  ],
  "Boréal Hôtels": [
    { label: "Entrepôt de Marseille", recipient: "Boréal Hôtels — Logistique", line1: "40 boulevard de Paris", line2: "Entrepôt B", postalCode: "13003", city: "Marseille", country: "FR" },
    { label: "Réception centrale Montréal", recipient: "Boréal Hôtels", line1: "1000 rue Sherbrooke Ouest", line2: "", postalCode: "H3A 3G4", city: "Montréal", country: "CA" },
  ],
};

/** What the demo leaves each order of a purchase at, moved there through the lifecycle use cases. */
export type DemoOrderOutcome =
  | "placed"
  | "accepted"
  | "rejected"
  | "shipped"
  | "delivered"
  | "settled"
  | "cancelled"
  | "cancellation_requested"
  | "disputed"
  | "refunded";

export interface DemoPurchase {
  buyer: BuyerName;
  /** The PO number: how a re-run finds the purchase (per buyer). */
  po: string;
  /** "SKU, quantity" lines (quick order) or listings added one by one from the catalogue (cart). */
  via: "quick_order" | "cart";
  lines: [sku: string, quantity: number][];
  /** What happens to each seller's order; absent for a purchase that waits for approval. */
  outcomes?: Partial<Record<SellerName, DemoOrderOutcome>>;
  /**
   * Above Atlas's €10,000 rule the purchase waits for approver@atlas.test: "approved" (the approver
   * approves it, which places its orders) or "pending" (left for the demo user to decide).
   */
  approval?: "approved" | "pending";
}

/** In the order they are checked out: each buyer's purchaser checks out its own in one session. */
export const DEMO_PURCHASES: DemoPurchase[] = [
  {
    buyer: "Atlas Industrie",
    po: "PO-ATL-2026-0141",
    via: "quick_order",
    lines: [
      ["BUR-3B", 25],
      ["TAPE-1B", 10],
    ],
    approval: "approved",
    outcomes: { "Médina Fournitures": "placed", "Rif Emballages": "accepted" },
  },
  {
    buyer: "Atlas Industrie",
    po: "PO-ATL-2026-0152",
    via: "quick_order",
    lines: [
      ["CHS-1A", 12],
      ["BOX-DW-1A", 40],
    ],
    outcomes: { "Médina Fournitures": "settled", "Rif Emballages": "delivered" },
  },
  {
    buyer: "Atlas Industrie",
    po: "PO-ATL-2026-0160",
    via: "quick_order",
    lines: [
      ["BUR-2A", 30],
      ["CHS-2A", 10],
    ],
    approval: "pending",
  },
  {
    buyer: "Boréal Hôtels",
    po: "BH-2026-0087",
    via: "cart",
    lines: [
      ["PT-2A", 40],
      ["FILM-2A", 30],
    ],
    outcomes: { "Médina Fournitures": "rejected", "Rif Emballages": "shipped" },
  },
  {
    buyer: "Boréal Hôtels",
    po: "BH-2026-0093",
    via: "quick_order",
    lines: [
      ["ESS-2B", 15],
      ["BUBL-1A", 10],
    ],
    outcomes: { "Médina Fournitures": "cancelled", "Rif Emballages": "cancellation_requested" },
  },
  {
    buyer: "Boréal Hôtels",
    po: "BH-2026-0101",
    via: "cart",
    lines: [
      ["ENV-2A", 20],
      ["MAIL-1A", 40],
    ],
    outcomes: { "Médina Fournitures": "disputed", "Rif Emballages": "refunded" },
  },
];

/** What the moves say (the reasons, carriers and notes both sides read). */
const TEXTS = {
  approve: "Budget mobilier du second semestre : validé.",
  reject: "Le papier toilette 48 rouleaux est en rupture chez notre fabricant jusqu'à la fin du mois. Nous vous proposons le 96 rouleaux au même prix unitaire.",
  cancel: "Doublon : ces essuie-mains ont déjà été commandés par l'hôtel de Québec.",
  requestCancellation: "Le chantier de rénovation est reporté à l'automne : merci d'annuler le papier bulle si ce n'est pas encore préparé.",
  disputeMedina: "Trois boîtes d'enveloppes sur vingt sont arrivées mouillées et inutilisables.",
  disputeRif: "Les boîtes postales reçues sont en kraft brun et non en blanc comme les échantillons validés.",
  resolveRif: "Le vendeur reconnaît l'erreur de teinte ; l'acheteur garde les boîtes avec un avoir de 120,00 €.",
  refund: "120.00",
  carrier: { "Médina Fournitures": "CTM Messagerie", "Rif Emballages": "DB Schenker" } as Record<SellerName, string>,
} as const;

/** The requisition list each buyer shares: "Monthly consumables". */
export const DEMO_REQUISITION_LIST = "Monthly consumables";
const DEMO_LIST_ITEMS: Record<BuyerName, [sku: string, quantity: number, note: string][]> = {
  "Atlas Industrie": [
    ["PAP-A4-2A", 100, "Contract price from 50 reams"],
    ["ENV-1A", 10, ""],
    ["TAPE-1B", 5, "Brown tape for the Lyon dock"],
    ["FILM-1A", 12, ""],
  ],
  "Boréal Hôtels": [
    ["PT-1A", 40, "One pallet per hotel"],
    ["ESS-2B", 15, ""],
    ["BUBL-1A", 4, ""],
  ],
};

/** What stays in Atlas's purchaser's cart: a purchase being prepared. */
const DEMO_CART: { email: string; lines: [sku: string, quantity: number][] } = {
  email: PURCHASER["Atlas Industrie"],
  lines: [
    ["PAP-A4-2C", 50],
    ["FILM-1A", 12],
  ],
};

export interface DemoOrdersSummary {
  purchases: number;
  orders: number;
}

/**
 * The demo's orders and money, written through the use cases as each member would: finance's
 * commission rules, the buyers' address books and requisition lists, catalogue purchases (quick
 * order or cart, then checkout) whose orders are moved by the sellers' fulfilment members, the
 * buyers and the operators into every state — placed, accepted, rejected, shipped, delivered,
 * settled, cancelled, a cancellation waiting for the seller's answer, a dispute open and one
 * resolved with a partial refund — a purchase above Atlas's approval rule that its approver
 * approved, another still waiting for the approver, a cart being prepared, and one payout run (one
 * payout paid, one pending).
 *
 * Settlement: the buyer's delivery confirmation queues the `order.settle` job through the outbox,
 * as in production. The demo settles one order at once with settleOrder (the job's own use case) so
 * that journals and a payout exist before the worker runs; the "delivered" order is left to its
 * queued job, so it stays delivered until the worker starts and then settles like any other (a
 * seed that hid its job would leave an order that never settles). Likewise the payout run is the
 * operator's "Run payouts now" followed by the job's use case (runPayouts); its queued job later
 * finds the run finished and does nothing.
 *
 * Safe to re-run: rules are skipped when a live rule covers the same scope and currency, addresses
 * and lists are found by name, purchases by buyer and PO number, the cart is filled only in the run
 * that created the purchases, and the payout run only when there has been none.
 */
export async function seedDemoOrders(deps: ServiceDeps, actAs: ActAs): Promise<DemoOrdersSummary> {
  const db = deps.db;
  const orgs = new Map((await db.selectFrom("organizations").select(["id", "name"]).where("parent_id", "is", null).execute()).map((o) => [o.name, o.id]));
  const orgId = (name: string): string => {
    const id = orgs.get(name);
    if (!id) throw new Error(`The demo orders need the organisation ${name}`);
    return id;
  };

  await ensureCommissionRules(deps, actAs, orgId);
  for (const buyer of Object.keys(DEMO_ADDRESSES) as BuyerName[]) await ensureAddresses(deps, actAs, buyer, orgId(buyer));
  for (const buyer of Object.keys(DEMO_LIST_ITEMS) as BuyerName[]) await ensureRequisitionList(deps, actAs, buyer, orgId(buyer));

  // Each buyer's purchaser checks out its missing purchases in one session; Atlas's then leaves a
  // cart being prepared (only in the run that wrote the purchases: a re-run must not refill a cart
  // the demo user has since checked out or emptied).
  const done = await db.selectFrom("purchases").select(["buyer_id", "po_number"]).where("po_number", "in", DEMO_PURCHASES.map((p) => p.po)).execute();
  const created: { spec: DemoPurchase; checkout: CheckoutResult }[] = [];
  for (const buyer of Object.keys(PURCHASER) as BuyerName[]) {
    const specs = DEMO_PURCHASES.filter((p) => p.buyer === buyer && !done.some((d) => d.buyer_id === orgId(buyer) && d.po_number === p.po));
    if (specs.length === 0) continue;
    await actAs("buyer", PURCHASER[buyer], async (purchaser) => {
      for (const spec of specs) {
        const checkout = await buy(purchaser, spec);
        if (checkout.status !== (spec.approval ? "pending_approval" : "placed")) throw new Error(`The demo purchase ${spec.po} is ${checkout.status}`);
        created.push({ spec, checkout });
      }
      if (PURCHASER[buyer] === DEMO_CART.email) {
        for (const [sku, quantity] of DEMO_CART.lines) await addToCart(purchaser, { listingId: await listingId(db, sku), quantity: String(quantity) });
      }
    });
  }

  // Atlas's approver approves the purchase the demo wants approved (its orders are placed then).
  const toApprove = created.flatMap((c) => (c.spec.approval === "approved" && c.checkout.approvalId ? [c.checkout.approvalId] : []));
  if (toApprove.length > 0) {
    await actAs("buyer", APPROVER, async (approver) => {
      for (const approvalId of toApprove) await decideApproval(approver, { approvalId, decision: "approve", comment: TEXTS.approve });
    });
  }

  const placed = created.filter((c) => c.spec.approval !== "pending");
  const rows =
    placed.length === 0
      ? []
      : await db
          .selectFrom("orders as o")
          .innerJoin("organizations as s", "s.id", "o.seller_id")
          .select(["o.id", "o.purchase_id", "s.name as seller"])
          .where("o.purchase_id", "in", placed.map((c) => c.checkout.purchaseId))
          .orderBy("o.number")
          .execute();
  const orders: DemoOrder[] = rows.map((row) => {
    const spec = placed.find((c) => c.checkout.purchaseId === row.purchase_id)!.spec;
    const outcome = spec.outcomes?.[row.seller as SellerName];
    if (!outcome) throw new Error(`The demo purchase ${spec.po} has no outcome for ${row.seller}`);
    return { orderId: row.id, seller: row.seller as SellerName, buyer: spec.buyer, outcome };
  });
  await moveOrders(deps, actAs, orders);

  await ensurePayouts(deps, actAs, orgId("Médina Fournitures"));
  return { purchases: created.length, orders: orders.length };
}

async function listingId(db: Db, sku: string): Promise<string> {
  const row = await db.selectFrom("listings").select("id").where("sku", "=", sku).executeTakeFirst();
  if (!row) throw new Error(`The demo needs the listing ${sku}`);
  return row.id;
}

async function ensureCommissionRules(deps: ServiceDeps, actAs: ActAs, orgId: (name: string) => string): Promise<void> {
  const live = await deps.db.selectFrom("commission_rules").select(["scope", "category_id", "seller_id", "currency"]).where("archived_at", "is", null).execute();
  const categories = new Map((await deps.db.selectFrom("categories").select(["id", "slug"]).execute()).map((c) => [c.slug, c.id]));
  const missing = DEMO_COMMISSION_RULES.map((rule) => {
    const categoryId = "category" in rule ? (categories.get(rule.category) ?? rule.category) : "";
    const sellerId = "seller" in rule ? orgId(rule.seller) : "";
    return { ...rule, categoryId, sellerId };
  }).filter((rule) => !live.some((l) => l.scope === rule.scope && l.currency === rule.currency && (l.category_id ?? "") === rule.categoryId && (l.seller_id ?? "") === rule.sellerId));
  if (missing.length === 0) return;
  await actAs("operator", FINANCE, async (finance) => {
    for (const rule of missing) {
      await saveCommissionRule(finance, {
        scope: rule.scope,
        categoryId: rule.categoryId,
        sellerId: rule.sellerId,
        currency: rule.currency,
        ratePercent: rule.ratePercent,
        fixed: rule.fixed,
        floor: rule.floor,
        cap: rule.cap,
      });
    }
  });
}

async function ensureAddresses(deps: ServiceDeps, actAs: ActAs, buyer: BuyerName, buyerId: string): Promise<void> {
  const labels = new Set((await deps.db.selectFrom("organization_addresses").select("label").where("organization_id", "=", buyerId).execute()).map((a) => a.label));
  const missing = DEMO_ADDRESSES[buyer].filter((a) => !labels.has(a.label));
  if (missing.length === 0) return;
  await actAs("buyer", BUYER_ADMIN[buyer], async (admin) => {
    for (const address of missing) await saveAddress(admin, address);
  });
}

async function ensureRequisitionList(deps: ServiceDeps, actAs: ActAs, buyer: BuyerName, buyerId: string): Promise<void> {
  const existing = await deps.db.selectFrom("requisition_lists").select("id").where("buyer_id", "=", buyerId).where("name", "=", DEMO_REQUISITION_LIST).executeTakeFirst();
  if (existing) return;
  await actAs("buyer", PURCHASER[buyer], async (purchaser) => {
    let listId: string = NEW_LIST;
    for (const [sku, quantity, note] of DEMO_LIST_ITEMS[buyer]) {
      const added = await addToRequisitionList(purchaser, { listId, newListName: DEMO_REQUISITION_LIST, listingId: await listingId(deps.db, sku), quantity: String(quantity), note });
      listId = added.listId;
    }
  });
}

/** The purchaser fills the (empty) cart by quick order or from listings, and checks out to the default address. */
async function buy(purchaser: ActorDeps, spec: DemoPurchase): Promise<CheckoutResult> {
  const { db, actor } = purchaser;
  // Checkout takes every line of the currency: anything already in the cart would join the purchase.
  const inCart = await db
    .selectFrom("cart_lines as cl")
    .innerJoin("carts as c", "c.id", "cl.cart_id")
    .select("cl.listing_id")
    .where("c.buyer_id", "=", actor.organizationId)
    .where("c.user_id", "=", actor.userId)
    .executeTakeFirst();
  if (inCart) throw new Error(`The demo purchase ${spec.po} needs ${PURCHASER[spec.buyer]}'s cart to be empty`);
  if (spec.via === "quick_order") {
    const report = await quickOrder(purchaser, { text: spec.lines.map(([sku, quantity]) => `${sku}, ${quantity}`).join("\n") });
    if (report.refusedLines > 0) throw new Error(`The demo quick order ${spec.po} refused lines: ${JSON.stringify(report.lines.filter((l) => l.status === "refused"))}`);
  } else {
    for (const [sku, quantity] of spec.lines) await addToCart(purchaser, { listingId: await listingId(db, sku), quantity: String(quantity) });
  }
  const address = await db.selectFrom("organization_addresses").select("id").where("organization_id", "=", actor.organizationId).where("is_default", "=", true).executeTakeFirstOrThrow();
  return checkoutCart(purchaser, { currency: "EUR", poNumber: spec.po, addressId: address.id });
}

const trackingOf = (orderId: string) => `DEMO${orderId.replace(/-/g, "").slice(0, 10).toUpperCase()}`;

interface DemoOrder {
  orderId: string;
  seller: SellerName;
  buyer: BuyerName;
  outcome: DemoOrderOutcome;
}

const SHIPPED: readonly DemoOrderOutcome[] = ["shipped", "delivered", "settled", "disputed", "refunded"];
const DELIVERED: readonly DemoOrderOutcome[] = ["delivered", "settled", "disputed", "refunded"];

/**
 * Moves the placed orders to their demo outcomes, each move by the side that makes it (one session
 * per member): the sellers' fulfilment members reject, or accept and ship; the buyers' purchasers
 * cancel, ask to cancel, or confirm the delivery (which queues the settlement job) and dispute;
 * then the settlement job's use case settles one order, and an operator resolves one dispute with
 * a partial refund (which settles the order first, then posts the refund).
 */
async function moveOrders(deps: ServiceDeps, actAs: ActAs, orders: readonly DemoOrder[]): Promise<void> {
  for (const seller of Object.keys(FULFILMENT) as SellerName[]) {
    const own = orders.filter((o) => o.seller === seller && o.outcome !== "placed" && o.outcome !== "cancelled");
    if (own.length === 0) continue;
    await actAs("seller", FULFILMENT[seller], async (fulfilment) => {
      for (const { orderId, outcome } of own) {
        if (outcome === "rejected") {
          await rejectOrder(fulfilment, { orderId, reason: TEXTS.reject });
          continue;
        }
        await acceptOrder(fulfilment, { orderId });
        if (SHIPPED.includes(outcome)) await shipOrder(fulfilment, { orderId, carrier: TEXTS.carrier[seller], trackingReference: trackingOf(orderId) });
      }
    });
  }

  const disputes: { disputeId: string; outcome: DemoOrderOutcome }[] = [];
  for (const buyer of Object.keys(PURCHASER) as BuyerName[]) {
    const own = orders.filter((o) => o.buyer === buyer && (o.outcome === "cancelled" || o.outcome === "cancellation_requested" || DELIVERED.includes(o.outcome)));
    if (own.length === 0) continue;
    await actAs("buyer", PURCHASER[buyer], async (purchaser) => {
      for (const { orderId, seller, outcome } of own) {
        if (outcome === "cancelled") await cancelOrder(purchaser, { orderId, reason: TEXTS.cancel });
        else if (outcome === "cancellation_requested") await requestOrderCancellation(purchaser, { orderId, reason: TEXTS.requestCancellation });
        else {
          // Delivered: the confirmation queues the settlement job (outbox), whatever happens next.
          await confirmDelivery(purchaser, { orderId });
          if (outcome === "disputed" || outcome === "refunded") {
            const opened = await openDispute(purchaser, { orderId, reason: seller === "Médina Fournitures" ? TEXTS.disputeMedina : TEXTS.disputeRif });
            disputes.push({ disputeId: opened.disputeId, outcome });
          }
        }
      }
    });
  }

  for (const { orderId } of orders.filter((o) => o.outcome === "settled")) await settleOrder(deps, { orderId });
  const toResolve = disputes.filter((d) => d.outcome === "refunded");
  if (toResolve.length > 0) {
    // A refund moves money: it takes run:settlement:any besides resolve:disputes:any (finance, admin; not a moderator).
    await actAs("operator", FINANCE, async (operator) => {
      for (const { disputeId } of toResolve) await resolveDispute(operator, { disputeId, resolution: "partial_refund", amount: TEXTS.refund, note: TEXTS.resolveRif });
    });
  }
}

/**
 * One payout run, asked for by finance ("Run payouts now") and run by the job's use case: a payout
 * per seller with settled money; finance then marks Médina's paid (the bank transfer's reference)
 * and leaves the other pending. Only when no run has ever happened.
 */
async function ensurePayouts(deps: ServiceDeps, actAs: ActAs, paidSellerId: string): Promise<void> {
  const anyRun = await deps.db.selectFrom("payout_runs").select("id").executeTakeFirst();
  if (anyRun) return;
  await actAs("operator", FINANCE, async (finance) => {
    const { runId } = await requestPayoutRun(finance);
    await runPayouts(deps, { runId });
    const payout = await deps.db.selectFrom("payouts").select("id").where("run_id", "=", runId).where("seller_id", "=", paidSellerId).where("status", "=", "pending").executeTakeFirst();
    if (!payout) throw new Error("The demo payout run should have a payout for Médina Fournitures");
    await markPayoutPaid(finance, { payoutId: payout.id, reference: "VIR-2026-000418" });
  });
}
