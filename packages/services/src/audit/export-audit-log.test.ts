import { describe, expect, test } from "vitest";
import { sql } from "kysely";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { decideSeller } from "../vetting/decide-seller";
import { memberOf, operator, seller } from "../vetting/test-support";
import { AUDIT_EXPORT_MAX_ROWS, csvField, exportAuditLogCsv, toCsv } from "./export-audit-log";

const { db } = await createTestDatabase();

/** A strict RFC 4180 reader, to prove that what we write reads back as the same fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"' && field === "") {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else {
          field += text[i];
          i += 1;
        }
      }
      if (text[i] !== "," && text.slice(i, i + 2) !== "\r\n") throw new Error(`garbage after a quoted field at ${i}`);
    } else if (text[i] === ",") {
      record.push(field);
      field = "";
      i += 1;
    } else if (text.slice(i, i + 2) === "\r\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else {
      if (text[i] === '"' || text[i] === "\n" || text[i] === "\r") throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
      field += text[i];
      i += 1;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("the last record has no CRLF");
  return records;
}

describe("csvField", () => {
  test.each([
    ["plain", "plain"],
    ["", ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r\nlf", '"cr\r\nlf"'],
    ["=1+2", "'=1+2"],
    ["+33 6 12 34 56 78", "'+33 6 12 34 56 78"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tTAB", "'\tTAB"],
    ['=HYPERLINK("http://evil.test","x"),1', `"'=HYPERLINK(""http://evil.test"",""x""),1"`],
    ["a=b", "a=b"],
  ])("%j → %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  test("null is an empty field", () => {
    expect(csvField(null)).toBe("");
    expect(toCsv(["a", "b"], [[null, "x"]])).toBe("a,b\r\n,x\r\n");
  });
});

describe("exportAuditLogCsv", () => {
  test("exports the filtered rows with a header; hostile values read back intact and inert", async () => {
    const admin = await operator(db, "admin", '=cmd|" /C calc"!A0');
    const s = await seller(db, { status: "active" });
    const reason = 'Sold "original" goods, which were not;\nsee ticket #42\r\n=HYPERLINK("http://evil.test")';
    await decideSeller(admin, { organizationId: s.id, decision: "suspend", message: reason });
    await decideSeller(admin, { organizationId: s.id, decision: "reinstate" });

    const csv = await exportAuditLogCsv(admin, { organizationId: s.id, action: "seller.*" });
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([
      "occurred_at",
      "action",
      "actor_name",
      "actor_email",
      "actor_user_id",
      "actor_organization",
      "actor_organization_id",
      "organization",
      "organization_id",
      "target_type",
      "target_id",
      "ip",
      "reason",
      "data",
    ]);
    expect(rows.map((r) => r[1])).toEqual(["seller.reinstated", "seller.suspended"]);
    const suspended = Object.fromEntries((header ?? []).map((name, i) => [name, rows[1]?.[i]]));
    expect(suspended).toMatchObject({
      actor_name: `'=cmd|" /C calc"!A0`,
      actor_user_id: admin.actor.userId,
      organization: s.name,
      organization_id: s.id,
      ip: admin.request.ip,
      reason,
    });
    expect(new Date(suspended.occurred_at ?? "").toISOString()).toBe(suspended.occurred_at);
    expect(JSON.parse(suspended.data ?? "")).toMatchObject({ decision: "suspend", from: "active", to: "suspended" });
    // No cell of the file starts a formula.
    for (const record of [header, ...rows]) for (const cell of record ?? []) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  test("records the export itself, with the filters, after the rows it exported", async () => {
    const moderator = await operator(db, "moderator");
    const csv = await exportAuditLogCsv(moderator, { action: "seller.*", from: "2000-01-01", page: "3" });
    const exported = parseCsv(csv).length - 1;
    const row = await db.selectFrom("audit_log").selectAll().where("action", "=", "audit.exported").where("actor_user_id", "=", moderator.actor.userId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ target_type: "audit_log", ip: moderator.request.ip, data: { rows: exported, filters: { action: "seller.*", from: "2000-01-01" } } });
    expect(csv).not.toContain("audit.exported");
  });

  test("refuses bad filters and more rows than a file may hold", async () => {
    const finance = await operator(db, "finance");
    expect((await domainErrorOf(exportAuditLogCsv(finance, { to: "31/12/2030" }))).fieldErrors).toEqual({ to: ["audit.filter.date_invalid"] });
    await sql`insert into audit_log (action) select 'auth.sign_out' from generate_series(1, ${AUDIT_EXPORT_MAX_ROWS + 1})`.execute(db);
    const error = await domainErrorOf(exportAuditLogCsv(finance, {}));
    expect(error).toMatchObject({ code: "VALIDATION", message: "audit.export_too_large", fieldErrors: { _form: ["audit.export_too_large"] } });
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "audit.exported").where("actor_user_id", "=", finance.actor.userId).execute()).toEqual([]);
    // Narrowed down, the same operator gets the file.
    expect(parseCsv(await exportAuditLogCsv(finance, { action: "seller.*" })).length).toBeGreaterThan(1);
  });

  test("sellers and buyers are refused", async () => {
    for (const actor of [await memberOf(db, "seller", "owner"), await memberOf(db, "buyer", "admin")]) {
      expect((await domainErrorOf(exportAuditLogCsv(actor, {}))).code).toBe("FORBIDDEN");
    }
  });
});
