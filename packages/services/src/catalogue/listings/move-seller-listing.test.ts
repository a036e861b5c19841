import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { decideSeller } from "../../vetting/decide-seller";
import { operator, statusOf } from "../../vetting/test-support";
import { getSellerListing } from "./get-seller-listing";
import { moveSellerListing } from "./move-seller-listing";
import { categoryIdOf, insertListing, listingRow, listingRowCounts, listingSeller, syncRowsFor, untilSomeoneWaitsForALock } from "./test-support";

const { db } = await createTestDatabase();
const boxes = await categoryIdOf(db, "packaging-boxes");

describe("moveSellerListing", () => {
  test("publish, unlist, publish again: each move a new version, an audit row and a search sync", async () => {
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes, { title: "Kraft tape" });

    expect(await moveSellerListing(s.sales, { listingId: id, move: " publish " })).toEqual({ status: "published" });
    expect(await listingRow(db, id)).toMatchObject({ status: "published", version: 2 });
    expect((await getSellerListing(s.sales, { listingId: id })).availableMoves).toEqual(["unlist"]);
    expect(await moveSellerListing(s.owner, { listingId: id, move: "unlist" })).toEqual({ status: "unlisted" });
    expect(await moveSellerListing(s.sales, { listingId: id, move: "publish" })).toEqual({ status: "published" });
    expect(await listingRow(db, id)).toMatchObject({ status: "published", version: 4 });
    expect(await syncRowsFor(db, id)).toBe(3);

    const audit = await db.selectFrom("audit_log").selectAll().where("target_id", "=", id).orderBy("id").execute();
    expect(audit.map((a) => [a.action, a.actor_user_id, a.organization_id, a.target_type, (a.data as { from: string; to: string }).from, (a.data as { to: string }).to])).toEqual([
      ["listing.published", s.salesUserId, s.id, "listing", "draft", "published"],
      ["listing.unlisted", s.owners[0]?.userId, s.id, "listing", "published", "unlisted"],
      ["listing.published", s.salesUserId, s.id, "listing", "unlisted", "published"],
    ]);
    expect(audit[0]).toMatchObject({ ip: s.sales.request.ip, data: { sku: expect.any(String), title: "Kraft tape" } });
  });

  test.each([
    ["draft", "unlist"],
    ["published", "publish"],
    ["unlisted", "unlist"],
    ["blocked", "publish"],
    ["blocked", "unlist"],
  ] as const)("a %s listing cannot be moved by %s: ILLEGAL_TRANSITION, nothing written", async (status, move) => {
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes, { status });
    const before = await listingRowCounts(db);
    const error = await domainErrorOf(moveSellerListing(s.sales, { listingId: id, move }));
    expect(error).toMatchObject({ code: "ILLEGAL_TRANSITION", fieldErrors: { move: ["listing.illegal_transition"] } });
    expect(await listingRowCounts(db)).toEqual(before);
    expect(await listingRow(db, id)).toMatchObject({ status, version: 1 });
  });

  test.each(["pending", "info_requested", "suspended", "rejected"] as const)("a %s seller cannot publish (FORBIDDEN listing.seller_not_active), but may unlist", async (status) => {
    const s = await listingSeller(db, { status });
    const draft = await insertListing(db, s.id, boxes);
    const before = await listingRowCounts(db);
    const error = await domainErrorOf(moveSellerListing(s.sales, { listingId: draft, move: "publish" }));
    expect(error).toMatchObject({ code: "FORBIDDEN", message: "listing.seller_not_active", fieldErrors: { move: ["listing.seller_not_active"] } });
    expect(await listingRowCounts(db)).toEqual(before);
    expect(await getSellerListing(s.sales, { listingId: draft })).toMatchObject({ status: "draft", availableMoves: [], sellerActive: false });

    const published = await insertListing(db, s.id, boxes, { status: "published" });
    expect(await moveSellerListing(s.sales, { listingId: published, move: "unlist" })).toEqual({ status: "unlisted" });
  });

  test("a missing or unknown move is a field error", async () => {
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes);
    expect((await domainErrorOf(moveSellerListing(s.sales, { listingId: id }))).fieldErrors).toEqual({ move: ["listing.move_required"] });
    for (const move of ["block", "unblock", "delete"]) {
      expect((await domainErrorOf(moveSellerListing(s.sales, { listingId: id, move }))).fieldErrors).toEqual({ move: ["listing.move_invalid"] });
    }
    expect((await listingRow(db, id)).status).toBe("draft");
  });
});

describe("a publish racing the seller's suspension", () => {
  test("a suspension in progress makes the publish wait, then refuse: the listing stays a draft", async () => {
    const admin = await operator(db, "admin");
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes);
    let publish: Promise<unknown> = Promise.resolve();
    await db.transaction().execute(async (trx) => {
      await decideSeller({ ...admin, db: trx }, { organizationId: s.id, decision: "suspend", message: "Counterfeit goods." });
      // Handled at once: its refusal may settle as this transaction commits, before the expect below.
      publish = domainErrorOf(moveSellerListing(s.sales, { listingId: id, move: "publish" }));
      // Without the lock on the organisation the publish would have read "active" and gone through.
      await untilSomeoneWaitsForALock(db);
    });
    expect(await publish).toMatchObject({ code: "FORBIDDEN", message: "listing.seller_not_active" });
    expect(await listingRow(db, id)).toMatchObject({ status: "draft", version: 1 });
    expect(await syncRowsFor(db, id)).toBe(0);
  });

  test("a publish in progress makes the suspension wait: it lands after the publish, whose listing then leaves search through the seller's sync", async () => {
    const admin = await operator(db, "admin");
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes);
    let suspension: Promise<unknown> = Promise.resolve();
    await db.transaction().execute(async (trx) => {
      await moveSellerListing({ ...s.sales, db: trx }, { listingId: id, move: "publish" });
      // Handled at once (a failure would otherwise be an unhandled rejection while this transaction ends).
      suspension = decideSeller(admin, { organizationId: s.id, decision: "suspend", message: "Counterfeit goods." }).catch((error: unknown) => error);
      await untilSomeoneWaitsForALock(db);
      expect(await statusOf(db, s.id)).toBe("active");
    });
    expect(await suspension).toMatchObject({ to: "suspended" });
    expect(await statusOf(db, s.id)).toBe("suspended");
    expect((await listingRow(db, id)).status).toBe("published");
    const events = await db.selectFrom("outbox").select("payload").where("topic", "=", "seller.suspended").execute();
    expect(events.map((e) => (e.payload as { organizationId: string }).organizationId)).toContain(s.id);
  });

  test("run at the same time, the outcome is always one of the two orders", async () => {
    for (let round = 0; round < 5; round += 1) {
      const admin = await operator(db, "moderator");
      const s = await listingSeller(db);
      const id = await insertListing(db, s.id, boxes);
      const [published, suspended] = await Promise.allSettled([
        moveSellerListing(s.sales, { listingId: id, move: "publish" }),
        decideSeller(admin, { organizationId: s.id, decision: "suspend", message: "Fraud." }),
      ]);
      expect(suspended.status).toBe("fulfilled");
      const status = (await listingRow(db, id)).status;
      if (published.status === "fulfilled") expect(status).toBe("published");
      else expect([published.reason, status]).toEqual([expect.objectContaining({ message: "listing.seller_not_active" }), "draft"]);
    }
  });
});
