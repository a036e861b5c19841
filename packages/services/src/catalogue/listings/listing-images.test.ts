import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { createLocalDiskStorage } from "../../storage/local-disk-storage";
import { memberOf, operator } from "../../vetting/test-support";
import { deleteListingImage } from "./delete-listing-image";
import { getSellerListing } from "./get-seller-listing";
import { LISTING_IMAGE_LIMITS } from "./images";
import { readSellerListingImage } from "./read-seller-listing-image";
import { categoryIdOf, insertListing, listingRow, listingRowCounts, listingSeller, syncRowsFor } from "./test-support";
import { uploadListingImage } from "./upload-listing-image";

const { db } = await createTestDatabase();
const boxes = await categoryIdOf(db, "packaging-boxes");
const root = await mkdtemp(path.join(tmpdir(), "souk-listing-images-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const storage = createLocalDiskStorage(root);

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff, 0xe0];
const WEBP = [...Buffer.from("RIFF"), 0, 0, 0, 0, ...Buffer.from("WEBPVP8 ")];
const image = (magic: number[], size = 64) => {
  const bytes = new Uint8Array(size).fill(7);
  bytes.set(magic);
  return bytes;
};

/** Every stored file, as paths under the storage root. */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

async function seller() {
  const s = await listingSeller(db);
  return { ...s, sales: { ...s.sales, storage }, owner: { ...s.owner, storage }, fulfilment: { ...s.fulfilment, storage } };
}

describe("listing images", () => {
  test("PNG, JPEG and WebP by their bytes, from the routes' file or a web File: stored, listed, read back; each a new version and a sync", async () => {
    const s = await seller();
    const id = await insertListing(db, s.id, boxes);
    const png = await uploadListingImage(s.sales, { listingId: id, file: { name: "C:\\photos\\box front.png", type: "image/png", bytes: image(PNG) } });
    const jpeg = await uploadListingImage(s.sales, { listingId: id, file: new File([image(JPEG, 100)], "side.jpg", { type: "image/jpeg" }) });
    // The browser's claim does not matter: the bytes say WebP.
    const webp = await uploadListingImage(s.owner, { listingId: id, file: { name: "top.gif", type: "image/gif", bytes: image(WEBP) } });
    expect([png, jpeg, webp]).toEqual([
      { id: expect.any(String), originalName: "box front.png", contentType: "image/png", sizeBytes: 64 },
      { id: expect.any(String), originalName: "side.jpg", contentType: "image/jpeg", sizeBytes: 100 },
      { id: expect.any(String), originalName: "top.gif", contentType: "image/webp", sizeBytes: 64 },
    ]);
    expect((await getSellerListing(s.fulfilment, { listingId: id })).images).toEqual([png, jpeg, webp]);
    expect(await readSellerListingImage(s.fulfilment, { listingId: id, imageId: jpeg.id })).toEqual({ bytes: image(JPEG, 100), contentType: "image/jpeg", fileName: "side.jpg" });
    expect(await listingRow(db, id)).toMatchObject({ version: 4 });
    expect(await syncRowsFor(db, id)).toBe(3);
    const rows = await db.selectFrom("listing_images").select(["storage_key", "position", "seller_id"]).where("listing_id", "=", id).orderBy("position").execute();
    expect(rows.map((r) => [r.position, r.seller_id])).toEqual([
      [0, s.id],
      [1, s.id],
      [2, s.id],
    ]);
    for (const r of rows) expect(r.storage_key).toMatch(new RegExp(`^listings/${s.id}/[0-9a-f]{32}$`));
  });

  test("a refused file leaves neither a file nor a row: missing, empty, not an image, too large, one too many", async () => {
    const s = await seller();
    const id = await insertListing(db, s.id, boxes);
    const files = await storedFiles();
    const before = await listingRowCounts(db);
    const refused = async (file: unknown, key: string) => {
      expect(await domainErrorOf(uploadListingImage(s.sales, { listingId: id, file }))).toMatchObject({ code: "VALIDATION", fieldErrors: { file: [key] } });
    };
    await refused(undefined, "image.required");
    await refused("photo.png", "image.required");
    await refused({ name: "", type: "application/octet-stream", bytes: new Uint8Array() }, "image.required");
    await refused({ name: "empty.png", bytes: new Uint8Array() }, "image.empty");
    await refused({ name: "doc.png", bytes: image([...Buffer.from("%PDF-1.7")]) }, "image.type_not_allowed");
    await refused({ name: "anim.png", bytes: image([...Buffer.from("GIF89a")]) }, "image.type_not_allowed");
    await refused({ name: "script.jpg", bytes: new TextEncoder().encode("<svg onload=alert(1)>") }, "image.type_not_allowed");
    await refused({ name: "huge.png", bytes: image(PNG, LISTING_IMAGE_LIMITS.maxBytes + 1) }, "image.too_large");
    await refused(new File([image(PNG, LISTING_IMAGE_LIMITS.maxBytes + 1)], "huge.png"), "image.too_large");
    expect(await listingRowCounts(db)).toEqual(before);
    expect(await storedFiles()).toEqual(files);

    // Exactly the limit is fine; 8 images is the most.
    await uploadListingImage(s.sales, { listingId: id, file: { name: "max.png", bytes: image(PNG, LISTING_IMAGE_LIMITS.maxBytes) } });
    for (let i = 1; i < LISTING_IMAGE_LIMITS.maxPerListing; i += 1) await uploadListingImage(s.sales, { listingId: id, file: { name: `${i}.png`, bytes: image(PNG) } });
    const full = await listingRowCounts(db);
    const fullFiles = await storedFiles();
    await refused({ name: "ninth.png", bytes: image(PNG) }, "image.too_many");
    expect(await listingRowCounts(db)).toEqual(full);
    expect(await storedFiles()).toEqual(fullFiles);
    expect(fullFiles).toHaveLength(files.length + LISTING_IMAGE_LIMITS.maxPerListing);
  });

  test("two uploads at once for the last place: one gets it, the other is refused and leaves no file", async () => {
    const s = await seller();
    const id = await insertListing(db, s.id, boxes);
    for (let i = 1; i < LISTING_IMAGE_LIMITS.maxPerListing; i += 1) await uploadListingImage(s.sales, { listingId: id, file: { name: `${i}.png`, bytes: image(PNG) } });
    const files = (await storedFiles()).length;
    const results = await Promise.allSettled([
      uploadListingImage(s.sales, { listingId: id, file: { name: "a.png", bytes: image(PNG) } }),
      uploadListingImage(s.owner, { listingId: id, file: { name: "b.png", bytes: image(PNG) } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason).toMatchObject({ fieldErrors: { file: ["image.too_many"] } });
    expect(await db.selectFrom("listing_images").select("id").where("listing_id", "=", id).execute()).toHaveLength(LISTING_IMAGE_LIMITS.maxPerListing);
    expect(await storedFiles()).toHaveLength(files + 1);
  });

  test("deleting an image removes its row and its file, with a new version and a sync", async () => {
    const s = await seller();
    const id = await insertListing(db, s.id, boxes);
    const { id: imageId } = await uploadListingImage(s.sales, { listingId: id, file: { name: "a.png", bytes: image(PNG) } });
    const files = (await storedFiles()).length;
    expect(await deleteListingImage(s.owner, { listingId: id, imageId })).toEqual({ imageId });
    expect(await storedFiles()).toHaveLength(files - 1);
    expect(await db.selectFrom("listing_images").select("id").where("listing_id", "=", id).execute()).toEqual([]);
    expect(await listingRow(db, id)).toMatchObject({ version: 3 });
    expect(await syncRowsFor(db, id)).toBe(2);
    // Deleting it again (a stale page): the delete button's image is a form field, a field error.
    expect(await domainErrorOf(deleteListingImage(s.owner, { listingId: id, imageId }))).toMatchObject({ code: "VALIDATION", fieldErrors: { imageId: ["image.unknown"] } });
    expect((await domainErrorOf(readSellerListingImage(s.owner, { listingId: id, imageId }))).code).toBe("NOT_FOUND");
  });

  test("seller B can neither upload to, read nor delete seller A's images: NOT_FOUND, nothing stored or removed", async () => {
    const a = await seller();
    const b = await seller();
    const theirs = await insertListing(db, a.id, boxes);
    const mine = await insertListing(db, b.id, boxes);
    const { id: imageId } = await uploadListingImage(a.sales, { listingId: theirs, file: { name: "a.png", bytes: image(PNG) } });
    const files = await storedFiles();
    const before = await listingRowCounts(db);

    expect((await domainErrorOf(uploadListingImage(b.sales, { listingId: theirs, file: { name: "b.png", bytes: image(PNG) } }))).code).toBe("NOT_FOUND");
    for (const listingId of [theirs, mine]) {
      expect((await domainErrorOf(readSellerListingImage(b.sales, { listingId, imageId }))).code).toBe("NOT_FOUND");
    }
    // Deleting: A's listing in the URL is a 404; A's image posted on B's own listing's page is the same
    // field error as an unknown image.
    expect((await domainErrorOf(deleteListingImage(b.sales, { listingId: theirs, imageId }))).code).toBe("NOT_FOUND");
    for (const posted of [imageId, "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", "nope"]) {
      expect(await domainErrorOf(deleteListingImage(b.sales, { listingId: mine, imageId: posted }))).toMatchObject({ code: "VALIDATION", fieldErrors: { imageId: ["image.unknown"] } });
    }
    // A's image under A's other listing is not found either: an image belongs to one listing.
    const other = await insertListing(db, a.id, boxes);
    expect((await domainErrorOf(readSellerListingImage(a.sales, { listingId: other, imageId }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(readSellerListingImage(a.sales, { listingId: "nope", imageId }))).code).toBe("NOT_FOUND");
    expect(await storedFiles()).toEqual(files);
    expect(await listingRowCounts(db)).toEqual({ ...before, listings: before.listings + 1 });
    expect((await readSellerListingImage(a.fulfilment, { listingId: theirs, imageId })).bytes).toEqual(image(PNG));
  });

  test.each([
    ["buyer admin", () => memberOf(db, "buyer", "admin")],
    ["moderator", () => operator(db, "moderator")],
  ])("a %s is refused the seller's image use cases (FORBIDDEN)", async (_who, makeActor) => {
    const actor = { ...(await makeActor()), storage };
    const s = await seller();
    const id = await insertListing(db, s.id, boxes);
    const { id: imageId } = await uploadListingImage(s.sales, { listingId: id, file: { name: "a.png", bytes: image(PNG) } });
    for (const call of [
      uploadListingImage(actor, { listingId: id, file: { name: "b.png", bytes: image(PNG) } }),
      readSellerListingImage(actor, { listingId: id, imageId }),
      deleteListingImage(actor, { listingId: id, imageId }),
    ]) {
      expect((await domainErrorOf(call)).code).toBe("FORBIDDEN");
    }
    expect((await domainErrorOf(uploadListingImage(s.fulfilment, { listingId: id, file: { name: "c.png", bytes: image(PNG) } }))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(deleteListingImage(s.fulfilment, { listingId: id, imageId }))).code).toBe("FORBIDDEN");
  });

  test("a row whose file is gone is never served empty", async () => {
    const s = await seller();
    const id = await insertListing(db, s.id, boxes);
    const { id: imageId } = await uploadListingImage(s.sales, { listingId: id, file: { name: "a.png", bytes: image(PNG) } });
    const { storage_key } = await db.selectFrom("listing_images").select("storage_key").where("id", "=", imageId).executeTakeFirstOrThrow();
    await storage.delete(storage_key);
    expect(await domainErrorOf(readSellerListingImage(s.sales, { listingId: id, imageId }))).toMatchObject({ code: "INVARIANT", message: "image.unavailable" });
  });
});
