import { sql } from "kysely";
import { createTestDatabase } from "@souk/testing";
import { describeListingIndexContract } from "../contract";
import { createPostgresListingIndex } from "./postgres-listing-index";

const t = await createTestDatabase();

describeListingIndexContract("postgres", async () => {
  await sql`truncate search_listings`.execute(t.db);
  const index = createPostgresListingIndex(t.db);
  await index.configure();
  return index;
});
