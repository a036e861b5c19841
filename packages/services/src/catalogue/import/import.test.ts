import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf, TEST_URLS } from "../../identity/test-support";
import { memberOf } from "../../vetting/test-support";
import { parseListingFields } from "../listing-input";
import { saveListing } from "../save-listing";
import { CSV_COLUMNS } from "./columns";
import { readCsv } from "./csv";
import { exportSellerListingsCsv } from "./export-seller-listings-csv";
import { getCatalogueImport } from "./get-catalogue-import";
import { listCatalogueImports } from "./list-catalogue-imports";
import { runCatalogueImport } from "./run-catalogue-import";
import { startCatalogueImport } from "./start-catalogue-import";
import { count, createGroup, csvOf, fileOf, importCsv, listingsOf, outboxSyncIds, row, sellerMember, syncJobCount } from "./test-support";

const { db } = await createTestDatabase();
const job = { db, publicUrls: TEST_URLS };

describe("runCatalogueImport: rows", () => {
  test("valid rows are created; every invalid row is reported with its line, column and reason and writes nothing", async () => {
    const seller = await sellerMember(db);
    await createGroup(db, seller.actor.organizationId, "Hotels");
    const text = csvOf([
      // line 2: a description over three physical lines
      row("OK-1", { description: 'Double wall, "strong"\r\nline two\r\nline three', tiers: "10=11.50;100=10.00", attributes: "colour=brown;size=M" }),
      // line 5
      row("BAD-NUMBERS", { stock: "ten", min_order_quantity: "1.5", lead_time_days: "400" }),
      // line 6
      row("BAD-PRICE", { list_price: "-3.00" }),
      // line 7
      row("BAD-CATEGORY", { category: "no-such-category" }),
      // line 8
      row("BAD-GROUP", { visibility: "Hotels|Nobody" }),
      // line 9
      row("DUP", {}),
      // line 10
      row("OK-2", { visibility: "hotels", status: "published" }),
      // line 11
      row("DUP", { title: "Second" }),
      // line 12
      row("BAD-STATUS", { status: "archived" }),
      // line 13
      row("BAD-TIERS", { tiers: "1=2.00", currency: "EUR", list_price: "abc" }),
    ]);
    const syncJobs = await syncJobCount(db);
    const result = await importCsv(seller, text);

    expect(result).toMatchObject({ status: "succeeded", failure: null, totalRows: 10, processedRows: 10, createdCount: 2, updatedCount: 0, unchangedCount: 0, errorCount: 8, errorsTruncated: false });
    expect(result.errors).toEqual([
      { line: 5, column: "min_order_quantity", reason: "minOrderQuantity.invalid" },
      { line: 5, column: "stock", reason: "stock.invalid" },
      { line: 5, column: "lead_time_days", reason: "leadTimeDays.too_large" },
      { line: 6, column: "list_price", reason: "listPrice.not_positive" },
      { line: 7, column: "category", reason: "category.unknown_slug" },
      { line: 8, column: "visibility", reason: "visibility.unknown_group" },
      { line: 9, column: "sku", reason: "sku.duplicate_in_file" },
      { line: 11, column: "sku", reason: "sku.duplicate_in_file" },
      { line: 12, column: "status", reason: "status.invalid" },
      { line: 13, column: "list_price", reason: "listPrice.invalid" },
      { line: 13, column: "tiers", reason: "tiers.quantity_invalid" },
    ]);

    const listings = await listingsOf(db, seller.actor.organizationId);
    expect([...listings.keys()]).toEqual(["OK-1", "OK-2"]);
    const ok1 = listings.get("OK-1");
    expect(ok1).toMatchObject({ status: "draft", version: 1, description: 'Double wall, "strong"\r\nline two\r\nline three', list_price_minor: "1250", attributes: { colour: "brown", size: "M" } });
    const tiers = await db.selectFrom("listing_price_tiers").select(["min_quantity", "unit_price_minor"]).where("listing_id", "=", ok1?.id ?? "").orderBy("min_quantity").execute();
    expect(tiers).toEqual([
      { min_quantity: 10, unit_price_minor: "1150" },
      { min_quantity: 100, unit_price_minor: "1000" },
    ]);
    const ok2 = listings.get("OK-2");
    expect(ok2).toMatchObject({ status: "published", visibility: "groups" });
    expect(await db.selectFrom("listing_visibility").select("group_id").where("listing_id", "=", ok2?.id ?? "").execute()).toHaveLength(1);
    // One search sync for the batch, with exactly the written listings.
    expect(await syncJobCount(db)).toBe(syncJobs + 1);
    expect((await outboxSyncIds(db)).slice(-2).sort()).toEqual([ok1?.id, ok2?.id].sort());
  });

  test("the same file twice: the second run changes nothing (no write, no version, no outbox row)", async () => {
    const seller = await sellerMember(db);
    await createGroup(db, seller.actor.organizationId, "Schools");
    const text = csvOf([
      row("A-1", { tiers: "10=11.00", attributes: "b=2;a=1" }),
      row("A-2", { visibility: "Schools", status: "published" }),
      row("A-3", { description: "multi\nline", list_price: "7,5" }),
    ]);
    const first = await importCsv(seller, text);
    expect(first).toMatchObject({ createdCount: 3, updatedCount: 0, unchangedCount: 0, errorCount: 0 });
    const before = await listingsOf(db, seller.actor.organizationId);
    const syncJobs = await syncJobCount(db);

    const second = await importCsv(seller, text);
    expect(second).toMatchObject({ status: "succeeded", totalRows: 3, createdCount: 0, updatedCount: 0, unchangedCount: 3, errorCount: 0 });
    expect(await listingsOf(db, seller.actor.organizationId)).toEqual(before);
    expect(await syncJobCount(db)).toBe(syncJobs);
  });

  test("upserts by SKU: a changed row updates its listing (version + 1), the others stay untouched", async () => {
    const seller = await sellerMember(db);
    const sellerId = seller.actor.organizationId;
    const vip = await createGroup(db, sellerId, "VIP");
    const trade = await createGroup(db, sellerId, "Trade");
    await importCsv(seller, csvOf([row("U-1", { tiers: "10=12.00;20=11.00", visibility: "VIP" }), row("U-2", { tiers: "10=12.00" })]));
    const before = await listingsOf(db, sellerId);
    const syncJobs = await syncJobCount(db);
    const result = await importCsv(seller, csvOf([row("U-1", { list_price: "13.00", tiers: "5=12.00", visibility: "trade|vip", title: "Renamed" }), row("U-2", { tiers: "10=12" }), row("U-3")]));
    expect(result).toMatchObject({ createdCount: 1, updatedCount: 1, unchangedCount: 1 });
    const after = await listingsOf(db, sellerId);
    const u1 = after.get("U-1");
    expect(u1).toMatchObject({ id: before.get("U-1")?.id, title: "Renamed", list_price_minor: "1300", version: 2, visibility: "groups" });
    expect(u1?.updated_at.getTime()).toBeGreaterThan(before.get("U-1")?.updated_at.getTime() ?? Infinity);
    expect(await db.selectFrom("listing_price_tiers").select(["min_quantity", "unit_price_minor"]).where("listing_id", "=", u1?.id ?? "").execute()).toEqual([{ min_quantity: 5, unit_price_minor: "1200" }]);
    expect((await db.selectFrom("listing_visibility").select("group_id").where("listing_id", "=", u1?.id ?? "").execute()).map((g) => g.group_id).sort()).toEqual([vip, trade].sort());
    expect(after.get("U-2")).toEqual(before.get("U-2"));
    expect(await count(db, "listings", sellerId)).toBe(3);
    expect(await syncJobCount(db)).toBe(syncJobs + 1);
    expect((await outboxSyncIds(db)).slice(-2).sort()).toEqual([u1?.id, after.get("U-3")?.id].sort());
  });

  test("a listing in a price list keeps its currency: the row changing it is refused at its currency cell", async () => {
    const seller = await sellerMember(db);
    const sellerId = seller.actor.organizationId;
    await importCsv(seller, csvOf([row("CUR-1"), row("CUR-2")]));
    const listings = await listingsOf(db, sellerId);
    const list = await db.insertInto("price_lists").values({ seller_id: sellerId, name: "Contract", currency: "EUR" }).returning("id").executeTakeFirstOrThrow();
    await db
      .insertInto("price_list_entries")
      .values({ price_list_id: list.id, listing_id: listings.get("CUR-1")?.id ?? "", seller_id: sellerId, min_quantity: 1, unit_price_minor: "900" })
      .execute();

    const result = await importCsv(seller, csvOf([row("CUR-1", { currency: "USD" }), row("CUR-2", { currency: "USD" })]));
    expect(result).toMatchObject({ updatedCount: 1, errorCount: 1 });
    expect(result.errors).toEqual([{ line: 2, column: "currency", reason: "currency.locked_by_price_lists" }]);
    const after = await listingsOf(db, sellerId);
    expect([after.get("CUR-1")?.currency, after.get("CUR-2")?.currency]).toEqual(["EUR", "USD"]);
  });

  test("a listing saved through the form path, imported with the same values, is unchanged", async () => {
    const seller = await sellerMember(db);
    const category = await db.selectFrom("categories").select("id").where("slug", "=", "tools-hand").executeTakeFirstOrThrow();
    const parsed = parseListingFields({ sku: "FORM-1", title: "Hammer", categoryId: category.id, unit: "piece", currency: "EUR", listPrice: "19.90", tiers: "10=18.00\n50=17.00", attributes: "weight=500 g" });
    if (!parsed.ok) throw new Error("fixture");
    await saveListing(db, { sellerId: seller.actor.organizationId }, parsed.fields);
    const result = await importCsv(
      seller,
      csvOf([row("FORM-1", { title: "Hammer", category: "tools-hand", unit: "piece", list_price: "19.9", stock: "0", lead_time_days: "0", tiers: "50=17;10=18.00", attributes: "weight=500 g" })]),
    );
    expect(result).toMatchObject({ createdCount: 0, updatedCount: 0, unchangedCount: 1, errorCount: 0 });

    // And the other way round: what an import wrote, the form path sees as unchanged.
    await importCsv(seller, csvOf([row("CSV-1", { tiers: "10=11.00;100=10.00", attributes: "b=2;a=1", description: "Two\r\nlines" })]));
    const box = await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow();
    const same = parseListingFields({ sku: "CSV-1", title: "Carton CSV-1", description: "Two\r\nlines", categoryId: box.id, unit: "box", currency: "EUR", listPrice: "12.5", minOrderQuantity: "1", stock: "10", leadTimeDays: "3", tiers: "100=10\n10=11", attributes: "a=1\nb=2" });
    if (!same.ok) throw new Error("fixture");
    expect(await saveListing(db, { sellerId: seller.actor.organizationId }, same.fields)).toMatchObject({ outcome: "unchanged" });
  });

  test("a record with the wrong number of fields or bad quotes is refused at its line", async () => {
    const seller = await sellerMember(db);
    const good = csvOf([row("Q-1")]);
    const text = `${good}Q-2,too,few\r\n${csvOf([row("Q-3")]).split("\r\n")[1]}\r\nQ-4,"broken"x,,,,,,,,,,,,\r\n`;
    const result = await importCsv(seller, text);
    expect(result.errors).toEqual([
      { line: 3, column: null, reason: "row.field_count" },
      { line: 5, column: null, reason: "row.quote_invalid" },
    ]);
    expect(result).toMatchObject({ createdCount: 2, errorCount: 2 });
  });

  test("errors are kept up to 1,000; the count stays exact", async () => {
    const seller = await sellerMember(db);
    const rows = Array.from({ length: 1_100 }, (_, i) => row(`E-${i}`, { list_price: "free" }));
    const result = await importCsv(seller, csvOf(rows));
    expect(result).toMatchObject({ status: "succeeded", errorCount: 1_100, createdCount: 0, errorsTruncated: true });
    expect(result.errors).toHaveLength(1_000);
    expect(result.errors[999]).toEqual({ line: 1_001, column: "list_price", reason: "listPrice.invalid" });
    expect(await count(db, "listings", seller.actor.organizationId)).toBe(0);
  });
});

describe("runCatalogueImport: status column", () => {
  test("publishing needs an active seller: a pending seller's row is refused and nothing of it is written", async () => {
    const pending = await sellerMember(db, "pending");
    const result = await importCsv(pending, csvOf([row("P-1", { status: "published" }), row("P-2", { status: "draft" })]));
    expect(result.errors).toEqual([{ line: 2, column: "status", reason: "status.seller_not_active" }]);
    expect([...(await listingsOf(db, pending.actor.organizationId)).keys()]).toEqual(["P-2"]);
  });

  test("moves follow the state machine; a blocked listing keeps its status; a seller cannot block", async () => {
    const seller = await sellerMember(db);
    await importCsv(seller, csvOf([row("S-1", { status: "published" }), row("S-2", { status: "published" }), row("S-3"), row("S-4")]));
    await db.updateTable("listings").set({ status: "blocked", blocked_reason: "Counterfeit" }).where("seller_id", "=", seller.actor.organizationId).where("sku", "=", "S-2").execute();
    const before = await listingsOf(db, seller.actor.organizationId);

    const result = await importCsv(
      seller,
      csvOf([
        row("S-1", { status: "unlisted" }),
        row("S-2", { status: "published", title: "Changed while blocked" }),
        row("S-3", { status: "unlisted" }),
        row("S-4", { status: "blocked" }),
        row("S-5", { status: "unlisted" }),
      ]),
    );
    expect(result.errors).toEqual([
      { line: 3, column: "status", reason: "listing.blocked_status" },
      { line: 4, column: "status", reason: "status.transition_invalid" },
      { line: 5, column: "status", reason: "status.block_not_allowed" },
      { line: 6, column: "status", reason: "status.transition_invalid" },
    ]);
    expect(result).toMatchObject({ updatedCount: 1, createdCount: 0, errorCount: 4 });
    const after = await listingsOf(db, seller.actor.organizationId);
    expect(after.get("S-1")).toMatchObject({ status: "unlisted", version: (before.get("S-1")?.version ?? 0) + 1 });
    // The refused rows wrote nothing, not even their other columns.
    for (const sku of ["S-2", "S-3", "S-4"]) expect(after.get(sku)).toEqual(before.get(sku));
    expect(after.has("S-5")).toBe(false);

    // A blocked listing may still be imported with its own status (what the export writes) and new fields.
    const blocked = await importCsv(seller, csvOf([row("S-2", { status: "blocked", stock: "99" }), row("S-1", { status: "" })]));
    expect(blocked).toMatchObject({ updatedCount: 1, unchangedCount: 1, errorCount: 0 });
    expect((await listingsOf(db, seller.actor.organizationId)).get("S-2")).toMatchObject({ status: "blocked", stock: 99, blocked_reason: "Counterfeit" });
  });
});

describe("exportSellerListingsCsv", () => {
  test("export → import of the export: every row unchanged", async () => {
    const seller = await sellerMember(db);
    const sellerId = seller.actor.organizationId;
    await createGroup(db, sellerId, "Hotels | Restaurants");
    await createGroup(db, sellerId, "Schools");
    const doomed = await createGroup(db, sellerId, "Gone");
    await importCsv(
      seller,
      csvOf([
        row("R-1", { title: "=HYPERLINK(\"http://evil.test\")", description: "Line 1\r\nLine 2, with \"quotes\"", tiers: "10=11.50;100=10.00", attributes: "colour=red;size=M", status: "published" }),
        row("R-2", { title: "-20% carton", visibility: "Hotels | Restaurants|Schools", currency: "JPY", list_price: "1500", tiers: "10=1400" }),
        row("R-3", { title: "+plus @at", unit: "pallet", status: "published", description: "Café, crème brûlée ✓" }),
        row("R-4", { visibility: "Gone" }),
        row("R-5", { status: "published" }),
      ]),
    );
    await importCsv(seller, csvOf([row("R-3", { title: "+plus @at", unit: "pallet", status: "unlisted", description: "Café, crème brûlée ✓" })]));
    await db.updateTable("listings").set({ status: "blocked", blocked_reason: "Check" }).where("seller_id", "=", sellerId).where("sku", "=", "R-5").execute();
    // A value that already starts like a guarded cell (a file's own apostrophe is read as a guard, so it is set here).
    await db.updateTable("listings").set({ description: "'=already quoted" }).where("seller_id", "=", sellerId).where("sku", "=", "R-2").execute();
    const before = await listingsOf(db, sellerId);
    expect(before.size).toBe(5);

    // Before the group is deleted: a full round trip.
    const exported = await exportSellerListingsCsv(seller, {});
    expect(exported.fileName).toMatch(/^listings-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(exported.csv.startsWith("\uFEFFsku,title,description,category,")).toBe(true);
    expect(exported.csv).toContain(`R-1,"'=HYPERLINK(""http://evil.test"")"`);
    expect(exported.csv).toContain("'-20% carton");
    const records = [...readCsv(exported.csv.slice(1))];
    expect(records[0]?.fields).toEqual([...CSV_COLUMNS]);
    expect(records.find((r) => r.fields[0] === "R-2")?.fields).toEqual([
      "R-2", "'-20% carton", "''=already quoted", "packaging-boxes", "box", "JPY", "1500", "1", "10", "3", "10=1400", "", "Hotels | Restaurants|Schools", "draft",
    ]);
    const roundTrip = await importCsv(seller, exported.csv);
    expect(roundTrip).toMatchObject({ status: "succeeded", totalRows: 5, createdCount: 0, updatedCount: 0, unchangedCount: 5, errorCount: 0 });
    expect(await listingsOf(db, sellerId)).toEqual(before);

    // A listing whose only group was deleted is shown to nobody: its export row does not open it to everyone.
    await db.deleteFrom("customer_groups").where("id", "=", doomed).execute();
    const again = await exportSellerListingsCsv(seller, {});
    const result = await importCsv(seller, again.csv);
    expect(result).toMatchObject({ unchangedCount: 4, errorCount: 1 });
    expect(result.errors).toEqual([{ line: 6, column: "visibility", reason: "groupIds.required" }]);
    expect((await listingsOf(db, sellerId)).get("R-4")).toMatchObject({ visibility: "groups" });
  });

  test("exports only the seller's own listings", async () => {
    const a = await sellerMember(db);
    const b = await sellerMember(db);
    await importCsv(a, csvOf([row("MINE")]));
    await importCsv(b, csvOf([row("THEIRS")]));
    const { csv } = await exportSellerListingsCsv(a, {});
    expect(csv).toContain("MINE");
    expect(csv).not.toContain("THEIRS");
  });
});

describe("startCatalogueImport: the file", () => {
  const expectFileError = async (promise: Promise<unknown>, key: string) => {
    const error = await domainErrorOf(promise);
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({ file: [key] });
  };

  test("refuses with a precise error and stores nothing", async () => {
    const seller = await sellerMember(db);
    const imports = await count(db, "catalogue_imports");
    const outbox = await count(db, "outbox");

    // 20 MB: refused from its size, before it is read.
    const big = new File([new Uint8Array(20 * 1024 * 1024).fill(0x61)], "big.csv", { type: "text/csv" });
    await expectFileError(startCatalogueImport(seller, { file: big }), "file.too_large");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    await expectFileError(startCatalogueImport(seller, { file: fileOf(png, "listings.csv") }), "file.not_csv");
    // Latin-1 "café": not UTF-8.
    const latin1 = new Uint8Array([...new TextEncoder().encode(`${CSV_COLUMNS.join(",")}\r\nX,caf`), 0xe9, 0x0d, 0x0a]);
    await expectFileError(startCatalogueImport(seller, { file: fileOf(latin1) }), "file.not_csv");
    // UTF-16 (what spreadsheets call "Unicode text"): valid UTF-8 bytes, but NULs everywhere.
    const utf16 = new Uint8Array([...CSV_COLUMNS.join(",")].flatMap((c) => [c.charCodeAt(0), 0]));
    await expectFileError(startCatalogueImport(seller, { file: fileOf(utf16) }), "file.not_csv");
    await expectFileError(startCatalogueImport(seller, { file: fileOf("Dear seller,\nhere are my products.\n", "notes.csv") }), "file.not_csv");
    await expectFileError(startCatalogueImport(seller, { file: fileOf('"sku,title\r\nA,B') }), "file.not_csv");
    await expectFileError(startCatalogueImport(seller, { file: fileOf("") }), "file.empty");
    await expectFileError(startCatalogueImport(seller, { file: fileOf("\uFEFF\r\n \r\n") }), "file.empty");
    await expectFileError(startCatalogueImport(seller, { file: fileOf("", "") }), "file.required");
    await expectFileError(startCatalogueImport(seller, {}), "file.required");
    await expectFileError(startCatalogueImport(seller, { file: "sku,title" }), "file.required");
    await expectFileError(startCatalogueImport(seller, { file: fileOf(csvOf([])) }), "file.no_rows");

    expect(await count(db, "catalogue_imports")).toBe(imports);
    expect(await count(db, "outbox")).toBe(outbox);
  });

  test("stores the file and its job in one go; a web File and a UTF-8 BOM are accepted", async () => {
    const seller = await sellerMember(db);
    const outbox = await count(db, "outbox");
    const file = new File([`\uFEFF${csvOf([row("F-1")])}`], "../../My listings.csv", { type: "text/csv" });
    const { importId } = await startCatalogueImport(seller, { file });
    const stored = await db.selectFrom("catalogue_imports").selectAll().where("id", "=", importId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ seller_id: seller.actor.organizationId, created_by: seller.actor.userId, file_name: "My listings.csv", status: "queued", total_rows: 0 });
    const jobs = await db.selectFrom("outbox").select(["topic", "payload"]).orderBy("id", "desc").limit(1).execute();
    expect(jobs).toEqual([{ topic: "catalogue.import", payload: { importId } }]);
    expect(await count(db, "outbox")).toBe(outbox + 1);

    await runCatalogueImport(job, { importId });
    expect(await getCatalogueImport(seller, { importId })).toMatchObject({ status: "succeeded", createdCount: 1 });
  });

  test("wrong columns (unknown, missing, duplicated) fail the import at line 1, naming each column; nothing is written", async () => {
    const seller = await sellerMember(db);
    const columns: string[] = [...CSV_COLUMNS.filter((c) => c !== "list_price" && c !== "stock"), "price", "SKU"];
    const result = await importCsv(seller, csvOf([{ ...row("C-1"), price: "1" } as never], columns));
    expect(result).toMatchObject({ status: "failed", failure: "import.columns_invalid", totalRows: 0, processedRows: 0, createdCount: 0 });
    expect(result.errors).toEqual([
      { line: 1, column: "price", reason: "column.unknown" },
      { line: 1, column: "sku", reason: "column.duplicate" },
      { line: 1, column: "list_price", reason: "column.missing" },
      { line: 1, column: "stock", reason: "column.missing" },
    ]);
    expect(await count(db, "listings", seller.actor.organizationId)).toBe(0);
    // Any order, any case and spaces around the names are fine.
    const reordered = [...CSV_COLUMNS].reverse();
    const ok = await importCsv(seller, csvOf([row("C-2")], reordered).replace("sku", " SKU "));
    expect(ok).toMatchObject({ status: "succeeded", createdCount: 1 });
  });
});

describe("tenancy and permissions", () => {
  test("a seller reads only its own imports; rows only touch its own listings", async () => {
    const a = await sellerMember(db);
    const b = await sellerMember(db);
    await importCsv(b, csvOf([row("SHARED", { title: "B's carton", list_price: "99.00" })]));
    const bBefore = await listingsOf(db, b.actor.organizationId);

    const mine = await importCsv(a, csvOf([row("SHARED", { title: "A's carton" })]));
    expect(mine).toMatchObject({ createdCount: 1, updatedCount: 0 });
    expect(await listingsOf(db, b.actor.organizationId)).toEqual(bBefore);
    expect((await listingsOf(db, a.actor.organizationId)).get("SHARED")).toMatchObject({ title: "A's carton" });

    // Another seller's customer group is unknown to this one, even by its exact name.
    await createGroup(db, b.actor.organizationId, "B's best buyers");
    const foreign = await importCsv(a, csvOf([row("GROUPED", { visibility: "B's best buyers" })]));
    expect(foreign.errors).toEqual([{ line: 2, column: "visibility", reason: "visibility.unknown_group" }]);

    expect((await domainErrorOf(getCatalogueImport(b, { importId: mine.id }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(getCatalogueImport(a, { importId: "not-an-id" }))).code).toBe("NOT_FOUND");
    const listA = await listCatalogueImports(a, {});
    expect(listA).toMatchObject({ total: 2, page: 1, items: [{ id: foreign.id }, { id: mine.id, fileName: "catalogue.csv", status: "succeeded", createdCount: 1 }] });
    expect((await listCatalogueImports(b, { page: "1" })).items.map((i) => i.id)).not.toContain(mine.id);
    expect((await domainErrorOf(listCatalogueImports(a, { page: "zero" }))).fieldErrors).toEqual({ page: ["import.page_invalid"] });
  });

  test("buyers, operators and sellers' fulfilment members are refused", async () => {
    const seller = await sellerMember(db);
    const mine = await importCsv(seller, csvOf([row("P-1")]));
    const outsiders = [await memberOf(db, "buyer", "admin"), await memberOf(db, "operator", "admin"), await sellerMember(db, "active", "fulfilment")];
    for (const deps of outsiders) {
      expect((await domainErrorOf(startCatalogueImport(deps, { file: fileOf(csvOf([row("X")])) }))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(getCatalogueImport(deps, { importId: mine.id }))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(listCatalogueImports(deps, {}))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(exportSellerListingsCsv(deps, {}))).code).toBe("FORBIDDEN");
    }
    // A sales member may import.
    expect(await importCsv(await sellerMember(db, "active", "sales"), csvOf([row("S-1")]))).toMatchObject({ createdCount: 1 });
  });
});

describe("a retried job", () => {
  test("resumes after its last committed batch, whether the worker died or the job failed", async () => {
    const seller = await sellerMember(db);
    const sellerId = seller.actor.organizationId;
    const rows = Array.from({ length: 1_300 }, (_, i) => row(`RES-${String(i).padStart(4, "0")}`, { status: i % 2 === 0 ? "published" : "" }));
    const { importId } = await startCatalogueImport(seller, { file: fileOf(csvOf(rows)) });

    // The database refuses one listing of the second batch: the job stops there, as on a crash.
    await sql`
      create function refuse_crash_sku() returns trigger language plpgsql as $$
      begin if new.sku = 'RES-0700' then raise exception 'simulated crash'; end if; return new; end $$`.execute(db);
    await sql`create trigger refuse_crash_sku before insert on listings for each row execute function refuse_crash_sku()`.execute(db);
    await expect(runCatalogueImport(job, { importId })).rejects.toThrow(/simulated crash/);
    expect(await getCatalogueImport(seller, { importId })).toMatchObject({ status: "failed", failure: "import.interrupted", totalRows: 1_300, processedRows: 500, createdCount: 500 });
    expect(await count(db, "listings", sellerId)).toBe(500);

    // Still broken on the next try; then a worker dies mid-import, leaving it "running".
    await expect(runCatalogueImport(job, { importId })).rejects.toThrow(/simulated crash/);
    await db.updateTable("catalogue_imports").set({ status: "running", failure: null }).where("id", "=", importId).execute();
    await sql`drop trigger refuse_crash_sku on listings`.execute(db);

    await runCatalogueImport(job, { importId });
    const done = await getCatalogueImport(seller, { importId });
    expect(done).toMatchObject({ status: "succeeded", failure: null, totalRows: 1_300, processedRows: 1_300, createdCount: 1_300, updatedCount: 0, unchangedCount: 0, errorCount: 0 });
    const listings = await listingsOf(db, sellerId);
    expect(listings.size).toBe(1_300);
    expect([...listings.values()].filter((l) => l.status === "published")).toHaveLength(650);
    expect([...listings.values()].every((l) => l.version === 1)).toBe(true);
    // Every listing was queued for search exactly once.
    const synced = (await outboxSyncIds(db)).filter((id) => [...listings.values()].some((l) => l.id === id));
    expect(synced).toHaveLength(1_300);

    // A finished import delivered again is left alone.
    const outbox = await count(db, "outbox");
    await runCatalogueImport(job, { importId });
    expect(await getCatalogueImport(seller, { importId })).toEqual(done);
    expect(await count(db, "outbox")).toBe(outbox);
  });
});
