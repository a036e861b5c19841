import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { addToCart } from "./add-to-cart";
import { quickOrder, splitQuickOrderLine } from "./quick-order";
import { activeSeller, buyer, cartLines, domainErrorOf, group, listing, purchasingCounts } from "./test-support";

const { db } = await createTestDatabase();

let counter = 0;
const sku = (prefix: string) => `${prefix}-${++counter}`;

describe("reading a line", () => {
  test("commas, semicolons, tabs or spaces; a quoted seller name may hold a comma", () => {
    expect(splitQuickOrderLine("BX-1, 10")).toEqual(["BX-1", "10"]);
    expect(splitQuickOrderLine("BX-1;10;Cartons du Rhône")).toEqual(["BX-1", "10", "Cartons du Rhône"]);
    expect(splitQuickOrderLine("BX-1\t10")).toEqual(["BX-1", "10"]);
    expect(splitQuickOrderLine("BX-1   10  Cartons du Rhône")).toEqual(["BX-1", "10", "Cartons du Rhône"]);
    expect(splitQuickOrderLine('BX-1,10,"Smith, Jones & Co"')).toEqual(["BX-1", "10", "Smith, Jones & Co"]);
    expect(splitQuickOrderLine("BX-1")).toEqual(["BX-1"]);
  });
});

describe("quick order", () => {
  test("each line is reported; valid ones go to the cart (added to what is there), refused ones change nothing", async () => {
    const b = await buyer(db);
    const alpha = await activeSeller(db);
    const beta = await activeSeller(db);
    const outsiders = await buyer(db);
    const g = await group(db, alpha.id, [outsiders.id]);
    const boxes = await listing(db, alpha.id, { sku: sku("BOX"), minOrderQuantity: 10, stock: 100 });
    const film = await listing(db, alpha.id, { sku: sku("FILM"), stock: 5 });
    const hidden = await listing(db, alpha.id, { sku: sku("SECRET"), groupIds: [g] });
    const draft = await listing(db, beta.id, { sku: sku("DRAFT"), status: "draft" });
    const shared = sku("SHARED");
    const sharedAlpha = await listing(db, alpha.id, { sku: shared });
    const sharedBeta = await listing(db, beta.id, { sku: shared });
    await addToCart(b.purchaser, { listingId: boxes.id, quantity: "10" });

    const text = [
      `${boxes.sku}, 5`,
      `${film.sku};8`,
      "",
      `${hidden.sku}, 1`,
      `${draft.sku}, 1`,
      "NOPE-1, 3",
      `${boxes.sku}, 0`,
      `${film.sku}, 1.5`,
      `${shared}, 2`,
      `${shared}\t4\t${beta.name}`,
      `${shared.toLowerCase()} 1 ${alpha.name.toUpperCase()}`,
      `${shared}, 1, Nobody Ltd`,
      "just-a-sku",
    ].join("\n");
    const result = await quickOrder(b.purchaser, { text });
    const byLine = Object.fromEntries(result.lines.map((l) => [l.line, l]));
    expect(result.lines).toHaveLength(12);
    expect(byLine[1]).toMatchObject({ status: "added", quantity: 5, listing: { id: boxes.id }, errors: [], warnings: [] });
    expect(byLine[2]).toMatchObject({ status: "added", quantity: 8, listing: { id: film.id }, warnings: [{ key: "quickOrder.above_stock", params: { stock: 5 } }] });
    // Hidden and draft listings read exactly like an unknown SKU: nothing tells they exist.
    expect(byLine[4]).toMatchObject({ status: "refused", listing: null, errors: [{ key: "quickOrder.sku_unknown", params: { sku: hidden.sku } }] });
    expect(byLine[5]).toMatchObject({ status: "refused", listing: null, errors: [{ key: "quickOrder.sku_unknown", params: { sku: draft.sku } }] });
    expect(byLine[6]).toMatchObject({ status: "refused", errors: [{ key: "quickOrder.sku_unknown", params: { sku: "NOPE-1" } }] });
    expect(byLine[7]).toMatchObject({ status: "refused", errors: [{ key: "quickOrder.quantity_invalid" }] });
    expect(byLine[8]).toMatchObject({ status: "refused", errors: [{ key: "quickOrder.quantity_invalid" }] });
    expect(byLine[9]).toMatchObject({ status: "refused", errors: [{ key: "quickOrder.ambiguous", params: { sellers: [alpha.name, beta.name].sort().join(", ") } }] });
    expect(byLine[10]).toMatchObject({ status: "added", listing: { id: sharedBeta.id } });
    expect(byLine[11]).toMatchObject({ status: "added", listing: { id: sharedAlpha.id } });
    expect(byLine[12]).toMatchObject({ status: "refused", errors: [{ key: "quickOrder.sku_unknown_for_seller" }] });
    expect(byLine[13]).toMatchObject({ status: "refused", errors: [{ key: "quickOrder.line_unreadable" }] });
    expect(result).toMatchObject({ addedLines: 4, refusedLines: 8 });
    expect(result.refusedText.split("\n")).toHaveLength(8);
    expect(await cartLines(db, b.purchaser)).toEqual({ [boxes.id]: 15, [film.id]: 8, [sharedBeta.id]: 4, [sharedAlpha.id]: 1 });
  });

  test("the minimum counts what the cart holds and every line of the listing; below it, the listing's lines are refused", async () => {
    const b = await buyer(db);
    const s = await activeSeller(db);
    const boxes = await listing(db, s.id, { sku: sku("MOQ"), minOrderQuantity: 20 });
    const before = await purchasingCounts(db);
    const low = await quickOrder(b.purchaser, { text: `${boxes.sku}, 5\n${boxes.sku}, 6` });
    expect(low.lines.map((l) => l.errors)).toEqual([
      [{ key: "quickOrder.below_minimum", params: { minimum: 20, unit: "piece" } }],
      [{ key: "quickOrder.below_minimum", params: { minimum: 20, unit: "piece" } }],
    ]);
    expect(await purchasingCounts(db)).toEqual(before);
    const enough = await quickOrder(b.purchaser, { text: `${boxes.sku}, 5\n${boxes.sku}, 15` });
    expect(enough.addedLines).toBe(2);
    expect(await cartLines(db, b.purchaser)).toEqual({ [boxes.id]: 20 });
  });

  test("a CSV file (with a header, a BOM, CRLF) goes the same way; bad files and empty orders are field errors", async () => {
    const b = await buyer(db);
    const s = await activeSeller(db);
    const boxes = await listing(db, s.id, { sku: sku("CSV") });
    const csv = `\uFEFFsku,quantity\r\n${boxes.sku},7\r\nUNKNOWN-9,1\r\n`;
    const result = await quickOrder(b.purchaser, { text: "", file: new File([csv], "order.csv", { type: "text/csv" }) });
    expect(result.lines).toMatchObject([
      { source: "file", line: 2, status: "added", quantity: 7 },
      { source: "file", line: 3, status: "refused" },
    ]);
    expect(await cartLines(db, b.purchaser)).toEqual({ [boxes.id]: 7 });

    const before = await purchasingCounts(db);
    expect((await domainErrorOf(quickOrder(b.purchaser, { text: " \n\n " }))).fieldErrors).toEqual({ text: ["quickOrder.empty"] });
    expect((await domainErrorOf(quickOrder(b.purchaser, { file: new File([new Uint8Array([0, 1, 2, 0xff])], "x.csv") }))).fieldErrors).toEqual({ file: ["quickOrder.file_not_csv"] });
    expect((await domainErrorOf(quickOrder(b.purchaser, { file: new File([new Uint8Array(1024 * 1024 + 1).fill(65)], "big.csv") }))).fieldErrors).toEqual({ file: ["quickOrder.file_too_large"] });
    expect((await domainErrorOf(quickOrder(b.purchaser, { file: new File([""], "empty.csv") }))).fieldErrors).toEqual({ file: ["quickOrder.file_empty"] });
    const tooMany = Array.from({ length: 501 }, () => `${boxes.sku}, 1`).join("\n");
    expect((await domainErrorOf(quickOrder(b.purchaser, { text: tooMany }))).fieldErrors).toEqual({ text: ["quickOrder.too_many_lines"] });
    expect((await domainErrorOf(quickOrder(b.purchaser, { text: `${boxes.sku}, 1\u0000` }))).fieldErrors).toEqual({ text: ["quickOrder.text_invalid"] });
    expect(await purchasingCounts(db)).toEqual(before);
    expect(await cartLines(db, b.purchaser)).toEqual({ [boxes.id]: 7 });
    for (const who of [b.viewer, b.approver]) expect((await domainErrorOf(quickOrder(who, { text: `${boxes.sku}, 1` }))).code).toBe("FORBIDDEN");
  });
});
