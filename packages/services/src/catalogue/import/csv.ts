/**
 * CSV as RFC 4180 describes it, read and written by us (no dependency): fields separated by commas,
 * records by CRLF (a bare LF or CR is accepted on reading, as editors write them), a field that
 * holds a comma, a quote or a line break is quoted and its quotes doubled.
 */

export type CsvRecordProblem = "row.quote_invalid" | "row.quote_unterminated";

export interface CsvRecord {
  /** The physical line (1-based) the record starts on: quoted line breaks inside earlier records count. */
  line: number;
  fields: string[];
  /** The record is malformed: a stray quote, or a quoted field never closed (it then runs to the end of the file). */
  problem?: CsvRecordProblem;
}

const BOM = "\uFEFF";

/** The text without the byte-order mark spreadsheets put in front of UTF-8 files. */
export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

/**
 * The records of `text`, in order. A record whose fields are all empty (a blank line, or a row of
 * commas that spreadsheets leave at the end) is skipped: it is no listing. The reader never throws:
 * a malformed record is returned with its problem, so that it is reported at its line and the rest
 * of the file is still read.
 */
export function* readCsv(text: string): Generator<CsvRecord> {
  const length = text.length;
  let i = 0;
  let line = 1;
  while (i < length) {
    const start = line;
    const fields: string[] = [];
    let problem: CsvRecordProblem | undefined;
    for (;;) {
      let field = "";
      const quoted = text[i] === '"';
      if (quoted) {
        i += 1;
        let closed = false;
        let from = i;
        while (i < length) {
          const c = text[i];
          if (c === '"') {
            field += text.slice(from, i);
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              from = i;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          // A line break inside quotes is data, kept as written, and still a physical line.
          if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line += 1;
          i += 1;
        }
        if (!closed) {
          field += text.slice(from, i);
          problem ??= "row.quote_unterminated";
        }
      }
      // Unquoted text, or what follows a closing quote, where only a separator is legal.
      const from = i;
      while (i < length) {
        const c = text[i];
        if (c === "," || c === "\r" || c === "\n") break;
        if (quoted || c === '"') problem ??= "row.quote_invalid";
        i += 1;
      }
      field += text.slice(from, i);
      fields.push(field);
      if (text[i] !== ",") break;
      i += 1;
      // "a," ends with an empty last field.
      if (i >= length) {
        fields.push("");
        break;
      }
    }
    if (i < length) {
      i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line += 1;
    }
    if (problem === undefined && fields.every((f) => f.trim() === "")) continue;
    yield problem ? { line: start, fields, problem } : { line: start, fields };
  }
}

// A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)"); OWASP's
// CSV-injection list. The writer puts an apostrophe in front, which makes the cell text.
const FORMULA = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

/**
 * The value as written in a cell: guarded against formulas, quoted when needed. Values that already
 * start with apostrophes before a formula character get one more, so `unguardCell` gives back every
 * value exactly (what makes export → import a round trip).
 */
export function csvCell(value: string): string {
  const text = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The value a cell holds once the exporter's formula guard is removed (see csvCell). */
export function unguardCell(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell;
}

/** CSV text: a header, then the records, each ended by CRLF. */
export function writeCsv(header: readonly string[], records: Iterable<readonly string[]>): string {
  const out = [`${header.map(csvCell).join(",")}\r\n`];
  for (const record of records) out.push(`${record.map(csvCell).join(",")}\r\n`);
  return out.join("");
}
