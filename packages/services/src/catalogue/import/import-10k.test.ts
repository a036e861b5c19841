import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { TEST_URLS } from "../../identity/test-support";
import { getCatalogueImport } from "./get-catalogue-import";
import { runCatalogueImport } from "./run-catalogue-import";
import { CATALOGUE_IMPORT_LIMITS } from "./shared";
import { startCatalogueImport } from "./start-catalogue-import";
import { count, createGroup, csvOf, fileOf, row, sellerMember, syncJobCount } from "./test-support";

const { db } = await createTestDatabase();
const ROWS = 10_000;

/** Starts and runs the import, watching its progress from another connection as the page would. */
async function timedImport(deps: Awaited<ReturnType<typeof sellerMember>>, text: string) {
  const started = performance.now();
  const { importId } = await startCatalogueImport(deps, { file: fileOf(text) });
  const seen = new Set<number>();
  let running = true;
  const watch = (async () => {
    while (running) {
      const progress = await db.selectFrom("catalogue_imports").select("processed_rows").where("id", "=", importId).executeTakeFirstOrThrow();
      seen.add(progress.processed_rows);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  await runCatalogueImport({ db, publicUrls: TEST_URLS }, { importId });
  const ms = performance.now() - started;
  running = false;
  await watch;
  return { result: await getCatalogueImport(deps, { importId }), ms, seen };
}

describe("a 10,000-row file", () => {
  test("imports in well under a minute, showing progress batch by batch; the second run changes nothing", { timeout: 180_000 }, async () => {
    const seller = await sellerMember(db);
    await createGroup(db, seller.actor.organizationId, "Key accounts");
    const rows = Array.from({ length: ROWS }, (_, i) =>
      row(`SKU-${String(i).padStart(5, "0")}`, {
        title: `Double-wall shipping carton no. ${i}`,
        description: i % 10 === 0 ? `Strong, "export" grade.\nBatch ${i}` : "",
        category: i % 2 === 0 ? "packaging-boxes" : "tools-fasteners",
        list_price: `${(i % 500) + 1}.${String(i % 100).padStart(2, "0")}`,
        stock: String(i % 1000),
        tiers: `10=${(i % 500) + 0.5};100=${(i % 500) + 0.25}`,
        attributes: `size=${i % 7};colour=brown`,
        visibility: i % 5 === 0 ? "Key accounts" : "everyone",
        status: i % 3 === 0 ? "published" : "",
      }),
    );
    const text = csvOf(rows);

    const first = await timedImport(seller, text);
    console.info(`catalogue import, ${ROWS} rows (${(text.length / 1024 / 1024).toFixed(1)} MB), first run (all created): ${(first.ms / 1000).toFixed(2)} s`);
    expect(first.result).toMatchObject({ status: "succeeded", totalRows: ROWS, processedRows: ROWS, createdCount: ROWS, errorCount: 0 });
    expect(first.ms).toBeLessThan(30_000);
    expect(await count(db, "listings", seller.actor.organizationId)).toBe(ROWS);
    // Progress moved in steps of a batch, and the page could see steps between 0 and the end.
    expect([...first.seen].every((n) => n % CATALOGUE_IMPORT_LIMITS.batchRows === 0)).toBe(true);
    expect([...first.seen].filter((n) => n > 0 && n < ROWS).length).toBeGreaterThan(0);

    const syncJobs = await syncJobCount(db);
    const second = await timedImport(seller, text);
    console.info(`catalogue import, ${ROWS} rows, second run (all unchanged): ${(second.ms / 1000).toFixed(2)} s`);
    expect(second.result).toMatchObject({ status: "succeeded", createdCount: 0, updatedCount: 0, unchangedCount: ROWS, errorCount: 0 });
    expect(second.ms).toBeLessThan(30_000);
    expect(await syncJobCount(db)).toBe(syncJobs);

    const edited = csvOf(rows.map((r) => ({ ...r, title: `${r.title} (v2)`, stock: "5" })));
    const third = await timedImport(seller, edited);
    console.info(`catalogue import, ${ROWS} rows, third run (all updated): ${(third.ms / 1000).toFixed(2)} s`);
    expect(third.result).toMatchObject({ status: "succeeded", createdCount: 0, updatedCount: ROWS, unchangedCount: 0, errorCount: 0 });
    expect(third.ms).toBeLessThan(30_000);
    // One search-sync job per batch.
    expect(await syncJobCount(db)).toBe(syncJobs + ROWS / CATALOGUE_IMPORT_LIMITS.batchRows);
  });
});
