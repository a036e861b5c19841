import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { NotificationEmailPayload } from "@souk/jobs";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf, TEST_URLS } from "../../identity/test-support";
import { renderEmail } from "../../notifications/templates";
import { createLocalDiskStorage } from "../../storage/local-disk-storage";
import { memberOf, operator } from "../../vetting/test-support";
import { createListing } from "../listings/create-listing";
import { getSellerListing } from "../listings/get-seller-listing";
import { moveSellerListing } from "../listings/move-seller-listing";
import { categoryIdOf, insertListing, listingForm, listingRow, listingRowCounts, listingSeller, syncRowsFor } from "../listings/test-support";
import { updateListing } from "../listings/update-listing";
import { uploadListingImage } from "../listings/upload-listing-image";
import { getListingForModeration } from "./get-listing-for-moderation";
import { listListingsForModeration } from "./list-listings-for-moderation";
import { moderateListing } from "./moderate-listing";
import { readModeratedListingImage } from "./read-moderated-listing-image";

const { db } = await createTestDatabase();
const boxes = await categoryIdOf(db, "packaging-boxes");
const root = await mkdtemp(path.join(tmpdir(), "souk-moderation-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const storage = createLocalDiskStorage(root);

const emailsTo = async (sellerId: string) =>
  (await db.selectFrom("outbox").select("payload").where("topic", "=", "notification.email").orderBy("id").execute())
    .map((r) => r.payload as NotificationEmailPayload)
    .filter((p) => p.organizationId === sellerId);

describe("moderateListing", () => {
  test("a moderator blocks a published listing with a reason: status, reason, version, sync, audit, e-mail and in-app notice to every owner in their language", async () => {
    const moderator = await operator(db, "moderator");
    const s = await listingSeller(db, { ownerLocales: ["en", "fr"] });
    const { id } = await createListing(s.sales, listingForm(boxes, { title: "Kraft box 40x30" }));
    await moveSellerListing(s.sales, { listingId: id, move: "publish" });
    const syncs = await syncRowsFor(db, id);

    const reason = "Counterfeit brand in the photos.\nRemove the logo.";
    expect(await moderateListing(moderator, { listingId: id, move: "block", reason: `  ${reason} ` })).toEqual({ status: "blocked" });
    expect(await listingRow(db, id)).toMatchObject({ status: "blocked", blocked_reason: reason, version: 3 });
    expect(await syncRowsFor(db, id)).toBe(syncs + 1);

    const audit = await db.selectFrom("audit_log").selectAll().where("target_id", "=", id).where("action", "=", "listing.blocked").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_user_id: moderator.actor.userId,
      actor_organization_id: moderator.actor.organizationId,
      organization_id: s.id,
      target_type: "listing",
      reason,
      ip: moderator.request.ip,
      data: { from: "published", to: "blocked", title: "Kraft box 40x30", sellerName: s.name },
    });

    const emails = await emailsTo(s.id);
    expect(emails.map((e) => [e.template, e.to, e.locale, e.userId])).toEqual(
      expect.arrayContaining(s.owners.map((o) => ["listing.blocked", o.email, o.locale, o.userId])),
    );
    expect(emails).toHaveLength(2);
    for (const email of emails) {
      expect(email.params).toMatchObject({ organizationName: s.name, listingTitle: "Kraft box 40x30", listingUrl: `${TEST_URLS.seller}/listings/${id}`, reason });
    }
    const inApp = await db.selectFrom("notifications").selectAll().where("organization_id", "=", s.id).where("channel", "=", "in_app").execute();
    expect(inApp.map((n) => n.user_id).sort()).toEqual(s.owners.map((o) => o.userId).sort());
    const french = inApp.find((n) => n.locale === "fr");
    expect(french).toMatchObject({ template: "listing.blocked", subject: "Votre offre « Kraft box 40x30 » a été bloquée sur Souk" });
    expect(french?.body).toContain("> Counterfeit brand in the photos.\n> Remove the logo.");

    // The seller sees why, may still edit, but cannot publish it again.
    const detail = await getSellerListing(s.owner, { listingId: id });
    expect(detail).toMatchObject({ status: "blocked", blockedReason: reason, availableMoves: [] });
    expect((await updateListing(s.owner, { listingId: id, ...detail.fields, title: "Kraft box 40x30 (plain)" })).outcome).toBe("updated");
    expect((await listingRow(db, id)).status).toBe("blocked");
    expect((await domainErrorOf(moveSellerListing(s.owner, { listingId: id, move: "publish" }))).code).toBe("ILLEGAL_TRANSITION");
  });

  test("an admin unblocks: the listing lands on unlisted, the reason is cleared, the owners are told, with the optional note", async () => {
    const admin = await operator(db, "admin");
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes, { status: "blocked" });
    expect(await moderateListing(admin, { listingId: id, move: "unblock", reason: "Thanks for fixing the photos." })).toEqual({ status: "unlisted" });
    expect(await listingRow(db, id)).toMatchObject({ status: "unlisted", blocked_reason: null, version: 2 });
    expect(await syncRowsFor(db, id)).toBe(1);
    const [email] = await emailsTo(s.id);
    expect(email).toMatchObject({ template: "listing.unblocked", params: { message: "Thanks for fixing the photos.", listingUrl: `${TEST_URLS.seller}/listings/${id}` } });
    expect(renderEmail("listing.unblocked", "en", email?.params).text).toContain("It is now unlisted: buyers will see it again once you publish it.");
    const audit = await db.selectFrom("audit_log").select(["action", "reason"]).where("target_id", "=", id).execute();
    expect(audit).toEqual([{ action: "listing.unblocked", reason: "Thanks for fixing the photos." }]);
    expect((await getSellerListing(s.owner, { listingId: id })).availableMoves).toEqual(["publish"]);

    // Without a note, too; an unlisted listing can be blocked again.
    await moderateListing(admin, { listingId: id, move: "block", reason: "Again." });
    await moderateListing(admin, { listingId: id, move: "unblock", reason: "  " });
    const last = (await emailsTo(s.id)).at(-1);
    expect(last?.template).toBe("listing.unblocked");
    expect(last?.params).not.toHaveProperty("message");
  });

  test("block needs a reason (blank does not count), at most 2,000 characters; nothing is written", async () => {
    const moderator = await operator(db, "moderator");
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes, { status: "published" });
    const before = await listingRowCounts(db);
    for (const reason of [undefined, "", "  \n "]) {
      expect(await domainErrorOf(moderateListing(moderator, { listingId: id, move: "block", reason }))).toMatchObject({
        code: "VALIDATION",
        fieldErrors: { reason: ["listing.reason_required"] },
      });
    }
    expect((await domainErrorOf(moderateListing(moderator, { listingId: id, move: "block", reason: "x".repeat(2_001) }))).fieldErrors).toEqual({ reason: ["listing.reason_too_long"] });
    expect((await domainErrorOf(moderateListing(moderator, { listingId: id, move: "ban", reason: "x" }))).fieldErrors).toEqual({ move: ["listing.move_invalid"] });
    expect((await domainErrorOf(moderateListing(moderator, { listingId: id, move: "publish", reason: "x" }))).fieldErrors).toEqual({ move: ["listing.move_invalid"] });
    expect(await listingRowCounts(db)).toEqual(before);
    expect(await listingRow(db, id)).toMatchObject({ status: "published", version: 1 });
  });

  test.each([
    ["draft", "block"],
    ["blocked", "block"],
    ["published", "unblock"],
    ["unlisted", "unblock"],
  ] as const)("a %s listing cannot be moved by %s: ILLEGAL_TRANSITION, nothing written", async (status, move) => {
    const moderator = await operator(db, "moderator");
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes, { status });
    const before = await listingRowCounts(db);
    expect((await domainErrorOf(moderateListing(moderator, { listingId: id, move, reason: "Because." }))).code).toBe("ILLEGAL_TRANSITION");
    expect(await listingRowCounts(db)).toEqual(before);
  });

  test.each([
    ["finance operator", () => operator(db, "finance")],
    ["seller owner", async () => (await listingSeller(db)).owner],
    ["buyer admin", () => memberOf(db, "buyer", "admin")],
  ])("a %s is refused every moderation use case (FORBIDDEN), and nothing is written", async (_who, makeActor) => {
    const actor = { ...(await makeActor()), storage };
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes, { status: "published" });
    const before = await listingRowCounts(db);
    for (const call of [
      moderateListing(actor, { listingId: id, move: "block", reason: "Spam." }),
      listListingsForModeration(actor, {}),
      getListingForModeration(actor, { listingId: id }),
      readModeratedListingImage(actor, { listingId: id, imageId: id }),
    ]) {
      expect((await domainErrorOf(call)).code).toBe("FORBIDDEN");
    }
    expect(await listingRowCounts(db)).toEqual(before);
    expect((await listingRow(db, id)).status).toBe("published");
  });

  test("a moderator demoted to finance while the request was on its way is refused under the lock", async () => {
    const moderator = await operator(db, "moderator");
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes, { status: "published" });
    await db.updateTable("memberships").set({ role: "finance" }).where("organization_id", "=", moderator.actor.organizationId).where("user_id", "=", moderator.actor.userId).execute();
    const before = await listingRowCounts(db);
    expect((await domainErrorOf(moderateListing(moderator, { listingId: id, move: "block", reason: "Spam." }))).code).toBe("FORBIDDEN");
    expect(await listingRowCounts(db)).toEqual(before);
  });

  test("two operators at once: the row lock makes the second see the first's result", async () => {
    const [a, b] = [await operator(db, "admin"), await operator(db, "moderator")];
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes, { status: "published" });
    const results = await Promise.allSettled([
      moderateListing(a, { listingId: id, move: "block", reason: "Spam." }),
      moderateListing(b, { listingId: id, move: "block", reason: "Fake." }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason).toMatchObject({ code: "ILLEGAL_TRANSITION" });
    expect(await db.selectFrom("audit_log").select("id").where("target_id", "=", id).execute()).toHaveLength(1);
    expect(await listingRow(db, id)).toMatchObject({ status: "blocked", version: 2 });
  });

  test("everything is written in the caller's transaction: rolled back, there is no block, audit, e-mail, notice nor sync", async () => {
    const moderator = await operator(db, "moderator");
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes, { status: "published" });
    const before = await listingRowCounts(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await moderateListing({ ...moderator, db: trx }, { listingId: id, move: "block", reason: "Spam." });
        throw new Error("the request failed after the block");
      }),
    ).rejects.toThrow("the request failed after the block");
    expect(await listingRowCounts(db)).toEqual(before);
    expect(await listingRow(db, id)).toMatchObject({ status: "published", blocked_reason: null, version: 1 });
  });

  test("an unknown or malformed listing id is NOT_FOUND", async () => {
    const moderator = await operator(db, "moderator");
    for (const listingId of ["0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d", "nope", undefined]) {
      expect((await domainErrorOf(moderateListing(moderator, { listingId, move: "block", reason: "Spam." }))).code).toBe("NOT_FOUND");
      expect((await domainErrorOf(getListingForModeration(moderator, { listingId }))).code).toBe("NOT_FOUND");
    }
  });
});

describe("listListingsForModeration / getListingForModeration", () => {
  test("every seller's listings, with the seller, filtered by text (title, SKU, seller name), status and seller; counts per status", async () => {
    const moderator = await operator(db, "moderator");
    const a = await listingSeller(db, { legalName: "Atlas" });
    const b = await listingSeller(db);
    const mine = await insertListing(db, a.id, boxes, { title: "Bubble wrap roll", status: "published" });
    const theirs = await insertListing(db, b.id, boxes, { title: "Bubble mailer", status: "blocked" });

    const bubble = await listListingsForModeration(moderator, { q: "bubble" });
    expect(bubble.items.map((i) => i.id).sort()).toEqual([mine, theirs].sort());
    expect(bubble.counts).toMatchObject({ published: 1, blocked: 1 });
    expect(bubble.items.find((i) => i.id === theirs)).toMatchObject({ sellerId: b.id, sellerName: b.name, sellerStatus: "active", status: "blocked", listPrice: { amountMinor: "1500", currency: "EUR" } });

    expect((await listListingsForModeration(moderator, { q: "bubble", status: "blocked" })).items.map((i) => i.id)).toEqual([theirs]);
    expect((await listListingsForModeration(moderator, { sellerId: a.id })).items.map((i) => i.id)).toEqual([mine]);
    expect((await listListingsForModeration(moderator, { q: a.name })).items.map((i) => i.id)).toEqual([mine]);
    expect((await listListingsForModeration(moderator, { q: "bubble'; drop table listings; --" })).total).toBe(0);
    expect((await domainErrorOf(listListingsForModeration(moderator, { sellerId: "x", status: "gone" }))).fieldErrors).toEqual({
      sellerId: ["listing.filter.seller_invalid"],
      status: ["listing.filter.status_invalid"],
    });
  });

  test("the detail shows the seller, the fields as text, the images and the moves; an operator reads any seller's image", async () => {
    const admin = { ...(await operator(db, "admin")), storage };
    const s = await listingSeller(db, { status: "suspended" });
    const { id } = await createListing(s.sales, listingForm(boxes, { tiers: "500=1.10;2000=0.95", attributes: "wall=double;colour=kraft", description: "Strong." }));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const image = await uploadListingImage({ ...s.sales, storage }, { listingId: id, file: { name: "front.png", bytes: png } });

    const detail = await getListingForModeration(admin, { listingId: id });
    expect(detail).toMatchObject({
      id,
      status: "draft",
      blockedReason: null,
      description: "Strong.",
      unit: "box",
      listPrice: { amountMinor: "120", currency: "EUR" },
      minOrderQuantity: 50,
      attributes: "colour=kraft\nwall=double",
      tiers: "500=1.10\n2000=0.95",
      images: [image],
      seller: { id: s.id, name: s.name, status: "suspended" },
      availableMoves: [],
      category: { id: boxes, name: { en: expect.any(String), fr: expect.any(String) } },
    });
    expect((await readModeratedListingImage(admin, { listingId: id, imageId: image.id })).bytes).toEqual(png);
    expect((await domainErrorOf(readModeratedListingImage(admin, { listingId: id, imageId: id }))).code).toBe("NOT_FOUND");

    await db.updateTable("listings").set({ status: "published" }).where("id", "=", id).execute();
    expect((await getListingForModeration(admin, { listingId: id })).availableMoves).toEqual(["block"]);
  });
});

describe("listing moderation e-mails", () => {
  const base = {
    name: "Leila Chraibi",
    organizationName: "Rif Emballages",
    listingTitle: "Kraft box",
    sku: "BOX-1",
    listingUrl: "https://seller.souk.test/listings/0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d",
  };

  test.each(["en", "fr"] as const)("render in %s with the greeting, the listing, the reason and the link", (locale) => {
    const blocked = renderEmail("listing.blocked", locale, { ...base, reason: "Line one\nLine two" });
    expect(blocked.subject).not.toMatch(/[\r\n]/);
    expect(blocked.text).toContain(locale === "en" ? "Hello Leila Chraibi," : "Bonjour Leila Chraibi,");
    expect(blocked.text).toContain("Kraft box");
    expect(blocked.text).toContain("BOX-1");
    expect(blocked.text).toContain("> Line one\n> Line two");
    expect(blocked.text).toContain(`\n${base.listingUrl}\n`);
    const unblocked = renderEmail("listing.unblocked", locale, base);
    expect(unblocked.text).toContain(`\n${base.listingUrl}\n`);
  });

  test("a block without a reason cannot be rendered; a hostile title stays on its line", () => {
    expect(() => renderEmail("listing.blocked", "en", base)).toThrow();
    const { subject, text } = renderEmail("listing.blocked", "en", { ...base, listingTitle: "Box\r\nBcc: victim@example.test\u202e", reason: "Spam." });
    expect(subject).toBe('Your listing "Box Bcc: victim@example.test" was blocked on Souk');
    expect(text).not.toMatch(/\nBcc:/);
  });
});
