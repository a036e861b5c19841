import { sql, type Kysely } from "kysely";
import type { Database } from "@souk/db";
import type { Drill } from "./drill";
import type { Sample } from "./load";

type Db = Kysely<Database>;

/**
 * What a half-written business object would look like, one query each: every count must be 0.
 * Each use case writes its object in one transaction, so a connection cut in the middle must leave
 * either all of it or nothing.
 */
const HALF_WRITTEN: Record<string, string> = {
  "offers without lines": `select count(*) from offers o where not exists (select 1 from offer_lines l where l.offer_id = o.id)`,
  "offers whose total is not the sum of their lines": `select count(*) from offers o where o.total_minor <> (select coalesce(sum(l.unit_price_minor * l.quantity), 0) from offer_lines l where l.offer_id = o.id)`,
  "offers whose revision has no receipt": `select count(*) from offers o where not exists (select 1 from offer_revisions r where r.offer_id = o.id and r.revision = o.revision)`,
  "offer receipts beyond the offer's revision": `select count(*) from offer_revisions r join offers o on o.id = r.offer_id where r.revision > o.revision`,
  "RFQs (not drafts) without lines": `select count(*) from rfqs r where r.status <> 'draft' and not exists (select 1 from rfq_lines l where l.rfq_id = r.id)`,
  "purchases without lines": `select count(*) from purchases p where not exists (select 1 from purchase_lines l where l.purchase_id = p.id)`,
  "purchases whose total is not the sum of their lines": `select count(*) from purchases p where p.total_minor <> (select coalesce(sum(l.line_total_minor), 0) from purchase_lines l where l.purchase_id = p.id)`,
  "placed purchases without orders": `select count(*) from purchases p where p.status = 'placed' and not exists (select 1 from orders o where o.purchase_id = p.id)`,
  "placed purchases whose orders do not add up to it": `select count(*) from purchases p where p.status = 'placed' and p.total_minor <> (select coalesce(sum(o.total_minor), 0) from orders o where o.purchase_id = p.id)`,
  "purchase lines not in one of its orders": `select count(*) from purchase_lines pl join purchases p on p.id = pl.purchase_id where p.status = 'placed' and not exists (select 1 from orders o join order_lines ol on ol.order_id = o.id where o.purchase_id = pl.purchase_id and ol.listing_id = pl.listing_id and ol.quantity = pl.quantity)`,
  "orders without lines": `select count(*) from orders o where not exists (select 1 from order_lines l where l.order_id = o.id)`,
  "orders whose total is not the sum of their lines": `select count(*) from orders o where o.total_minor <> (select coalesce(sum(l.line_total_minor), 0) from order_lines l where l.order_id = o.id)`,
  "journals without entries": `select count(*) from journals j where not exists (select 1 from ledger_entries e where e.journal_id = j.id)`,
  "journals that do not balance": `select count(*) from (select journal_id from ledger_entries group by journal_id, currency having sum(amount_minor) <> 0) x`,
  "notification e-mails of an outbox row written twice": `select count(*) from (select outbox_id from notifications where outbox_id is not null group by outbox_id having count(*) > 1) x`,
};

export async function checkNoHalfWrittenObjects(drill: Drill, db: Db): Promise<void> {
  for (const [label, query] of Object.entries(HALF_WRITTEN)) {
    const { rows } = await sql<{ count: string }>`${sql.raw(query)}`.execute(db);
    const n = Number(rows[0]?.count ?? -1);
    drill.check(`no ${label}`, n === 0, `${n}`);
  }
  const counts = await sql<{ purchases: string; orders: string; offers: string; receipts: string; journals: string }>`
    select (select count(*) from purchases) as purchases, (select count(*) from orders) as orders, (select count(*) from offers) as offers,
           (select count(*) from offer_revisions) as receipts, (select count(*) from journals) as journals`.execute(db);
  drill.figure("objects checked", JSON.stringify(counts.rows[0]));
}

export interface WriteTally {
  confirmed: number;
  /** Confirmed writes whose tag is in the database exactly once. */
  confirmedOnce: number;
  /** Confirmed writes missing from the database, or there more than once. */
  confirmedWrong: string[];
  failed: number;
  /** Writes answered with an error that committed anyway (the answer lost after the commit). */
  failedButWritten: number;
  /** Tags written more than once. */
  doubled: string[];
}

/**
 * The database's side of every tagged write the load made: checkouts are purchases carrying the
 * PO number, offers are receipts carrying the note.
 */
export async function tallyWrites(db: Db, samples: readonly Sample[], kind: "write checkout" | "write offer"): Promise<WriteTally> {
  const writes = samples.filter((s) => s.kind === kind && s.tag);
  const tags = writes.map((s) => s.tag!);
  const counts = new Map<string, number>();
  if (tags.length > 0) {
    const rows =
      kind === "write checkout"
        ? await db.selectFrom("purchases").select(["po_number as tag"]).where("po_number", "in", tags).execute()
        : await sql<{ tag: string }>`select content::jsonb ->> 'notes' as tag from offer_revisions where content::jsonb ->> 'notes' = any(${tags}::text[])`.execute(db).then((r) => r.rows);
    for (const row of rows) counts.set(row.tag, (counts.get(row.tag) ?? 0) + 1);
  }
  const tally: WriteTally = { confirmed: 0, confirmedOnce: 0, confirmedWrong: [], failed: 0, failedButWritten: 0, doubled: [] };
  for (const write of writes) {
    const n = counts.get(write.tag!) ?? 0;
    if (n > 1) tally.doubled.push(write.tag!);
    if (write.ok) {
      tally.confirmed += 1;
      if (n === 1) tally.confirmedOnce += 1;
      else tally.confirmedWrong.push(`${write.tag} ×${n}`);
    } else {
      tally.failed += 1;
      if (n > 0) tally.failedButWritten += 1;
    }
  }
  return tally;
}

/** Unsent outbox rows that are due (the relay's backlog; an RFQ's close row waits for its deadline). */
export async function outboxBacklog(db: Db): Promise<number> {
  const row = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("sent_at", "is", null)
    .where("available_at", "<=", sql<Date>`now()`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
