import type { Db } from "@souk/db";
import type { OrganizationStatus } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { TEST_URLS } from "../../identity/test-support";
import { memberOf } from "../../vetting/test-support";
import { CSV_COLUMNS, type CsvColumn } from "./columns";
import { getCatalogueImport, type CatalogueImportDetail } from "./get-catalogue-import";
import { runCatalogueImport } from "./run-catalogue-import";
import { startCatalogueImport } from "./start-catalogue-import";

/** Fixtures of the import tests (never exported from the package). */

export type Row = Partial<Record<CsvColumn, string>>;

/** A valid row; the test overrides what it is about. */
export function row(sku: string, overrides: Row = {}): Record<CsvColumn, string> {
  return {
    sku,
    title: `Carton ${sku}`,
    description: "",
    category: "packaging-boxes",
    unit: "box",
    currency: "EUR",
    list_price: "12.50",
    min_order_quantity: "1",
    stock: "10",
    lead_time_days: "3",
    tiers: "",
    attributes: "",
    visibility: "everyone",
    status: "",
    ...overrides,
  };
}

const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** A CSV file of these rows (CRLF), with the header in `columns` order. */
export function csvOf(rows: readonly Row[], columns: readonly string[] = CSV_COLUMNS): string {
  const lines = [columns.join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c as CsvColumn] ?? "")).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export const fileOf = (text: string | Uint8Array, name = "catalogue.csv") => ({ name, bytes: typeof text === "string" ? new TextEncoder().encode(text) : text });

/** A seller's member (owner unless told), its organisation active unless told. */
export async function sellerMember(db: Db, status: OrganizationStatus = "active", role: "owner" | "sales" | "fulfilment" = "owner"): Promise<ActorDeps> {
  return memberOf(db, "seller", role, { status });
}

/** Starts the import and runs its job as the worker would; the import as the page then reads it. */
export async function importCsv(deps: ActorDeps, text: string | Uint8Array): Promise<CatalogueImportDetail> {
  const { importId } = await startCatalogueImport(deps, { file: fileOf(text) });
  await runCatalogueImport({ db: deps.db, publicUrls: TEST_URLS }, { importId });
  return getCatalogueImport(deps, { importId });
}

export async function createGroup(db: Db, sellerId: string, name: string): Promise<string> {
  const group = await db.insertInto("customer_groups").values({ seller_id: sellerId, name }).returning("id").executeTakeFirstOrThrow();
  return group.id;
}

export async function count(db: Db, table: "listings" | "outbox" | "catalogue_imports", sellerId?: string): Promise<number> {
  let query = db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n"));
  if (sellerId && table !== "outbox") query = query.where("seller_id", "=", sellerId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** The seller's listings by SKU: what the tests compare before and after. */
export async function listingsOf(db: Db, sellerId: string) {
  const rows = await db.selectFrom("listings").selectAll().where("seller_id", "=", sellerId).orderBy("sku").execute();
  return new Map(rows.map((r) => [r.sku, r]));
}

/** Search-sync jobs in the outbox (an import's own job row is not one). */
export async function syncJobCount(db: Db): Promise<number> {
  const row = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).where("topic", "=", "search.listing.sync").executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function outboxSyncIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom("outbox").select("payload").where("topic", "=", "search.listing.sync").orderBy("id").execute();
  return rows.flatMap((r) => (r.payload as { listingIds: string[] }).listingIds);
}
