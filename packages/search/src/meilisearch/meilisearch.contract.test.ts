import { randomBytes } from "node:crypto";
import { afterAll, describe } from "vitest";
import { Meilisearch } from "meilisearch";
import { describeListingIndexContract } from "../contract";
import { createMeilisearchListingIndex, deleteMeilisearchIndex } from "./meilisearch-listing-index";

const url = process.env.MEILI_URL;
const adminKey = process.env.MEILI_ADMIN_KEY ?? process.env.MEILI_MASTER_KEY ?? "";

/** Runs only against a real server (`MEILI_URL`); never against a fake. */
describe.skipIf(!url)("meilisearch adapter", () => {
  const created: string[] = [];
  afterAll(async () => {
    for (const indexUid of created) await deleteMeilisearchIndex({ url: url!, adminKey, indexUid });
  });

  describeListingIndexContract("meilisearch", async () => {
    // The server's default search-only key unless one is given: queries must never use the admin key.
    const searchKey =
      process.env.MEILI_SEARCH_KEY ??
      (await new Meilisearch({ host: url!, apiKey: adminKey }).getKeys()).results.find(
        (k) => k.actions.length === 1 && k.actions[0] === "search" && k.indexes.includes("*"),
      )?.key;
    if (!searchKey) throw new Error("No search-only key: set MEILI_SEARCH_KEY");
    const indexUid = `listings_test_${randomBytes(6).toString("hex")}`;
    created.push(indexUid);
    const index = createMeilisearchListingIndex({ url: url!, adminKey, searchKey, indexUid });
    await index.configure();
    return index;
  });
});
