import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { listing, group } from "../../catalogue/pricing/test-support";
import { operator } from "../../vetting/test-support";
import { cancelRfq } from "./cancel-rfq";
import { createRfq } from "./create-rfq";
import { findSellersToInvite } from "./find-sellers-to-invite";
import { getBuyerRfq } from "./get-buyer-rfq";
import { listBuyerRfqs } from "./list-buyer-rfqs";
import { prefillRfqFromListing } from "./prefill-rfq-from-listing";
import { publishRfq } from "./publish-rfq";
import { zonedInstant } from "./rfq-input";
import { activeSeller, buyerMember, categoryIdOf, colleague, insertOffer, lineIdsOf, localIn, noticesOf, rfqForm, rfqRow, rfqRowCounts } from "./test-support";
import { updateRfq } from "./update-rfq";

const { db } = await createTestDatabase();
const boxes = await categoryIdOf(db, "packaging-boxes");

async function closeRows(rfqId: string) {
  return db.selectFrom("outbox").select(["payload", "available_at"]).where("topic", "=", "rfq.close").where(sql<boolean>`payload ->> 'rfqId' = ${rfqId}`).orderBy("id").execute();
}

describe("the deadline's wall-clock time", () => {
  test("is read in the form's time zone, summer and winter, and refused when it is no real date", () => {
    expect(zonedInstant("2031-06-01T10:00", "Europe/Paris")?.toISOString()).toBe("2031-06-01T08:00:00.000Z");
    expect(zonedInstant("2031-01-15T10:00", "Europe/Paris")?.toISOString()).toBe("2031-01-15T09:00:00.000Z");
    expect(zonedInstant("2031-01-15T10:00", "America/New_York")?.toISOString()).toBe("2031-01-15T15:00:00.000Z");
    expect(zonedInstant("2031-01-15T10:00", "UTC")?.toISOString()).toBe("2031-01-15T10:00:00.000Z");
    // Skipped by the change to summer time: an hour later.
    expect(zonedInstant("2031-03-30T02:30", "Europe/Paris")?.toISOString()).toBe("2031-03-30T01:30:00.000Z");
    expect(zonedInstant("2031-02-30T10:00", "UTC")).toBeNull();
    expect(zonedInstant("2031-01-15T24:00", "UTC")).toBeNull();
    expect(zonedInstant("15/01/2031 10:00", "UTC")).toBeNull();
  });
});

describe("creating and publishing an RFQ", () => {
  test("a draft with its lines and invitations; publishing opens it, schedules the close at the deadline and tells the invited sellers", async () => {
    const purchaser = await buyerMember(db);
    const invited = await activeSeller(db, { categorySlugs: ["office-paper"] });
    const bystander = await activeSeller(db);
    const form = rfqForm(boxes, { "lines.0.targetPrice": "1,25", "lines.3.description": "  ", invitedSellerIds: [invited.id.toUpperCase()], antiSnipingMinutes: "5", antiSnipingMax: "3" });
    const { id, status } = await createRfq(purchaser, form);
    expect(status).toBe("draft");

    const row = await rfqRow(db, id);
    expect(row).toMatchObject({ status: "draft", buyer_id: purchaser.actor.organizationId, title: "Corrugated boxes for the spring season", currency: "EUR", incoterm: "DAP", visibility: "open", sealing: "sealed", anti_sniping_minutes: 5, anti_sniping_max: 3, version: 1, published_at: null });
    expect(row.deadline?.toISOString().slice(0, 16)).toBe(form.deadline);
    const lines = await db.selectFrom("rfq_lines").select(["position", "description", "quantity", "unit", "target_price_minor"]).where("rfq_id", "=", id).orderBy("position").execute();
    expect(lines).toEqual([
      { position: 0, description: "Box 40x30x20", quantity: 1000, unit: "box", target_price_minor: "125" },
      { position: 1, description: "Box 60x40x40", quantity: 500, unit: "box", target_price_minor: null },
    ]);
    expect(await db.selectFrom("rfq_invitations").select("seller_id").where("rfq_id", "=", id).execute()).toEqual([{ seller_id: invited.id }]);
    // A draft is seen by no seller and schedules nothing.
    expect(await closeRows(id)).toEqual([]);
    expect(await noticesOf(db, invited.id, "rfq.invited")).toEqual([]);

    const published = await publishRfq(purchaser, { rfqId: id });
    expect(published).toEqual({ id, status: "open", deadline: row.deadline });
    const after = await rfqRow(db, id);
    expect(after).toMatchObject({ status: "open", version: 2 });
    expect(after.published_at).not.toBeNull();
    expect(await closeRows(id)).toEqual([{ payload: { rfqId: id }, available_at: row.deadline }]);
    // Owner and sales of the invited seller, by e-mail (outbox) and in the app.
    const notices = await noticesOf(db, invited.id, "rfq.invited");
    expect(notices).toHaveLength(2);
    expect(notices[0]?.subject).toContain("Corrugated boxes for the spring season");
    expect(await noticesOf(db, bystander.id, "rfq.invited")).toEqual([]);
    const mails = await db.selectFrom("outbox").select("payload").where("topic", "=", "notification.email").where(sql<boolean>`payload ->> 'template' = 'rfq.invited'`).execute();
    expect(mails).toHaveLength(2);
  });

  test("publish at once from the form", async () => {
    const purchaser = await buyerMember(db);
    const { id, status } = await createRfq(purchaser, { ...rfqForm(boxes), intent: "publish" });
    expect(status).toBe("open");
    const row = await rfqRow(db, id);
    expect(row.status).toBe("open");
    expect((await closeRows(id)).map((r) => r.available_at)).toEqual([row.deadline]);
  });

  test("every problem of the form at once, field by field, and nothing written", async () => {
    const purchaser = await buyerMember(db);
    const suspended = await activeSeller(db, { status: "suspended" });
    const before = await rfqRowCounts(db);
    const error = await domainErrorOf(
      createRfq(purchaser, {
        ...rfqForm(randomUUID(), {
          title: "   ",
          currency: "EUR",
          incoterm: "XYZ",
          deadline: localIn(-10),
          visibility: "invited",
          invitedSellerIds: [suspended.id],
          sealing: "sealed",
          antiSnipingMinutes: "5",
          "lines.0.quantity": "0",
          "lines.0.targetPrice": "1.234",
          "lines.1.quantity": "-3",
          "lines.2.description": "Tape",
          "lines.2.unit": "",
          "lines.2.quantity": "2.5",
          "lines.2.targetPrice": "-1",
          "lines.2.listingId": randomUUID(),
        }),
        intent: "publish",
      }),
    );
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({
      title: ["rfq.title_required"],
      incoterm: ["rfq.incoterm_invalid"],
      categoryId: ["rfq.category_unknown"],
      invitedSellerIds: ["rfq.invited_seller_inactive"],
      antiSnipingMax: ["rfq.anti_sniping_max_invalid"],
      deadline: ["rfq.deadline_in_past"],
      "lines.0.quantity": ["rfq.line_quantity_invalid"],
      "lines.0.targetPrice": ["rfq.line_target_price_decimals"],
      "lines.1.quantity": ["rfq.line_quantity_invalid"],
      "lines.2.unit": ["rfq.line_unit_required"],
      "lines.2.quantity": ["rfq.line_quantity_invalid"],
      "lines.2.targetPrice": ["rfq.line_target_price_not_positive"],
      "lines.2.listingId": ["rfq.line_listing_unknown"],
    });
    expect(await rfqRowCounts(db)).toEqual(before);
  });

  test("a draft may leave the deadline out but not set it in the past; no line, blank rows only, or an RFQ by invitation without a seller are refused", async () => {
    const purchaser = await buyerMember(db);
    const before = await rfqRowCounts(db);
    const noDeadline = await createRfq(purchaser, rfqForm(boxes, { deadline: "" }));
    expect((await rfqRow(db, noDeadline.id)).deadline).toBeNull();
    // But it cannot be published without one.
    expect((await domainErrorOf(publishRfq(purchaser, { rfqId: noDeadline.id }))).fieldErrors).toEqual({ deadline: ["rfq.deadline_required"] });
    await db.deleteFrom("rfqs").where("id", "=", noDeadline.id).execute();

    const past = await domainErrorOf(createRfq(purchaser, rfqForm(boxes, { deadline: localIn(-1) })));
    expect(past.fieldErrors).toEqual({ deadline: ["rfq.deadline_in_past"] });
    const tooFar = await domainErrorOf(createRfq(purchaser, rfqForm(boxes, { deadline: localIn(400 * 24 * 60) })));
    expect(tooFar.fieldErrors).toEqual({ deadline: ["rfq.deadline_too_far"] });
    const badZone = await domainErrorOf(createRfq(purchaser, rfqForm(boxes, { timeZone: "Mars/Olympus" })));
    expect(badZone.fieldErrors).toEqual({ timeZone: ["rfq.time_zone_invalid"] });
    const blanks = {
      ...rfqForm(boxes),
      "lines.0.description": "",
      "lines.0.quantity": "",
      "lines.0.unit": "",
      "lines.0.targetPrice": "",
      "lines.1.description": " ",
      "lines.1.quantity": "",
      "lines.1.unit": "",
    };
    expect((await domainErrorOf(createRfq(purchaser, blanks))).fieldErrors).toEqual({ lines: ["rfq.lines_required"] });
    expect((await domainErrorOf(createRfq(purchaser, rfqForm(boxes, { visibility: "invited" })))).fieldErrors).toEqual({ invitedSellerIds: ["rfq.invited_sellers_required"] });
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [[`lines.${i}.description`, `Line ${i}`], [`lines.${i}.quantity`, "1"], [`lines.${i}.unit`, "pc"]]).flat());
    expect((await domainErrorOf(createRfq(purchaser, { ...rfqForm(boxes), ...many }))).fieldErrors).toEqual({ lines: ["rfq.lines_too_many"] });
    // Three decimals in a currency of three (TND) are fine; four are not.
    const tnd = await createRfq(purchaser, rfqForm(boxes, { currency: "TND", "lines.0.targetPrice": "1.234" }));
    expect((await db.selectFrom("rfq_lines").select("target_price_minor").where("rfq_id", "=", tnd.id).where("position", "=", 0).executeTakeFirstOrThrow()).target_price_minor).toBe("1234");
    await db.deleteFrom("rfqs").where("id", "=", tnd.id).execute();
    expect((await domainErrorOf(createRfq(purchaser, rfqForm(boxes, { currency: "JPY", "lines.0.targetPrice": "10.5" })))).fieldErrors).toEqual({ "lines.0.targetPrice": ["rfq.line_target_price_decimals"] });
    expect(await rfqRowCounts(db)).toEqual(before);
  });

  test("a linked listing must be one the buyer may see; the provenance listing is kept when it is", async () => {
    const purchaser = await buyerMember(db);
    const s = await activeSeller(db);
    const visible = await listing(db, s.id);
    const restricted = await listing(db, s.id, { groupIds: [await group(db, s.id)] });
    const refused = await domainErrorOf(createRfq(purchaser, rfqForm(boxes, { "lines.0.listingId": restricted.id })));
    expect(refused.fieldErrors).toEqual({ "lines.0.listingId": ["rfq.line_listing_unknown"] });
    const { id } = await createRfq(purchaser, rfqForm(boxes, { "lines.1.listingId": visible.id, sourceListingId: visible.id }));
    expect((await rfqRow(db, id)).source_listing_id).toBe(visible.id);
    const view = await getBuyerRfq(purchaser, { rfqId: id });
    expect(view.lines[1]?.listing?.id).toBe(visible.id);
    expect(view.sourceListing?.id).toBe(visible.id);
  });
});

describe("editing an RFQ", () => {
  test("a draft: lines keep their ids by position, extra rows go, invitations follow the form, the version goes up", async () => {
    const purchaser = await buyerMember(db);
    const a = await activeSeller(db);
    const b = await activeSeller(db);
    const { id } = await createRfq(purchaser, rfqForm(boxes, { invitedSellerIds: [a.id] }));
    const [first] = await lineIdsOf(db, id);
    const result = await updateRfq(purchaser, { ...rfqForm(boxes, { title: "Boxes, revised", "lines.0.quantity": "1200", "lines.1.description": "", "lines.1.quantity": "", "lines.1.unit": "", invitedSellerIds: [b.id] }), rfqId: id, version: "1" });
    expect(result).toEqual({ id, status: "draft", version: 2 });
    const lines = await db.selectFrom("rfq_lines").select(["id", "quantity"]).where("rfq_id", "=", id).execute();
    expect(lines).toEqual([{ id: first, quantity: 1200 }]);
    expect((await db.selectFrom("rfq_invitations").select("seller_id").where("rfq_id", "=", id).execute()).map((r) => r.seller_id)).toEqual([b.id]);
    // A form read at an older version is refused.
    const stale = await domainErrorOf(updateRfq(purchaser, { ...rfqForm(boxes), rfqId: id, version: "1" }));
    expect(stale).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.version_conflict"] } });
    // Save and publish in one go.
    const published = await updateRfq(purchaser, { ...rfqForm(boxes), rfqId: id, intent: "publish" });
    expect(published).toMatchObject({ status: "open", version: 4 });
  });

  test("an open RFQ without offers: a new deadline schedules a new close; with a live offer the edit is refused and nothing changes", async () => {
    const purchaser = await buyerMember(db);
    const s = await activeSeller(db);
    const { id } = await createRfq(purchaser, { ...rfqForm(boxes), intent: "publish" });
    const deadline = localIn(3 * 24 * 60);
    await updateRfq(purchaser, { ...rfqForm(boxes, { deadline }), rfqId: id });
    const rows = await closeRows(id);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.available_at.toISOString().slice(0, 16)).toBe(deadline);
    // Same deadline again: no new close.
    await updateRfq(purchaser, { ...rfqForm(boxes, { deadline, title: "Another title" }), rfqId: id });
    expect(await closeRows(id)).toHaveLength(2);
    // An open RFQ needs a deadline.
    expect((await domainErrorOf(updateRfq(purchaser, { ...rfqForm(boxes, { deadline: "" }), rfqId: id }))).fieldErrors).toEqual({ deadline: ["rfq.deadline_required"] });

    // A withdrawn offer does not block; a live one does.
    const [line] = await lineIdsOf(db, id);
    const offerId = await insertOffer(db, id, s.id, { status: "withdrawn", lines: [[line as string, 10, 100]] });
    await updateRfq(purchaser, { ...rfqForm(boxes, { deadline, title: "Still editable" }), rfqId: id });
    await db.updateTable("offers").set({ status: "submitted" }).where("id", "=", offerId).execute();
    const row = await rfqRow(db, id);
    const before = await rfqRowCounts(db);
    const refused = await domainErrorOf(updateRfq(purchaser, { ...rfqForm(boxes, { title: "Too late" }), rfqId: id }));
    expect(refused).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.has_offers"] } });
    expect(await rfqRow(db, id)).toEqual(row);
    expect(await rfqRowCounts(db)).toEqual(before);
    expect((await getBuyerRfq(purchaser, { rfqId: id })).can.edit).toBe(false);
  });

  test("an open RFQ whose deadline has come takes no edit; a closed, awarded or cancelled one none at all", async () => {
    const purchaser = await buyerMember(db);
    const { id } = await createRfq(purchaser, { ...rfqForm(boxes), intent: "publish" });
    await db.updateTable("rfqs").set({ deadline: sql<Date>`now() - interval '1 second'` }).where("id", "=", id).execute();
    expect(await domainErrorOf(updateRfq(purchaser, { ...rfqForm(boxes), rfqId: id }))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.deadline_passed"] } });
    for (const status of ["closed", "awarded", "cancelled"] as const) {
      await db.updateTable("rfqs").set({ status, cancel_reason: status === "cancelled" ? "x" : null }).where("id", "=", id).execute();
      expect(await domainErrorOf(updateRfq(purchaser, { ...rfqForm(boxes), rfqId: id }))).toMatchObject({ code: "ILLEGAL_TRANSITION" });
    }
  });

  test("publishing: only a draft, with a deadline still ahead by the database clock, and invited sellers still active", async () => {
    const purchaser = await buyerMember(db);
    const s = await activeSeller(db);
    const { id } = await createRfq(purchaser, rfqForm(boxes, { visibility: "invited", invitedSellerIds: [s.id] }));
    // The deadline passes while it is a draft.
    await db.updateTable("rfqs").set({ deadline: sql<Date>`now() - interval '1 second'` }).where("id", "=", id).execute();
    const before = await rfqRowCounts(db);
    expect((await domainErrorOf(publishRfq(purchaser, { rfqId: id }))).fieldErrors).toEqual({ deadline: ["rfq.deadline_in_past"] });
    await db.updateTable("rfqs").set({ deadline: sql<Date>`now() + interval '1 day'` }).where("id", "=", id).execute();
    await db.updateTable("organizations").set({ status: "suspended" }).where("id", "=", s.id).execute();
    expect((await domainErrorOf(publishRfq(purchaser, { rfqId: id }))).fieldErrors).toEqual({ invitedSellerIds: ["rfq.invited_seller_inactive"] });
    expect(await rfqRowCounts(db)).toEqual(before);
    await db.updateTable("organizations").set({ status: "active" }).where("id", "=", s.id).execute();
    await publishRfq(purchaser, { rfqId: id });
    expect(await domainErrorOf(publishRfq(purchaser, { rfqId: id }))).toMatchObject({ code: "ILLEGAL_TRANSITION" });
  });
});

describe("cancelling an RFQ", () => {
  test("a reason is required; the invited and offering sellers are told with it; nothing is revealed; a closed RFQ cannot be cancelled", async () => {
    const purchaser = await buyerMember(db);
    const invited = await activeSeller(db, { categorySlugs: ["office-paper"] });
    const offering = await activeSeller(db);
    const bystander = await activeSeller(db);
    const { id } = await createRfq(purchaser, { ...rfqForm(boxes, { invitedSellerIds: [invited.id] }), intent: "publish" });
    const [line] = await lineIdsOf(db, id);
    await insertOffer(db, id, offering.id, { lines: [[line as string, 1000, 99]] });

    const before = await rfqRowCounts(db);
    expect((await domainErrorOf(cancelRfq(purchaser, { rfqId: id, reason: "  " }))).fieldErrors).toEqual({ reason: ["rfq.reason_required"] });
    expect(await rfqRowCounts(db)).toEqual(before);

    expect(await cancelRfq(purchaser, { rfqId: id, reason: "Budget withdrawn." })).toEqual({ id, status: "cancelled" });
    expect(await rfqRow(db, id)).toMatchObject({ status: "cancelled", cancel_reason: "Budget withdrawn." });
    for (const s of [invited, offering]) {
      const notices = await noticesOf(db, s.id, "rfq.cancelled");
      expect(notices).toHaveLength(2);
      expect(notices[0]?.body).toContain("Budget withdrawn.");
      expect(notices[0]?.body).not.toContain("0.99");
    }
    expect(await noticesOf(db, bystander.id, "rfq.cancelled")).toEqual([]);
    expect(await domainErrorOf(cancelRfq(purchaser, { rfqId: id, reason: "Again" }))).toMatchObject({ code: "ILLEGAL_TRANSITION" });

    const draft = await createRfq(purchaser, rfqForm(boxes, { invitedSellerIds: [invited.id] }));
    await cancelRfq(purchaser, { rfqId: draft.id, reason: "Not needed" });
    // A draft was never shown to anyone: nobody is told.
    expect(await noticesOf(db, invited.id, "rfq.cancelled")).toHaveLength(2);
  });
});

describe("who may do what", () => {
  test("another buyer's RFQ is NOT_FOUND for every use case and nothing changes; sellers and operators are refused; a viewer reads but does not write", async () => {
    const owner = await buyerMember(db);
    const other = await buyerMember(db);
    const { id } = await createRfq(owner, rfqForm(boxes));
    const before = await rfqRowCounts(db);
    const row = await rfqRow(db, id);
    const calls = [
      () => getBuyerRfq(other, { rfqId: id }),
      () => updateRfq(other, { ...rfqForm(boxes), rfqId: id }),
      () => publishRfq(other, { rfqId: id }),
      () => cancelRfq(other, { rfqId: id, reason: "Mine now" }),
      () => getBuyerRfq(owner, { rfqId: "not-a-uuid" }),
      () => getBuyerRfq(owner, { rfqId: randomUUID() }),
    ];
    for (const call of calls) expect((await domainErrorOf(call())).code).toBe("NOT_FOUND");
    expect((await listBuyerRfqs(other, {})).items).toEqual([]);
    expect(await rfqRow(db, id)).toEqual(row);
    expect(await rfqRowCounts(db)).toEqual(before);

    const s = await activeSeller(db);
    const op = await operator(db, "admin");
    for (const actor of [s.deps, op]) {
      for (const call of [() => createRfq(actor, rfqForm(boxes)), () => getBuyerRfq(actor, { rfqId: id }), () => listBuyerRfqs(actor, {}), () => publishRfq(actor, { rfqId: id })]) {
        expect((await domainErrorOf(call())).code).toBe("FORBIDDEN");
      }
    }
    const viewer = await colleague(db, owner, "viewer");
    expect((await getBuyerRfq(viewer, { rfqId: id })).moves).toEqual([]);
    expect((await domainErrorOf(updateRfq(viewer, { ...rfqForm(boxes), rfqId: id }))).code).toBe("FORBIDDEN");
    // A member whose role was lowered after the request began is refused inside the transaction.
    const admin = await colleague(db, owner, "admin");
    await db.updateTable("memberships").set({ role: "viewer" }).where("user_id", "=", admin.actor.userId).execute();
    expect((await domainErrorOf(createRfq(admin, rfqForm(boxes)))).code).toBe("FORBIDDEN");
    expect(await rfqRowCounts(db)).toEqual(before);
  });
});

describe("the buyer's list of RFQs", () => {
  test("newest first, by status and text (title or reference), a page at a time, with counts per status and the offer count", async () => {
    const purchaser = await buyerMember(db);
    const s = await activeSeller(db);
    const ids: string[] = [];
    for (let i = 0; i < 23; i += 1) ids.push((await createRfq(purchaser, rfqForm(boxes, { title: `Pallets batch ${i}` }))).id);
    const open = await createRfq(purchaser, { ...rfqForm(boxes, { title: "Stretch film" }), intent: "publish" });
    const [line] = await lineIdsOf(db, open.id);
    await insertOffer(db, open.id, s.id, { lines: [[line as string, 5, 100]] });

    const first = await listBuyerRfqs(purchaser, {});
    expect(first.total).toBe(24);
    expect(first.items).toHaveLength(20);
    expect(first.items[0]).toMatchObject({ id: open.id, status: "open", offerCount: 1, lineCount: 2, categoryName: { en: "Boxes and cartons", fr: "Boîtes et cartons" } });
    expect(first.counts).toEqual({ draft: 23, open: 1, closed: 0, final_round: 0, awarded: 0, cancelled: 0 });
    const second = await listBuyerRfqs(purchaser, { page: "2" });
    expect(second.items).toHaveLength(4);
    expect(second.items.at(-1)?.id).toBe(ids[0]);
    expect((await listBuyerRfqs(purchaser, { status: "open" })).items.map((r) => r.id)).toEqual([open.id]);
    expect((await listBuyerRfqs(purchaser, { q: "batch 1" })).total).toBe(11);
    const reference = first.items[0]?.reference as string;
    expect(reference).toMatch(/^RFQ-\d{6}$/);
    expect((await listBuyerRfqs(purchaser, { q: reference })).items.map((r) => r.id)).toEqual([open.id]);
    expect((await listBuyerRfqs(purchaser, { q: "100%_" })).total).toBe(0);
    expect((await domainErrorOf(listBuyerRfqs(purchaser, { status: "won" }))).fieldErrors).toEqual({ status: ["rfq.filter.status_invalid"] });
    expect((await domainErrorOf(listBuyerRfqs(purchaser, { page: "0" }))).fieldErrors).toEqual({ page: ["rfq.filter.page_invalid"] });
  });
});

describe("inviting sellers and starting from a listing", () => {
  test("only active sellers are found by name, those serving the category first; chosen ones come back with their names", async () => {
    const purchaser = await buyerMember(db);
    const marker = `Zebra${Date.now()}`;
    const serving = await activeSeller(db);
    await db.updateTable("organizations").set({ name: `${marker} Cartons` }).where("id", "=", serving.id).execute();
    const other = await activeSeller(db, { categorySlugs: ["office-paper"] });
    await db.updateTable("organizations").set({ name: `${marker} Papers` }).where("id", "=", other.id).execute();
    const suspended = await activeSeller(db, { status: "suspended" });
    await db.updateTable("organizations").set({ name: `${marker} Suspended` }).where("id", "=", suspended.id).execute();
    const buyerOrg = await buyerMember(db);
    await db.updateTable("organizations").set({ name: `${marker} Buyer` }).where("id", "=", buyerOrg.actor.organizationId).execute();

    const found = await findSellersToInvite(purchaser, { q: marker.toLowerCase(), categoryId: boxes, selectedIds: [other.id, suspended.id, "junk"] });
    expect(found.matches).toEqual([
      { id: serving.id, name: `${marker} Cartons`, servesCategory: true },
      { id: other.id, name: `${marker} Papers`, servesCategory: false },
    ]);
    expect(found.selected).toEqual([{ id: other.id, name: `${marker} Papers`, servesCategory: false }]);
    expect((await findSellersToInvite(purchaser, { q: "z" })).matches).toEqual([]);
  });

  test("a listing the buyer may see gives title, category, currency and one linked line; any other is NOT_FOUND", async () => {
    const purchaser = await buyerMember(db);
    const s = await activeSeller(db);
    const visible = await listing(db, s.id, { title: "Kraft box 30x20", currency: "USD", minOrderQuantity: 50 });
    const hidden = await listing(db, s.id, { status: "draft" });
    const prefill = await prefillRfqFromListing(purchaser, { listingId: visible.id });
    expect(prefill).toMatchObject({
      sourceListingId: visible.id,
      title: "Kraft box 30x20",
      categoryId: boxes,
      currency: "USD",
      lines: [{ description: "Kraft box 30x20", quantity: "50", unit: "piece", targetPrice: "", listingId: visible.id }],
    });
    for (const listingId of [hidden.id, randomUUID(), "nope"]) expect((await domainErrorOf(prefillRfqFromListing(purchaser, { listingId }))).code).toBe("NOT_FOUND");
  });
});
