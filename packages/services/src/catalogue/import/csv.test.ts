import { describe, expect, test } from "vitest";
import { csvCell, readCsv, stripBom, unguardCell, writeCsv } from "./csv";

const read = (text: string) => [...readCsv(text)];

describe("readCsv", () => {
  test("reads plain, quoted and empty fields, with CRLF, LF or CR line ends", () => {
    expect(read("a,b,c\r\n1,,3\n4,5,6\r7,8,9")).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["1", "", "3"] },
      { line: 3, fields: ["4", "5", "6"] },
      { line: 4, fields: ["7", "8", "9"] },
    ]);
  });

  test("a quoted field keeps commas, doubled quotes and line breaks as written; later lines are counted physically", () => {
    const text = 'sku,description\r\nA,"one, ""two""\r\nthree\nfour"\r\nB,"x"\r\n"C",""\r\n';
    expect(read(text)).toEqual([
      { line: 1, fields: ["sku", "description"] },
      { line: 2, fields: ["A", 'one, "two"\r\nthree\nfour'] },
      { line: 5, fields: ["B", "x"] },
      { line: 6, fields: ["C", ""] },
    ]);
  });

  test("skips blank lines and rows of empty cells, but counts them", () => {
    expect(read("a,b\r\n\r\n,\r\n  , \r\nc,d\r\n\r\n")).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 5, fields: ["c", "d"] },
    ]);
  });

  test("a trailing comma is an empty last field", () => {
    expect(read("a,b,\r\nc,d,")).toEqual([
      { line: 1, fields: ["a", "b", ""] },
      { line: 2, fields: ["c", "d", ""] },
    ]);
  });

  test("a stray quote marks its record and the reader goes on", () => {
    expect(read('a,b\r\nx"y,z\r\n"q"r,s\r\nok,fine')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ['x"y', "z"], problem: "row.quote_invalid" },
      { line: 3, fields: ["qr", "s"], problem: "row.quote_invalid" },
      { line: 4, fields: ["ok", "fine"] },
    ]);
  });

  test("an unclosed quote runs to the end of the file and is reported at the line it opened on", () => {
    expect(read('a,b\r\n1,2\r\n3,"open\r\n4,5\r\n')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
      { line: 3, fields: ["3", "open\r\n4,5\r\n"], problem: "row.quote_unterminated" },
    ]);
  });

  test("stripBom removes one leading byte-order mark", () => {
    expect(stripBom("\uFEFFsku")).toBe("sku");
    expect(stripBom("sku")).toBe("sku");
  });
});

describe("writing", () => {
  test("quotes what needs it and guards formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("'=already")).toBe("''=already");
    expect(csvCell("it's")).toBe("it's");
  });

  test("every value reads back exactly, whatever it starts with", () => {
    const values = ["", "a", "=1+2", "'=x", "''+y", "'plain", "'", "-", "@", "\tx", 'q"uote', "a,b", "l1\nl2", "l1\r\nl2", "  spaced  ", "café ✓"];
    const text = writeCsv(["v", "w"], values.map((v) => [v, "end"]));
    const records = read(text);
    expect(records[0]).toEqual({ line: 1, fields: ["v", "w"] });
    const back = records.slice(1).map((r) => unguardCell(r.fields[0] as string));
    expect(back).toEqual(values);
  });
});
