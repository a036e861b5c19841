import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { OrganizationId, UserId } from "@souk/domain";
import { createQueues, createRedisConnection, outboxJobId } from "@souk/jobs";
import { createPostgresListingIndex, type ListingIndex } from "@souk/search";
import {
  buildListingDocuments,
  decideSeller,
  parseListingFields,
  queueListingSync,
  saveListing,
  startCatalogueImport,
  syncListings,
  type ActorDeps,
} from "@souk/services";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl } from "@souk/testing";
import { captureLogger, getHealth, jobInState, testConfig, waitFor } from "./test/helpers";
import { startWorker, type RunningWorker } from "./worker";

const t = await createTestDatabase();
const db = t.db;
/** The worker may not import @souk/db (DESIGN.md §3): the test database's own handle type. */
type Db = typeof db;
const index = createPostgresListingIndex(db);
const prefixes: string[] = [];
const running: RunningWorker[] = [];
afterEach(async () => {
  for (const worker of running.splice(0)) await worker.stop();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
});

async function start(databaseUrl: string, overrides: Parameters<typeof testConfig>[1] = {}) {
  const config = testConfig(databaseUrl, overrides);
  prefixes.push(config.queuePrefix);
  const { logger, entries } = captureLogger();
  running.push(await startWorker(config, { logger }));
  return { config, entries };
}

let counter = 0;

async function member(target: Db, kind: "operator" | "seller", role: "moderator" | "owner", status: "active" | "pending" = "active") {
  counter += 1;
  const org = await target
    .insertInto("organizations")
    .values({ kind, name: `${kind === "seller" ? "Seller" : "Ops"} ${counter}`, status })
    .returning("id")
    .executeTakeFirstOrThrow();
  const user = await target
    .insertInto("users")
    .values({ email: `${role}${counter}.${Date.now()}@example.test`, name: `${role} ${counter}`, password_hash: "x" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await target.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).execute();
  const deps: ActorDeps = {
    db: target,
    publicUrls: testConfig(t.url).publicUrls,
    request: { app: kind, ip: "203.0.113.9", userAgent: "vitest" },
    session: { id: "s", userId: user.id },
    actor: { userId: user.id as UserId, organizationId: org.id as OrganizationId, organizationKind: kind, organizationStatus: "active", role, ip: "203.0.113.9" },
  };
  return { id: org.id, deps };
}

const categoryIdOf = async (target: Db, slug: string) =>
  (await target.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;

/** Writes a listing the way the seller's services do: fields, status and the search sync in one transaction. */
async function commitListing(
  target: Db,
  sellerId: string,
  values: { sku: string; title: string; status?: "draft" | "published" | "unlisted"; listingId?: string },
): Promise<string> {
  const parsed = parseListingFields({
    sku: values.sku,
    title: values.title,
    categoryId: await categoryIdOf(target, "safety-gloves"),
    unit: "box",
    currency: "EUR",
    listPrice: "12.50",
    stock: "40",
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return target.transaction().execute(async (trx) => {
    const { id } = await saveListing(trx, { sellerId, ...(values.listingId ? { listingId: values.listingId } : {}) }, parsed.fields);
    await trx
      .updateTable("listings")
      .set((eb) => ({ status: values.status ?? "published", version: eb("version", "+", 1), updated_at: new Date() }))
      .where("id", "=", id)
      .execute();
    await queueListingSync(trx, [id]);
    return id;
  });
}

const hitIds = async (text: string, on: ListingIndex = index) => (await on.search({ text, visibility: { buyerGroupIds: [] } })).hits.map((h) => h.id);

describe("search sync", () => {
  it("a committed listing change reaches the PostgreSQL index through the outbox, the relay, the search queue and its worker", async () => {
    const seller = await member(db, "seller", "owner");
    // Committed while no worker runs: only PostgreSQL is involved.
    const id = await commitListing(db, seller.id, { sku: "NIT-1", title: "Nitrile examination gloves" });
    expect(await hitIds("nitrile")).toEqual([]);

    const { config, entries } = await start(t.url);
    await waitFor(async () => (await hitIds("nitrile")).includes(id), 15_000, "the listing to be searchable");
    const [hit] = (await index.search({ text: "nitrile", visibility: { buyerGroupIds: [] } })).hits;
    expect(hit).toMatchObject({ id, sku: "NIT-1", sellerId: seller.id, listPriceMinor: "1250", inStock: true, categoryPath: { en: ["Safety and PPE", "Gloves"] } });

    // The job ran on the search queue, as the catalogue says.
    const row = await db.selectFrom("outbox").select("job_key").where("topic", "=", "search.listing.sync").executeTakeFirstOrThrow();
    const producer = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(producer, config.queuePrefix);
    try {
      const job = await jobInState(queues.byName.search, outboxJobId(row.job_key), "completed", 10_000);
      expect(job).toMatchObject({ name: "search.listing.sync", data: { listingIds: [id] }, returnvalue: { upserted: 1, removed: 0 } });
      expect(await queues.byName.search.getGlobalConcurrency()).toBe(1);
    } finally {
      await queues.close();
      producer.disconnect();
    }
    expect(entries.some((e) => e.message === "search index configured" && e.engine === "postgres")).toBe(true);

    await commitListing(db, seller.id, { sku: "NIT-1", title: "Vinyl examination gloves", listingId: id });
    await waitFor(async () => (await hitIds("vinyl")).includes(id), 15_000, "the new title to be searchable");
    expect(await hitIds("nitrile")).toEqual([]);

    await commitListing(db, seller.id, { sku: "NIT-1", title: "Vinyl examination gloves", listingId: id, status: "unlisted" });
    await waitFor(async () => !(await hitIds("vinyl")).includes(id), 15_000, "the unlisted listing to leave the index");
  });

  it("a seller's suspension takes its listings out of the index; its reinstatement brings the published ones back", async () => {
    const seller = await member(db, "seller", "owner");
    const bystander = await member(db, "seller", "owner");
    const moderator = await member(db, "operator", "moderator");
    const published = [
      await commitListing(db, seller.id, { sku: "CRT-1", title: "Corrugated carton small" }),
      await commitListing(db, seller.id, { sku: "CRT-2", title: "Corrugated carton large" }),
    ];
    await commitListing(db, seller.id, { sku: "CRT-3", title: "Corrugated carton draft", status: "draft" });
    const others = await commitListing(db, bystander.id, { sku: "CRT-9", title: "Corrugated carton elsewhere" });
    const all = [...published, others].sort();

    await start(t.url);
    await waitFor(async () => (await hitIds("corrugated")).length === 3, 15_000, "the listings to be searchable");
    expect((await hitIds("corrugated")).sort()).toEqual(all);

    await decideSeller(moderator.deps, { organizationId: seller.id, decision: "suspend", message: "Counterfeit goods." });
    await waitFor(async () => (await hitIds("corrugated")).length === 1, 15_000, "the suspended seller's listings to leave the index");
    expect(await hitIds("corrugated")).toEqual([others]);

    await decideSeller(moderator.deps, { organizationId: seller.id, decision: "reinstate" });
    await waitFor(async () => (await hitIds("corrugated")).length === 3, 15_000, "the reinstated seller's listings to come back");
    expect((await hitIds("corrugated")).sort()).toEqual(all);
  });

  it("the scheduled reconciliation repairs drift: a document deleted behind its back, a stale checksum, an extra document", async () => {
    // A database of its own: the reconciliation looks at the whole index.
    const own = await createTestDatabase();
    const ownIndex = createPostgresListingIndex(own.db);
    const deps = { db: own.db, publicUrls: testConfig(own.url).publicUrls, listingIndex: ownIndex };
    const seller = await member(own.db, "seller", "owner");
    const gloves = await categoryIdOf(own.db, "safety-gloves");
    const ids = (
      await own.db
        .insertInto("listings")
        .values(
          ["Latex", "Cotton", "Leather", "Kevlar"].map((word, i) => ({
            seller_id: seller.id,
            sku: `DRIFT-${i}`,
            title: `${word} work gloves`,
            category_id: gloves,
            unit: "pair",
            currency: "EUR",
            list_price_minor: "900",
            status: "published" as const,
          })),
        )
        .returning("id")
        .execute()
    ).map((r) => r.id);
    // Indexed once, directly: no outbox row, so only the reconciliation can touch the index below.
    await syncListings(deps, { listingIds: ids });
    await ownIndex.remove([ids[0]!]);
    await own.db.updateTable("search_listings").set({ checksum: "drifted", title: "Tampered" }).where("id", "=", ids[1]!).execute();
    const [template] = (await buildListingDocuments(own.db, { listingIds: [ids[2]!] })).docs;
    await ownIndex.upsert([{ ...template!, id: "ghost-listing", title: "Ghost gloves" }]);

    const { entries } = await start(own.url, { reconcileIntervalMs: 1_000 });
    const run = await waitFor(
      () => own.db.selectFrom("search_index_runs").selectAll().where("status", "=", "succeeded").orderBy("created_at").executeTakeFirst(),
      20_000,
      "a scheduled reconciliation to succeed",
    );
    expect(run).toMatchObject({ kind: "reconcile", requested_by: null, expected_count: 4, indexed_count: 4, missing_count: 1, stale_count: 1, extra_count: 1 });
    expect(entries.some((e) => e.message === "search reconciliation scheduled" && e.runId === run.id)).toBe(true);

    const expected = Object.fromEntries((await buildListingDocuments(own.db, { listingIds: ids })).docs.map((d) => [d.id, d.checksum]));
    expect((await ownIndex.stats()).checksums).toEqual(expected);
    expect(await hitIds("latex", ownIndex)).toEqual([ids[0]]);
    expect(await hitIds("ghost", ownIndex)).toEqual([]);
  });

  it("an import runs on the imports queue, and its published rows become searchable", async () => {
    const seller = await member(db, "seller", "owner");
    await start(t.url);
    const csv = [
      "sku,title,description,category,unit,currency,list_price,min_order_quantity,stock,lead_time_days,tiers,attributes,visibility,status",
      "IMP-1,Bamboo chopsticks,,food-service-disposables,pack,EUR,4.20,10,500,3,,,everyone,published",
      "IMP-2,Bamboo skewers,,food-service-disposables,pack,EUR,3.10,10,500,3,,,everyone,draft",
    ].join("\n");
    const { importId } = await startCatalogueImport(seller.deps, { file: new File([csv], "catalogue.csv", { type: "text/csv" }) });

    const done = await waitFor(
      async () => {
        const row = await db.selectFrom("catalogue_imports").select(["status", "created_count", "error_count", "failure"]).where("id", "=", importId).executeTakeFirstOrThrow();
        return row.status === "succeeded" || row.status === "failed" ? row : undefined;
      },
      20_000,
      "the import to finish",
    );
    expect(done).toEqual({ status: "succeeded", created_count: 2, error_count: 0, failure: null });
    const listing = await db.selectFrom("listings").select("id").where("seller_id", "=", seller.id).where("sku", "=", "IMP-1").executeTakeFirstOrThrow();
    await waitFor(async () => (await hitIds("bamboo")).includes(listing.id), 15_000, "the imported listing to be searchable");
    expect(await hitIds("skewers")).toEqual([]);
  });

  it("starts without its search index, retries the set-up, and leaves search jobs queued meanwhile", async () => {
    const seller = await member(db, "seller", "owner");
    // A real Meilisearch client, no server behind the address: configure() fails until one answers.
    const meili = { meiliUrl: "http://127.0.0.1:9", meiliAdminKey: "admin", meiliSearchKey: "search", meiliIndexUid: null };
    const { config, entries } = await start(t.url, { search: meili });
    const worker = running[running.length - 1]!;
    expect(await getHealth(worker.healthPort)).toEqual({ status: 200, body: { postgres: "ok", redis: "ok", settlement: "ok" } });
    await waitFor(async () => entries.filter((e) => e.message === "search index set-up failed; retrying").length >= 2, 10_000, "two set-up attempts");
    expect(entries.find((e) => e.message === "search index set-up failed; retrying")).toMatchObject({ engine: "meilisearch", attempt: 1 });

    const id = await commitListing(db, seller.id, { sku: "WAIT-1", title: "Queued until configured" });
    const row = await db.selectFrom("outbox").select("job_key").where("topic", "=", "search.listing.sync").orderBy("id", "desc").executeTakeFirstOrThrow();
    const producer = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(producer, config.queuePrefix);
    try {
      const job = await waitFor(() => queues.byName.search.getJob(outboxJobId(row.job_key)), 10_000, "the sync job to be queued");
      expect(job.data).toEqual({ listingIds: [id] });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await job.getState()).toBe("waiting");
    } finally {
      await queues.close();
      producer.disconnect();
    }
    const started = Date.now();
    await worker.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
