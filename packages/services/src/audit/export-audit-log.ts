import { assertCan, validationError } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { auditLogFilterSchema, auditRows, selectEntries, toEntry, type AuditLogEntry } from "./list-audit-log";
import { recordAudit } from "./record-audit";

/** Past this, the export is refused: narrow the filters (a day range) instead. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

export const exportAuditLogSchema = auditLogFilterSchema;

const COLUMNS: readonly [string, (e: AuditLogEntry) => string | null][] = [
  ["occurred_at", (e) => e.occurredAt.toISOString()],
  ["action", (e) => e.action],
  ["actor_name", (e) => e.actor?.name ?? null],
  ["actor_email", (e) => e.actor?.email ?? null],
  ["actor_user_id", (e) => e.actor?.userId ?? null],
  ["actor_organization", (e) => e.actorOrganization?.name ?? null],
  ["actor_organization_id", (e) => e.actorOrganization?.id ?? null],
  ["organization", (e) => e.organization?.name ?? null],
  ["organization_id", (e) => e.organization?.id ?? null],
  ["target_type", (e) => e.targetType],
  ["target_id", (e) => e.targetId],
  ["ip", (e) => e.ip],
  ["reason", (e) => e.reason],
  ["data", (e) => (Object.keys(e.data).length > 0 ? JSON.stringify(e.data) : null)],
];

// A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)"): the
// apostrophe makes it text. Tab and carriage return are on OWASP's list too (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; never a formula. */
export function csvField(value: string | null): string {
  if (value === null) return "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text (RFC 4180): CRLF after every record, the header included. */
export function toCsv(header: readonly string[], records: readonly (readonly (string | null)[])[]): string {
  return [header, ...records].map((fields) => `${fields.map(csvField).join(",")}\r\n`).join("");
}

/**
 * The audit log under the same filters as listAuditLog, every matching row (newest first) as CSV
 * with a header row, for operators who read the audit log. Values typed by users (names, reasons)
 * cannot become spreadsheet formulas. The export itself is audited (`audit.exported`, with the
 * filters): a copy of the log leaves the system.
 */
export async function exportAuditLogCsv(deps: ActorDeps, input: unknown = {}): Promise<string> {
  const { db, actor, request } = deps;
  assertCan(actor, "read:audit:any");
  const filters = parseInput(exportAuditLogSchema, input);

  const { n } = await auditRows(db, filters)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  if (Number(n) > AUDIT_EXPORT_MAX_ROWS) throw validationError({ _form: ["audit.export_too_large"] }, "audit.export_too_large");

  const rows = (await selectEntries(auditRows(db, filters)).limit(AUDIT_EXPORT_MAX_ROWS).execute()).map(toEntry);
  const csv = toCsv(
    COLUMNS.map(([name]) => name),
    rows.map((entry) => COLUMNS.map(([, value]) => value(entry))),
  );

  await recordAudit(db, {
    actor,
    action: "audit.exported",
    targetType: "audit_log",
    ip: request.ip,
    data: { rows: rows.length, filters: describeFilters(input) },
  });
  return csv;
}

/** The filters as the operator gave them (strings only), for the record of the export. */
function describeFilters(input: unknown): Record<string, string> {
  if (typeof input !== "object" || input === null) return {};
  const known = ["actor", "organizationId", "action", "from", "to"];
  return Object.fromEntries(
    Object.entries(input as Record<string, unknown>).filter(
      (entry): entry is [string, string] => known.includes(entry[0]) && typeof entry[1] === "string" && entry[1].trim() !== "",
    ),
  );
}
