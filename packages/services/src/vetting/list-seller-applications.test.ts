import { beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { listSellerApplications, SELLER_QUEUE_PAGE_SIZE } from "./list-seller-applications";
import { asOwner, memberOf, operator, seller, type SellerFixture } from "./test-support";

const { db } = await createTestDatabase();

const categoryId = async (slug: string) => (await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;

let s: Record<"oldFr" | "midDe" | "newFr" | "infoBe" | "active" | "suspended" | "rejected" | "legacyActive", SellerFixture>;

beforeAll(async () => {
  s = {
    newFr: await seller(db, { submittedAt: "2030-03-10T23:59:59Z", country: "FR", categorySlugs: ["tools-hand", "packaging-film"] }),
    oldFr: await seller(db, { submittedAt: "2030-03-01T00:00:00Z", country: "FR", categorySlugs: ["packaging-boxes"] }),
    midDe: await seller(db, { submittedAt: "2030-03-05T12:00:00Z", country: "DE", categorySlugs: ["tools-power"] }),
    infoBe: await seller(db, { status: "info_requested", submittedAt: "2030-03-02T08:00:00Z", country: "BE", categorySlugs: ["safety-gloves"] }),
    active: await seller(db, { status: "active", submittedAt: "2030-01-15T08:00:00Z", country: "GB", categorySlugs: ["tools"] }),
    suspended: await seller(db, { status: "suspended", submittedAt: "2030-01-20T08:00:00Z", country: "FR" }),
    rejected: await seller(db, { status: "rejected", submittedAt: "2030-02-01T08:00:00Z", country: "MA" }),
    // Activated before the review existed: no application at all, still a seller operators must see.
    legacyActive: await seller(db, { status: "active", withoutApplication: true }),
  };
  // Neither a draft nor a buyer is in the queue.
  await seller(db, { submittedAt: null, country: "FR" });
  await memberOf(db, "buyer", "admin");
});

const ids = (list: { items: { organizationId: string }[] }) => list.items.map((i) => i.organizationId);

describe("listSellerApplications", () => {
  test("shows submitted applications and decided sellers, those waiting for a decision first, oldest submission first", async () => {
    const moderator = await operator(db, "moderator");
    const list = await listSellerApplications(moderator, {});
    expect(ids(list)).toEqual([s.oldFr.id, s.midDe.id, s.newFr.id, s.active.id, s.suspended.id, s.rejected.id, s.infoBe.id, s.legacyActive.id]);
    expect(list.counts).toEqual({ pending: 3, info_requested: 1, active: 2, suspended: 1, rejected: 1 });
    expect(list).toMatchObject({ page: 1, pageSize: SELLER_QUEUE_PAGE_SIZE, total: 8 });
    const first = list.items.find((i) => i.organizationId === s.newFr.id);
    expect(first).toMatchObject({ name: s.newFr.name, legalName: `${s.newFr.name} SARL`, country: "FR", status: "pending", submittedAt: new Date("2030-03-10T23:59:59Z") });
    // Categories in tree order (packaging comes before tools), with both languages' names.
    expect(first?.categories.map((c) => [c.nameEn, c.nameFr])).toEqual([
      ["Films and wraps", "Films et sacs"],
      ["Hand tools", "Outillage à main"],
    ]);
    expect(list.items.find((i) => i.organizationId === s.legacyActive.id)).toMatchObject({ legalName: "", country: "", submittedAt: null, categories: [] });
  });

  test("filters by status; the counts stay those of every status", async () => {
    const admin = await operator(db, "admin");
    const pending = await listSellerApplications(admin, { status: "pending" });
    expect(ids(pending)).toEqual([s.oldFr.id, s.midDe.id, s.newFr.id]);
    expect(pending.total).toBe(3);
    expect(pending.counts.active).toBe(2);
    expect(ids(await listSellerApplications(admin, { status: "info_requested" }))).toEqual([s.infoBe.id]);
  });

  test("filters by country (any case) and by category, a parent category including its children; counts follow", async () => {
    const admin = await operator(db, "admin");
    const fr = await listSellerApplications(admin, { country: " fr " });
    expect(ids(fr)).toEqual([s.oldFr.id, s.newFr.id, s.suspended.id]);
    expect(fr.counts).toEqual({ pending: 2, info_requested: 0, active: 0, suspended: 1, rejected: 0 });

    expect(ids(await listSellerApplications(admin, { categoryId: await categoryId("tools") }))).toEqual([s.midDe.id, s.newFr.id, s.active.id]);
    expect(ids(await listSellerApplications(admin, { categoryId: await categoryId("tools-power") }))).toEqual([s.midDe.id]);
    expect(ids(await listSellerApplications(admin, { categoryId: await categoryId("tools"), country: "FR", status: "pending" }))).toEqual([s.newFr.id]);
  });

  test("filters by submission days, both ends included (UTC)", async () => {
    const admin = await operator(db, "admin");
    const march = await listSellerApplications(admin, { submittedFrom: "2030-03-01", submittedTo: "2030-03-10" });
    expect(ids(march)).toEqual([s.oldFr.id, s.midDe.id, s.newFr.id, s.infoBe.id]);
    expect(ids(await listSellerApplications(admin, { submittedFrom: "2030-03-05", submittedTo: "2030-03-05" }))).toEqual([s.midDe.id]);
    expect(ids(await listSellerApplications(admin, { submittedTo: "2030-01-31" }))).toEqual([s.active.id, s.suspended.id]);
  });

  test("empty filters mean no filter; bad ones are field errors with message keys", async () => {
    const admin = await operator(db, "admin");
    expect((await listSellerApplications(admin, { status: "", country: "", categoryId: "", submittedFrom: "", submittedTo: "", page: "" })).total).toBe(8);
    const error = await domainErrorOf(
      listSellerApplications(admin, { status: "banned", country: "France", categoryId: "tools", submittedFrom: "2030-02-30", page: "0" }),
    );
    expect(error).toMatchObject({
      code: "VALIDATION",
      fieldErrors: {
        status: ["review.filter.status_invalid"],
        country: ["review.filter.country_invalid"],
        categoryId: ["review.filter.category_invalid"],
        submittedFrom: ["review.filter.date_invalid"],
        page: ["review.filter.page_invalid"],
      },
    });
    const range = await domainErrorOf(listSellerApplications(admin, { submittedFrom: "2030-03-10", submittedTo: "2030-03-01" }));
    expect(range.fieldErrors).toEqual({ submittedTo: ["review.filter.range_invalid"] });
  });

  test("pages through the queue", async () => {
    const { db: pagedDb } = await createTestDatabase();
    const admin = await operator(pagedDb, "admin");
    const created: string[] = [];
    for (let i = 0; i < SELLER_QUEUE_PAGE_SIZE + 3; i += 1) {
      created.push((await seller(pagedDb, { submittedAt: new Date(Date.UTC(2030, 0, 1, 0, i)) })).id);
    }
    const first = await listSellerApplications(admin, { page: "1" });
    const second = await listSellerApplications(admin, { page: "2" });
    expect(first.items).toHaveLength(SELLER_QUEUE_PAGE_SIZE);
    expect(ids(second)).toEqual(created.slice(SELLER_QUEUE_PAGE_SIZE));
    expect([first.total, second.total, second.page]).toEqual([created.length, created.length, 2]);
    expect((await listSellerApplications(admin, { page: "9" })).items).toEqual([]);
  });

  test("offers the countries of the applications and the category tree as filters", async () => {
    const admin = await operator(db, "admin");
    const { facets } = await listSellerApplications(admin, {});
    expect(facets.countries).toEqual(["BE", "DE", "FR", "GB", "MA"]);
    const slugs = facets.categories.map((c) => c.slug);
    expect(slugs.slice(0, 3)).toEqual(["office", "office-paper", "office-furniture"]);
    expect(facets.categories.filter((c) => c.parentId === null)).toHaveLength(10);
    expect(slugs.indexOf("tools-hand")).toBe(slugs.indexOf("tools") + 1);
  });

  test("is for operators who review sellers: finance, sellers and buyers are refused", async () => {
    for (const actor of [await operator(db, "finance"), asOwner(db, s.active), await memberOf(db, "buyer", "admin")]) {
      expect((await domainErrorOf(listSellerApplications(actor, {}))).code).toBe("FORBIDDEN");
    }
  });
});
