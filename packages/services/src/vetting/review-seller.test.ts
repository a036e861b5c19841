import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { createLocalDiskStorage, newStorageKey } from "../storage";
import { decideSeller } from "./decide-seller";
import { getSellerForReview } from "./get-seller-for-review";
import { readSellerDocument } from "./read-seller-document";
import { asOwner, memberOf, operator, seller, type SellerFixture } from "./test-support";

const { db } = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-review-"));
const storage = createLocalDiskStorage(storageDir);
afterAll(() => rm(storageDir, { recursive: true, force: true }));

const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n");

/** A document as the seller's upload would leave it: the file in storage, the row in the database. */
async function document(fixture: SellerFixture, name: string, bytes = PDF) {
  const key = newStorageKey(["sellers", fixture.id]);
  await storage.put(key, bytes);
  const row = await db
    .insertInto("seller_documents")
    .values({
      organization_id: fixture.id,
      original_name: name,
      content_type: "application/pdf",
      size_bytes: bytes.byteLength,
      sha256: "0".repeat(64),
      storage_key: key,
      uploaded_by: fixture.owners[0]?.userId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, key };
}

describe("getSellerForReview", () => {
  test("gives every field of the application, its categories, documents, members (owners first) and the open decisions", async () => {
    const moderator = await operator(db, "moderator");
    const s = await seller(db, { country: "FR", categorySlugs: ["tools-hand", "packaging-boxes"], ownerLocales: ["fr"] });
    const kbis = await document(s, "Kbis société.pdf");

    const review = await getSellerForReview(moderator, { organizationId: s.id });
    expect(review.organization).toMatchObject({ id: s.id, name: s.name, status: "pending" });
    expect(review.application).toMatchObject({
      legalName: `${s.name} SARL`,
      tradingName: s.name,
      country: "FR",
      companyNumber: "73282932000074",
      addressLine1: "12 rue des Tanneurs",
      addressLine2: "Bâtiment B",
      postalCode: "69001",
      city: "Lyon",
      contactName: s.owners[0]?.name,
      contactEmail: s.owners[0]?.email,
      contactPhone: "+33 4 72 00 00 00",
      description: "Industrial packaging for food producers.",
      submittedAt: expect.any(Date),
    });
    expect(review.categories.map((c) => c.nameEn)).toEqual(["Boxes and cartons", "Hand tools"]);
    expect(review.documents).toEqual([
      { id: kbis.id, originalName: "Kbis société.pdf", contentType: "application/pdf", sizeBytes: PDF.byteLength, createdAt: expect.any(Date), uploadedByName: s.owners[0]?.name },
    ]);
    expect(review.members.map((m) => m.role)).toEqual(["owner", "sales"]);
    expect(review.history).toEqual([]);
    expect(review.openQuestion).toBeNull();
    expect(review.availableDecisions).toEqual(["approve", "reject", "request_info"]);
  });

  test("shows the open question while information is requested, and only the decisions of each status", async () => {
    const admin = await operator(db, "admin", "Olga Admin");
    const s = await seller(db);
    await decideSeller(admin, { organizationId: s.id, decision: "request_info", message: "Send your insurance certificate." });
    const asked = await getSellerForReview(admin, { organizationId: s.id });
    expect(asked.openQuestion).toBe("Send your insurance certificate.");
    expect(asked.availableDecisions).toEqual(["reject"]);
    expect(asked.history[0]).toMatchObject({ move: "request_info", actor: { name: "Olga Admin", side: "operator" } });

    for (const [status, decisions] of [
      ["active", ["suspend"]],
      ["suspended", ["reinstate"]],
      ["rejected", []],
    ] as const) {
      const other = await seller(db, { status });
      const review = await getSellerForReview(admin, { organizationId: other.id });
      expect(review.availableDecisions).toEqual(decisions);
      expect(review.openQuestion).toBeNull();
    }
  });

  test("a seller without an application is shown with none", async () => {
    const admin = await operator(db, "admin");
    const legacy = await seller(db, { status: "active", withoutApplication: true });
    const review = await getSellerForReview(admin, { organizationId: legacy.id });
    expect(review).toMatchObject({ application: null, categories: [], documents: [], availableDecisions: ["suspend"] });
  });

  test("anything but a seller's id is NOT_FOUND; finance, sellers and buyers are refused", async () => {
    const admin = await operator(db, "admin");
    const buyer = await memberOf(db, "buyer", "admin");
    for (const organizationId of [buyer.actor.organizationId, admin.actor.organizationId, "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d", "../etc", 42]) {
      expect((await domainErrorOf(getSellerForReview(admin, { organizationId }))).code).toBe("NOT_FOUND");
    }
    const s = await seller(db);
    for (const actor of [await operator(db, "finance"), asOwner(db, s), buyer]) {
      expect((await domainErrorOf(getSellerForReview(actor, { organizationId: s.id }))).code).toBe("FORBIDDEN");
    }
  });
});

describe("readSellerDocument", () => {
  test("gives a reviewer the stored bytes and records the reading in the audit log", async () => {
    const moderator = await operator(db, "moderator");
    const s = await seller(db);
    const doc = await document(s, "statuts.pdf");
    const file = await readSellerDocument({ ...moderator, storage }, { organizationId: s.id, documentId: doc.id });
    expect(file).toEqual({ originalName: "statuts.pdf", contentType: "application/pdf", sizeBytes: PDF.byteLength, bytes: PDF });
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "seller.document_viewed").where("target_id", "=", doc.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actor_user_id: moderator.actor.userId,
      actor_organization_id: moderator.actor.organizationId,
      organization_id: s.id,
      target_type: "seller_document",
      ip: moderator.request.ip,
      data: { originalName: "statuts.pdf", contentType: "application/pdf", sizeBytes: PDF.byteLength },
    });
  });

  test("another seller's document, an unknown one or one whose file is gone is NOT_FOUND, and not audited", async () => {
    const admin = await operator(db, "admin");
    const [mine, theirs] = [await seller(db), await seller(db)];
    const theirDoc = await document(theirs, "theirs.pdf");
    const lost = await document(mine, "lost.pdf");
    await storage.delete(lost.key);
    for (const input of [
      { organizationId: mine.id, documentId: theirDoc.id },
      { organizationId: mine.id, documentId: "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d" },
      { organizationId: mine.id, documentId: lost.id },
      { organizationId: mine.id, documentId: "../../etc/passwd" },
    ]) {
      expect((await domainErrorOf(readSellerDocument({ ...admin, storage }, input))).code).toBe("NOT_FOUND");
    }
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "seller.document_viewed").where("actor_user_id", "=", admin.actor.userId).execute()).toEqual([]);
  });

  test("finance, the seller's own owner (through this operator use case) and buyers are refused", async () => {
    const s = await seller(db);
    const doc = await document(s, "k.pdf");
    for (const actor of [await operator(db, "finance"), asOwner(db, s), await memberOf(db, "buyer", "admin")]) {
      expect((await domainErrorOf(readSellerDocument({ ...actor, storage }, { organizationId: s.id, documentId: doc.id }))).code).toBe("FORBIDDEN");
    }
  });
});
