import { describe, expect, test } from "vitest";
import { createPostgresListingIndex } from "@souk/search";
import { createTestDatabase } from "@souk/testing";
import { getBuyerListing, searchCatalogue } from "../catalogue/buyer";
import { resolveSession } from "../identity/resolve-session";
import { signIn } from "../identity/sign-in";
import { requestDeps, rowCounts, TEST_URLS } from "../identity/test-support";
import { DEMO_PASSWORD, seedDemo } from "./demo-seed";

const { db } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS, listingIndex: createPostgresListingIndex(db) };

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
    // E-mails: the approvals of the four active sellers, then what the demo RFQs tell buyers and
    // sellers (answers, closings, awards won and lost, the approval request). One close job per
    // published RFQ; the search syncs of the demo catalogue (one per batch of written listings, one
    // per publication).
    expect(topics.map((t) => [t.topic, Number(t.n)])).toEqual([
      ["notification.email", 31],
      ["rfq.close", 5],
      ["search.listing.sync", 2 + 241],
    ]);
  });

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
      ["Boréal Hôtels", "closed", "sealed", 2],
      ["Boréal Hôtels", "awarded", "sealed", 2],
      ["Atlas Industrie", "closed", "sealed", 2],
      ["Atlas Industrie", "draft", "sealed", 0],
    ]);
    expect(rfqs.filter((r) => r.status === "closed" || r.status === "awarded").every((r) => r.chain_verified_at !== null)).toBe(true);
    const awards = await db.selectFrom("awards as a").innerJoin("rfqs as r", "r.id", "a.rfq_id").select(["r.title", "a.status"]).orderBy("r.number").execute();
    expect(awards.map((a) => a.status)).toEqual(["approved", "pending_approval"]);
    const approvals = await db.selectFrom("approvals").select(["status", "approver_role"]).execute();
    expect(approvals).toEqual([{ status: "pending", approver_role: "approver" }]);
    const orders = await db.selectFrom("orders as o").innerJoin("organizations as s", "s.id", "o.seller_id").select(["s.name", "o.status", "o.total_minor"]).orderBy("s.name").execute();
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
});

async function actorOf(email: string) {
  const request = requestDeps(db, "buyer");
  const { token } = await signIn(request, { email, password: DEMO_PASSWORD });
  const resolved = await resolveSession(request, { token });
  if (!resolved?.actor) throw new Error(`${email} has no buyer organisation`);
  return { request: request.request, session: { id: resolved.sessionId, userId: resolved.user.id }, actor: resolved.actor };
}
