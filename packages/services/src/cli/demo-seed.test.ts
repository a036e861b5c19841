import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { createPostgresListingIndex } from "@souk/search";
import { createTestDatabase } from "@souk/testing";
import { getBuyerListing, searchCatalogue } from "../catalogue/buyer";
import { resolveSession } from "../identity/resolve-session";
import { getTrialBalance } from "../money/get-trial-balance";
import { signIn } from "../identity/sign-in";
import { requestDeps, rowCounts, TEST_URLS } from "../identity/test-support";
import { createLocalDiskStorage } from "../storage/local-disk-storage";
import { DEMO_BUDGETS } from "./demo-negotiation";
import { DEMO_PASSWORD, seedDemo } from "./demo-seed";

const { db } = await createTestDatabase();
const storage = createLocalDiskStorage(await mkdtemp(path.join(tmpdir(), "souk-demo-seed-")));
const deps = { db, publicUrls: TEST_URLS, listingIndex: createPostgresListingIndex(db), storage };

/** Boréal asks Rif about a listing, then about its shipped order (Rif answers); the disputed order's buyer explains. */
const THREADS = [
  ["Boréal Hôtels", "Rif Emballages", "listing", 1],
  ["Boréal Hôtels", "Rif Emballages", "order", 2],
  ["Boréal Hôtels", "Médina Fournitures", "order", 1],
];
/** One digest waiting per organisation with unread messages: Rif, Boréal and Médina. */
const DIGESTS = 3;

describe("seedDemo", () => {
  test("running it twice leaves the same rows, and prints the same logins", async () => {
    const first = await seedDemo(deps);
    const counts = await rowCounts(db);
    const second = await seedDemo(deps);
    expect(await rowCounts(db)).toEqual(counts);
    expect(second).toEqual(first);

    // 1 operator + 2 buyers + 2 branches + 5 sellers; 3 + 4 + 4 + 3 * 3 + 2 * 2 users; no stray session.
    expect(counts).toMatchObject({ organizations: 10, users: 24, memberships: 27, sessions: 0, invitations: 0 });
    const topics = await db.selectFrom("outbox").select(["topic", (eb) => eb.fn.countAll<string>().as("n")]).groupBy("topic").orderBy("topic").execute();
    // E-mails: the approvals of the four active sellers, what the demo RFQs tell buyers and sellers
    // (answers, closings, awards won and lost, the approval request), then what the demo orders
    // tell them (31 + 86). One close job per published RFQ. A settlement job per delivery confirmed
    // (4: the settled, delivered, disputed and refunded orders), the payout run's job and a submission
    // job per payout it created (2: one marked paid, one pending). The search
    // syncs of the demo catalogue (one per batch of written listings, one per publication), then one
    // per stock change: 5 purchases placed, the rejected and the cancelled orders' restock.
    // The negotiation demo then adds the counter-proposals' e-mails (3 × owner and sales of the seller,
    // or admin and purchaser of the buyer: 6) and one digest job per organisation with unread
    // messages (demo-negotiation.ts).
    expect(topics.map((t) => [t.topic, Number(t.n)])).toEqual([
      ["conversation.digest", DIGESTS],
      ["notification.email", 31 + 86 + 6],
      ["order.settle", 4],
      ["payout.submit", 2],
      ["payouts.run", 1],
      ["rfq.close", 5],
      ["search.listing.sync", 2 + 241 + 5 + 2],
    ]);
  });

  test("the negotiation: a counter-proposal answered and one waiting, budgets, a second approval level, threads with unread messages", async () => {
    await seedDemo(deps);
    const counters = await db
      .selectFrom("offer_counters as c")
      .innerJoin("organizations as s", "s.id", "c.seller_id")
      .select(["s.name", "c.status", "c.round"])
      .orderBy("c.created_at")
      .execute();
    expect(counters).toEqual([
      { name: "Sud Emballages", status: "revised", round: 1 },
      { name: "Rif Emballages", status: "pending", round: 1 },
    ]);
    const budgets = await db.selectFrom("budgets").select(["amount_minor", "period", "on_exceed"]).orderBy("amount_minor", "desc").execute();
    expect(budgets).toHaveLength(DEMO_BUDGETS.length);
    const rules = await db.selectFrom("approval_rules").select(["threshold_minor", "approver_role"]).orderBy("threshold_minor").execute();
    expect(rules).toEqual([
      { threshold_minor: "1000000", approver_role: "approver" },
      { threshold_minor: "5000000", approver_role: "admin" },
    ]);
    const threads = await db
      .selectFrom("conversations as c")
      .innerJoin("organizations as b", "b.id", "c.buyer_id")
      .innerJoin("organizations as s", "s.id", "c.seller_id")
      .select(["b.name as buyer", "s.name as seller", "c.subject_kind"])
      .select((eb) => eb.selectFrom("conversation_messages as m").whereRef("m.conversation_id", "=", "c.id").select(eb.fn.countAll<string>().as("n")).as("messages"))
      .orderBy("c.created_at")
      .execute();
    expect(threads.map((t) => [t.buyer, t.seller, t.subject_kind, Number(t.messages)])).toEqual(THREADS);
    const attachment = await db.selectFrom("conversation_attachments").select(["original_name", "content_type", "storage_key"]).executeTakeFirstOrThrow();
    expect(attachment).toMatchObject({ original_name: "bon-de-livraison.pdf", content_type: "application/pdf" });
    expect(new TextDecoder().decode((await storage.get(attachment.storage_key))?.slice(0, 5))).toBe("%PDF-");
  }, 120_000);

  test("sellers went through vetting: five submitted applications, four approved by the operator admin", async () => {
    const rows = await db
      .selectFrom("seller_decisions as d")
      .innerJoin("organizations as o", "o.id", "d.organization_id")
      .innerJoin("users as u", "u.id", "d.actor_user_id")
      .select(["o.name", "d.move", "u.email"])
      .orderBy("d.id")
      .execute();
    expect(rows).toEqual([
      { name: "Médina Fournitures", move: "submit", email: "owner@medina.test" },
      { name: "Médina Fournitures", move: "approve", email: "ops.admin@souk.test" },
      { name: "Rif Emballages", move: "submit", email: "owner@rif.test" },
      { name: "Rif Emballages", move: "approve", email: "ops.admin@souk.test" },
      { name: "Kasbah Bureau", move: "submit", email: "owner@kasbah.test" },
      { name: "Kasbah Bureau", move: "approve", email: "ops.admin@souk.test" },
      { name: "Sud Emballages", move: "submit", email: "owner@sud.test" },
      { name: "Sud Emballages", move: "approve", email: "ops.admin@souk.test" },
      { name: "Sahel Outillage", move: "submit", email: "owner@sahel.test" },
    ]);
    const applications = await db.selectFrom("seller_applications").select(["legal_name", "submitted_at"]).execute();
    expect(applications).toHaveLength(5);
    expect(applications.every((a) => a.submitted_at !== null)).toBe(true);
  });

  test("organisations have the documented kinds and statuses, branches their parent", async () => {
    const orgs = await db.selectFrom("organizations").select(["id", "name", "kind", "status", "parent_id"]).execute();
    const byName = Object.fromEntries(orgs.map((o) => [o.name, o]));
    expect(byName["Souk Operations"]).toMatchObject({ kind: "operator", status: "active" });
    expect(byName["Atlas Industrie"]).toMatchObject({ kind: "buyer", status: "active", parent_id: null });
    expect(byName["Atlas Industrie — Lyon"]).toMatchObject({ kind: "buyer", parent_id: byName["Atlas Industrie"]?.id });
    expect(byName["Atlas Industrie — Casablanca"]).toMatchObject({ kind: "buyer", parent_id: byName["Atlas Industrie"]?.id });
    expect(byName["Boréal Hôtels"]).toMatchObject({ kind: "buyer", status: "active" });
    expect(byName["Médina Fournitures"]).toMatchObject({ kind: "seller", status: "active" });
    expect(byName["Rif Emballages"]).toMatchObject({ kind: "seller", status: "active" });
    expect(byName["Kasbah Bureau"]).toMatchObject({ kind: "seller", status: "active" });
    expect(byName["Sud Emballages"]).toMatchObject({ kind: "seller", status: "active" });
    expect(byName["Sahel Outillage"]).toMatchObject({ kind: "seller", status: "pending" });
  });

  test("every printed login signs in to its app with its role", async () => {
    const logins = await seedDemo(deps);
    expect(new Set(logins.map((l) => `${l.organization}/${l.role}`)).size).toBe(logins.length);
    for (const login of logins) {
      const app = login.appUrl === TEST_URLS.buyer ? "buyer" : login.appUrl === TEST_URLS.seller ? "seller" : "operator";
      const { token } = await signIn(requestDeps(db, app), { email: login.email, password: DEMO_PASSWORD });
      const session = await resolveSession(requestDeps(db, app), { token });
      expect(session?.actor?.role).toBe(login.role);
      expect(session?.organizations.find((o) => o.id === session.actor?.organizationId)?.name).toBe(login.organization);
    }
    const atlasAdmin = await signIn(requestDeps(db, "buyer"), { email: "admin@atlas.test", password: DEMO_PASSWORD });
    const orgs = (await resolveSession(requestDeps(db, "buyer"), { token: atlasAdmin.token }))?.organizations.map((o) => o.name);
    expect(orgs?.sort()).toEqual(["Atlas Industrie", "Atlas Industrie — Casablanca", "Atlas Industrie — Lyon"]);
  });

  test("the RFQs: open (sealed and open bidding), closed, awarded with orders, waiting for approval, and a draft", async () => {
    const rfqs = await db
      .selectFrom("rfqs as r")
      .innerJoin("organizations as b", "b.id", "r.buyer_id")
      .select(["r.id", "r.title", "r.status", "r.sealing", "r.chain_length", "r.chain_verified_at", "b.name as buyer"])
      .orderBy("r.number")
      .execute();
    expect(rfqs.map((r) => [r.buyer, r.status, r.sealing, r.chain_length])).toEqual([
      ["Atlas Industrie", "open", "sealed", 2],
      ["Atlas Industrie", "open", "open", 3],
      // Sud's revised answer to Boréal's counter-proposal is a third receipt (demo-negotiation.ts).
      ["Boréal Hôtels", "closed", "sealed", 3],
      ["Boréal Hôtels", "awarded", "sealed", 2],
      ["Atlas Industrie", "closed", "sealed", 2],
      ["Atlas Industrie", "draft", "sealed", 0],
    ]);
    expect(rfqs.filter((r) => r.status === "closed" || r.status === "awarded").every((r) => r.chain_verified_at !== null)).toBe(true);
    const awards = await db.selectFrom("awards as a").innerJoin("rfqs as r", "r.id", "a.rfq_id").select(["r.title", "a.status"]).orderBy("r.number").execute();
    expect(awards.map((a) => a.status)).toEqual(["approved", "pending_approval"]);
    const approvals = await db.selectFrom("approvals").select(["status", "approver_role"]).where("subject_kind", "=", "award").execute();
    expect(approvals).toEqual([{ status: "pending", approver_role: "approver" }]);
    const orders = await db
      .selectFrom("orders as o")
      .innerJoin("organizations as s", "s.id", "o.seller_id")
      .select(["s.name", "o.status", "o.total_minor"])
      .where("o.rfq_id", "is not", null)
      .orderBy("s.name")
      .execute();
    expect(orders).toEqual([
      { name: "Médina Fournitures", status: "placed", total_minor: "852000" },
      { name: "Sud Emballages", status: "placed", total_minor: "1168000" },
    ]);
  });

  test("the catalogue: 250 listings (241 published and indexed), a customer group per seller, Atlas's contract prices", async () => {
    await seedDemo(deps);
    const statuses = await db.selectFrom("listings").select(["status", (eb) => eb.fn.countAll<string>().as("n")]).groupBy("status").orderBy("status").execute();
    expect(statuses.map((s) => [s.status, Number(s.n)])).toEqual([
      ["draft", 9],
      ["published", 241],
    ]);
    expect((await deps.listingIndex.stats()).count).toBe(241);
    const groups = await db.selectFrom("customer_groups").select("name").orderBy("name").execute();
    expect(groups.map((g) => g.name)).toEqual(["Export partners", "Hôtellerie partenaires"]);

    const atlas = await actorOf("purchaser@atlas.test");
    const found = await searchCatalogue({ ...deps, ...atlas }, { q: "ramete papier A4 80 g blanc" });
    const paper = found.hits.find((h) => h.sku === "PAP-A4-2A");
    expect(paper).toMatchObject({ yourPrice: { amountMinor: "349", currency: "EUR" }, priceSource: "buyer_price_list" });

    // Médina shows a few listings to its hotel customers only: Boréal sees them, Atlas does not.
    const restricted = await db
      .selectFrom("listings as l")
      .innerJoin("listing_visibility as v", "v.listing_id", "l.id")
      .innerJoin("customer_groups as g", "g.id", "v.group_id")
      .select("l.id")
      .where("g.name", "=", "Hôtellerie partenaires")
      .where("l.status", "=", "published")
      .executeTakeFirstOrThrow();
    const boreal = await actorOf("purchaser@boreal.test");
    await expect(getBuyerListing({ ...deps, ...boreal }, { listingId: restricted.id })).resolves.toMatchObject({ id: restricted.id });
    await expect(getBuyerListing({ ...deps, ...atlas }, { listingId: restricted.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("the orders: every state through the use cases, settled journals, a balanced ledger, one payout paid and one pending", async () => {
    await seedDemo(deps);
    const orders = await db
      .selectFrom("orders as o")
      .innerJoin("purchases as p", "p.id", "o.purchase_id")
      .innerJoin("organizations as s", "s.id", "o.seller_id")
      .leftJoin("disputes as d", "d.order_id", "o.id")
      .select(["o.id", "p.po_number", "s.name as seller", "o.status", "o.cancellation_requested_by", "d.status as dispute", "d.resolution", "o.reject_reason", "o.carrier", "o.tracking_reference", "o.total_minor"])
      .orderBy("p.number")
      .orderBy("s.name")
      .execute();
    expect(orders.map((o) => [o.po_number, o.seller, o.status, o.cancellation_requested_by, o.dispute, o.resolution])).toEqual([
      ["PO-ATL-2026-0141", "Médina Fournitures", "placed", null, null, null],
      ["PO-ATL-2026-0141", "Rif Emballages", "accepted", null, null, null],
      ["PO-ATL-2026-0152", "Médina Fournitures", "settled", null, null, null],
      ["PO-ATL-2026-0152", "Rif Emballages", "delivered", null, null, null],
      ["BH-2026-0087", "Médina Fournitures", "rejected", null, null, null],
      ["BH-2026-0087", "Rif Emballages", "shipped", null, null, null],
      ["BH-2026-0093", "Médina Fournitures", "cancelled", null, null, null],
      ["BH-2026-0093", "Rif Emballages", "accepted", "buyer", null, null],
      ["BH-2026-0101", "Médina Fournitures", "delivered", null, "open", null],
      ["BH-2026-0101", "Rif Emballages", "settled", null, "resolved", "partial_refund"],
    ]);
    for (const status of ["placed", "accepted", "rejected", "shipped", "delivered", "settled", "cancelled"]) expect(orders.filter((o) => o.status === status).length).toBeGreaterThanOrEqual(1);
    expect(orders.find((o) => o.status === "rejected")?.reject_reason).not.toBe("");
    expect(orders.find((o) => o.status === "shipped")).toMatchObject({ carrier: "DB Schenker", tracking_reference: expect.stringMatching(/^DEMO[0-9A-F]{10}$/) });
    // Each order's timeline starts with "placed"; the settled ones end with the settlement's "settled".
    const events = await db.selectFrom("order_events").select(["order_id", "kind"]).orderBy("id").execute();
    for (const order of orders) {
      const kinds = events.filter((e) => e.order_id === order.id).map((e) => e.kind);
      expect(kinds[0]).toBe("placed");
      if (order.status === "settled") expect(kinds).toContain("settled");
    }

    // Two purchases reach Atlas's €10,000 rule: the approver approved the first (its orders are
    // above); the other waits for the approver: no order, nothing reserved.
    const purchases = await db.selectFrom("purchases").select(["po_number", "status", "total_minor"]).orderBy("number").execute();
    expect(purchases.map((p) => [p.po_number, p.status])).toEqual([
      ["PO-ATL-2026-0141", "placed"],
      ["PO-ATL-2026-0152", "placed"],
      ["PO-ATL-2026-0160", "pending_approval"],
      ["BH-2026-0087", "placed"],
      ["BH-2026-0093", "placed"],
      ["BH-2026-0101", "placed"],
    ]);
    const waiting = await db
      .selectFrom("approvals as a")
      .innerJoin("purchases as p", "p.id", "a.subject_id")
      .select(["a.status", "a.approver_role", "a.amount_minor", "p.po_number"])
      .where("a.subject_kind", "=", "purchase")
      .orderBy("p.number")
      .execute();
    expect(waiting).toEqual([
      { status: "approved", approver_role: "approver", amount_minor: "1007930", po_number: "PO-ATL-2026-0141" },
      { status: "pending", approver_role: "approver", amount_minor: "1129820", po_number: "PO-ATL-2026-0160" },
    ]);

    // Settled: Médina at its own rule (6.5 % of €1,908.00), Rif's refunded order at the default (8 % + €0.50).
    const settlements = await db
      .selectFrom("settlements as st")
      .innerJoin("organizations as s", "s.id", "st.seller_id")
      .select(["s.name", "st.gross_minor", "st.commission_minor", "st.net_minor", "st.refunded_minor", "st.commission_refunded_minor", "st.rule"])
      .orderBy("s.name")
      .execute();
    expect(settlements.map((x) => [x.name, x.gross_minor, x.commission_minor, x.net_minor, x.refunded_minor, x.commission_refunded_minor])).toEqual([
      ["Médina Fournitures", "190800", "12402", "178398", "0", "0"],
      ["Rif Emballages", "66520", "5372", "61148", "12000", "969"],
    ]);
    for (const x of settlements) expect(BigInt(x.net_minor) + BigInt(x.commission_minor)).toBe(BigInt(x.gross_minor));
    expect(settlements.map((x) => (x.rule as { scope: string }).scope)).toEqual(["seller", "default"]);
    const journals = await db.selectFrom("journals").select(["kind", (eb) => eb.fn.countAll<string>().as("n")]).groupBy("kind").orderBy("kind").execute();
    expect(journals.map((j) => [j.kind, Number(j.n)])).toEqual([
      ["payout", 2],
      ["payout_paid", 1],
      ["refund", 1],
      ["settlement", 2],
    ]);
    const finance = await actorOf("ops.finance@souk.test", "operator");
    const trial = await getTrialBalance({ ...deps, ...finance });
    expect(trial.balanced).toBe(true);
    expect(trial.currencies.map((c) => [c.currency, c.balance.amountMinor])).toEqual([["EUR", "0"]]);

    // One run: Médina's payout paid with the transfer's reference, Rif's (net less the refund's net) pending.
    const payouts = await db.selectFrom("payouts as p").innerJoin("organizations as s", "s.id", "p.seller_id").select(["s.name", "p.status", "p.amount_minor", "p.provider_reference"]).orderBy("s.name").execute();
    expect(payouts).toEqual([
      { name: "Médina Fournitures", status: "paid", amount_minor: "178398", provider_reference: "VIR-2026-000418" },
      { name: "Rif Emballages", status: "pending", amount_minor: "50117", provider_reference: null },
    ]);
    expect(await db.selectFrom("payout_runs").select("finished_at").execute()).toEqual([{ finished_at: expect.any(Date) }]);

    // The delivered order's settlement waits in the outbox for the worker.
    const delivered = orders.find((o) => o.status === "delivered" && o.dispute === null);
    const queued = await db.selectFrom("outbox").select("payload").where("topic", "=", "order.settle").execute();
    expect(queued.map((q) => (q.payload as { orderId: string }).orderId)).toContain(delivered?.id);

    // Finance's rules, the address books, the requisition lists and the cart being prepared.
    const rules = await db.selectFrom("commission_rules").select(["scope", "currency", "rate_bps", "fixed_minor", "floor_minor", "cap_minor"]).where("archived_at", "is", null).orderBy("created_at").execute();
    expect(rules).toEqual([
      { scope: "default", currency: "EUR", rate_bps: 800, fixed_minor: "50", floor_minor: "100", cap_minor: "50000" },
      { scope: "category", currency: "EUR", rate_bps: 500, fixed_minor: "30", floor_minor: "100", cap_minor: null },
      { scope: "seller", currency: "EUR", rate_bps: 650, fixed_minor: "0", floor_minor: "100", cap_minor: "100000" },
    ]);
    const addresses = await db.selectFrom("organization_addresses as a").innerJoin("organizations as o", "o.id", "a.organization_id").select(["o.name", "a.label", "a.is_default"]).orderBy("o.name").orderBy("a.created_at").execute();
    expect(addresses).toEqual([
      { name: "Atlas Industrie", label: "Usine de Lyon", is_default: true },
      { name: "Atlas Industrie", label: "Site de Casablanca", is_default: false },
      { name: "Boréal Hôtels", label: "Entrepôt de Marseille", is_default: true },
      { name: "Boréal Hôtels", label: "Réception centrale Montréal", is_default: false },
    ]);
    const lists = await db
      .selectFrom("requisition_lists as l")
      .innerJoin("organizations as o", "o.id", "l.buyer_id")
      .select(["o.name", "l.name as list", (eb) => eb.selectFrom("requisition_list_items as i").select((e) => e.fn.countAll<string>().as("n")).whereRef("i.list_id", "=", "l.id").as("items")])
      .orderBy("o.name")
      .execute();
    expect(lists.map((l) => [l.name, l.list, Number(l.items)])).toEqual([
      ["Atlas Industrie", "Monthly consumables", 4],
      ["Boréal Hôtels", "Monthly consumables", 3],
    ]);
    const cart = await db
      .selectFrom("cart_lines as cl")
      .innerJoin("carts as c", "c.id", "cl.cart_id")
      .innerJoin("users as u", "u.id", "c.user_id")
      .innerJoin("listings as l", "l.id", "cl.listing_id")
      .select(["u.email", "l.sku", "cl.quantity"])
      .orderBy("l.sku")
      .execute();
    expect(cart).toEqual([
      { email: "purchaser@atlas.test", sku: "FILM-1A", quantity: 12 },
      { email: "purchaser@atlas.test", sku: "PAP-A4-2C", quantity: 50 },
    ]);
  });
});

async function actorOf(email: string, app: "buyer" | "operator" = "buyer") {
  const request = requestDeps(db, app);
  const { token } = await signIn(request, { email, password: DEMO_PASSWORD });
  const resolved = await resolveSession(request, { token });
  if (!resolved?.actor) throw new Error(`${email} has no ${app} organisation`);
  return { request: request.request, session: { id: resolved.sessionId, userId: resolved.user.id }, actor: resolved.actor };
}
