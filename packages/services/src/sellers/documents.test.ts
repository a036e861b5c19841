import { describe, expect, it } from "vitest";
import { detectDocumentType, documentName } from "./documents";

const bytes = (...values: (number | string)[]) => new Uint8Array(values.flatMap((v) => (typeof v === "string" ? [...v].map((c) => c.charCodeAt(0)) : [v])));

describe("detectDocumentType", () => {
  it("knows the accepted types by their first bytes", () => {
    expect(detectDocumentType(bytes("%PDF-1.4"))).toBe("application/pdf");
    expect(detectDocumentType(bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a))).toBe("image/png");
    expect(detectDocumentType(bytes(0xff, 0xd8, 0xff, 0xdb))).toBe("image/jpeg");
    expect(detectDocumentType(bytes("RIFF", 0, 0, 0, 0, "WEBP"))).toBe("image/webp");
  });

  it("refuses anything else, and signatures that stop short", () => {
    for (const sample of [bytes("MZ"), bytes("PK", 3, 4), bytes("GIF89a"), bytes(" %PDF-"), bytes("%PDF"), bytes(0xff, 0xd8), bytes("RIFF", 0, 0, 0, 0, "WAVE"), bytes("RIFF"), new Uint8Array(0)]) {
      expect(detectDocumentType(sample)).toBeNull();
    }
  });
});

describe("documentName", () => {
  it("keeps the last path segment without control characters or quotes", () => {
    expect(documentName("C:\\Users\\sam\\Kbis.pdf")).toBe("Kbis.pdf");
    expect(documentName('a/b/"quoted"\tname\r\n.pdf')).toBe("quotedname.pdf");
    expect(documentName("  spaced   out.pdf ")).toBe("spaced out.pdf");
    expect(documentName("")).toBe("document");
    expect(documentName("dir/")).toBe("document");
  });

  it("shortens a long name to 255 characters and keeps its extension", () => {
    const name = documentName(`${"é".repeat(300)}.jpeg`);
    expect([...name]).toHaveLength(255);
    expect(name.endsWith("é.jpeg")).toBe(true);
    expect(documentName("x".repeat(300))).toBe("x".repeat(255));
  });
});
