import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { createLocalDiskStorage } from "../storage/local-disk-storage";
import type { DocumentStorage } from "../storage/document-storage";
import { deleteApplicationDocument } from "./delete-application-document";
import { DOCUMENT_LIMITS } from "./documents";
import { getSellerApplication } from "./get-seller-application";
import { readApplicationDocument } from "./read-application-document";
import { saveSellerApplication } from "./save-seller-application";
import { submitSellerApplication } from "./submit-seller-application";
import { uploadApplicationDocument } from "./upload-application-document";
import { completeApplication, countRows, requestInfo, sellerOrganization, someCategoryIds } from "./test-support";

const { db } = await createTestDatabase();
const root = await mkdtemp(path.join(tmpdir(), "souk-documents-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const storage = createLocalDiskStorage(root);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const bytesOf = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? ascii(p) : p)));

const PDF = bytesOf("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n");
const PNG = bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "\0\0\0\rIHDR");
const JPEG = bytesOf([0xff, 0xd8, 0xff, 0xe0], "\0\x10JFIF\0");
const WEBP = bytesOf("RIFF", [0x24, 0, 0, 0], "WEBPVP8 ");
const EXE = bytesOf("MZ", [0x90, 0, 3, 0, 0, 0, 4, 0], "This program cannot be run in DOS mode.");

/** Every file in the storage directory (temporary files included). */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

async function seller() {
  const org = await sellerOrganization(db);
  const as = (role: "owner" | "sales" | "fulfilment" = "owner") => ({ ...org.as(role), storage });
  return { ...org, as };
}

const file = (name: string, bytes: Uint8Array, type = "application/pdf") => ({ file: { name, type, bytes } });

describe("uploadApplicationDocument", () => {
  test.each([
    ["registration.pdf", PDF, "application/pdf"],
    ["scan.png", PNG, "image/png"],
    ["id-card.jpeg", JPEG, "image/jpeg"],
    ["photo.webp", WEBP, "image/webp"],
  ] as const)("stores %s as %s, whatever the browser claims, with its row, checksum and audit", async (name, bytes, type) => {
    const org = await seller();
    const before = await storedFiles();
    const uploaded = await uploadApplicationDocument(org.as(), file(name, bytes, "application/octet-stream"));
    expect(uploaded).toMatchObject({ originalName: name, contentType: type, sizeBytes: bytes.byteLength });
    const row = await db.selectFrom("seller_documents").selectAll().where("id", "=", uploaded.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ organization_id: org.id, content_type: type, size_bytes: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") });
    expect(row.storage_key).toMatch(new RegExp(`^sellers/${org.id}/[0-9a-f]{32}$`));
    expect(await storedFiles()).toEqual([...before, row.storage_key].sort());
    const audit = await db.selectFrom("audit_log").selectAll().where("target_id", "=", uploaded.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: "seller.document_uploaded", target_type: "seller_document", data: { claimedType: "application/octet-stream", contentType: type } });

    expect(await readApplicationDocument(org.as("fulfilment"), { documentId: uploaded.id })).toEqual({ originalName: name, contentType: type, bytes });
    expect((await getSellerApplication(org.as(), {})).documents).toEqual([{ id: uploaded.id, originalName: name, contentType: type, sizeBytes: bytes.byteLength, createdAt: row.created_at }]);
  });

  test("keeps only a displayable file name", async () => {
    const org = await seller();
    const uploaded = await uploadApplicationDocument(org.as(), file('..\\..\\evil/"Kbis"\u0007 2026.pdf', PDF));
    expect(uploaded.originalName).toBe("Kbis 2026.pdf");
    const long = await uploadApplicationDocument(org.as(), file(`${"n".repeat(300)}.pdf`, PDF));
    expect(long.originalName).toBe(`${"n".repeat(251)}.pdf`);
  });

  test.each([
    ["an executable renamed .pdf", file("invoice.pdf", EXE, "application/pdf"), "document.type_not_allowed"],
    ["plain text", file("notes.txt", bytesOf("Our company is great."), "text/plain"), "document.type_not_allowed"],
    ["HTML calling itself a PNG", file("logo.png", bytesOf("<html><script>alert(1)</script>"), "image/png"), "document.type_not_allowed"],
    ["a ZIP archive", file("docs.pdf", bytesOf("PK", [3, 4, 20, 0]), "application/pdf"), "document.type_not_allowed"],
    ["a GIF", file("anim.gif", bytesOf("GIF89a"), "image/gif"), "document.type_not_allowed"],
    ["a truncated PNG signature", file("x.png", PNG.slice(0, 6), "image/png"), "document.type_not_allowed"],
    ["an empty file", file("empty.pdf", new Uint8Array(0)), "document.empty"],
    ["no file chosen", file("", new Uint8Array(0), "application/octet-stream"), "document.required"],
    ["one byte over the limit", file("big.pdf", (() => { const b = new Uint8Array(DOCUMENT_LIMITS.maxBytes + 1); b.set(PDF); return b; })()), "document.too_large"],
  ])("refuses %s with a field error and stores nothing", async (_label, input, key) => {
    const org = await seller();
    const before = await storedFiles();
    const error = await domainErrorOf(uploadApplicationDocument(org.as(), input));
    expect(error).toMatchObject({ code: "VALIDATION", fieldErrors: { file: [key] } });
    expect(await storedFiles()).toEqual(before);
    expect(await countRows(db, "seller_documents", org.id)).toBe(0);
    expect(await countRows(db, "audit_log", org.id)).toBe(0);
  });

  test("refuses input that is not a file", async () => {
    const org = await seller();
    for (const input of [{}, { file: "x.pdf" }, { file: { name: "x.pdf", bytes: "%PDF-" } }]) {
      expect((await domainErrorOf(uploadApplicationDocument(org.as(), input))).fieldErrors).toEqual({ file: ["document.required"] });
    }
  });

  test("takes a file of exactly the size limit", async () => {
    const org = await seller();
    const bytes = new Uint8Array(DOCUMENT_LIMITS.maxBytes);
    bytes.set(PDF);
    await expect(uploadApplicationDocument(org.as(), file("max.pdf", bytes))).resolves.toMatchObject({ sizeBytes: DOCUMENT_LIMITS.maxBytes });
  });

  test("refuses the document beyond the count limit, with nothing stored", async () => {
    const org = await seller();
    for (let i = 0; i < DOCUMENT_LIMITS.maxPerApplication; i += 1) await uploadApplicationDocument(org.as(), file(`doc-${i}.pdf`, PDF));
    const before = await storedFiles();
    const error = await domainErrorOf(uploadApplicationDocument(org.as(), file("one-too-many.pdf", PDF)));
    expect(error.fieldErrors).toEqual({ file: ["document.too_many"] });
    expect(await storedFiles()).toEqual(before);
    expect(await countRows(db, "seller_documents", org.id)).toBe(DOCUMENT_LIMITS.maxPerApplication);
  });

  test("two uploads at once cannot both take the last place", async () => {
    const org = await seller();
    for (let i = 0; i < DOCUMENT_LIMITS.maxPerApplication - 1; i += 1) await uploadApplicationDocument(org.as(), file(`doc-${i}.pdf`, PDF));
    const before = await storedFiles();
    const results = await Promise.allSettled([uploadApplicationDocument(org.as(), file("a.pdf", PDF)), uploadApplicationDocument(org.as(), file("b.pdf", PDF))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason).toMatchObject({ fieldErrors: { file: ["document.too_many"] } });
    expect(await countRows(db, "seller_documents", org.id)).toBe(DOCUMENT_LIMITS.maxPerApplication);
    expect((await storedFiles()).length).toBe(before.length + 1);
  });

  test("removes the file again when the row cannot be committed", async () => {
    const org = await seller();
    // A stand-in for any failure after the file is written: the insert itself is refused.
    await sql`create function refuse_document() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$`.execute(db);
    await sql`create trigger refuse_document before insert on seller_documents for each row when (new.original_name = 'fail.pdf') execute function refuse_document()`.execute(db);
    const written: string[] = [];
    const watching: DocumentStorage = { ...storage, put: async (key, bytes) => (written.push(key), storage.put(key, bytes)) };
    try {
      const before = await storedFiles();
      await expect(uploadApplicationDocument({ ...org.as(), storage: watching }, file("fail.pdf", PDF))).rejects.toThrow("refused by test");
      expect(written).toHaveLength(1);
      expect(await storedFiles()).toEqual(before);
      expect(await countRows(db, "seller_documents", org.id)).toBe(0);
    } finally {
      await sql`drop trigger refuse_document on seller_documents`.execute(db);
      await sql`drop function refuse_document()`.execute(db);
    }
  });

  test("sales and fulfilment members cannot upload or delete", async () => {
    const org = await seller();
    const { id } = await uploadApplicationDocument(org.as(), file("a.pdf", PDF));
    const before = await storedFiles();
    for (const role of ["sales", "fulfilment"] as const) {
      expect((await domainErrorOf(uploadApplicationDocument(org.as(role), file("b.pdf", PDF)))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(deleteApplicationDocument(org.as(role), { documentId: id }))).code).toBe("FORBIDDEN");
    }
    expect(await storedFiles()).toEqual(before);
    expect(await countRows(db, "seller_documents", org.id)).toBe(1);
  });

  test("documents change only while the application is editable", async () => {
    const org = await seller();
    const deps = org.as();
    const { id } = await uploadApplicationDocument(deps, file("kbis.pdf", PDF));
    await saveSellerApplication(deps, completeApplication(await someCategoryIds(db)));
    await submitSellerApplication(deps, {});
    const before = await storedFiles();
    expect(await domainErrorOf(uploadApplicationDocument(deps, file("late.pdf", PDF)))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["application.locked"] } });
    expect(await domainErrorOf(deleteApplicationDocument(deps, { documentId: id }))).toMatchObject({ code: "CONFLICT" });
    expect(await storedFiles()).toEqual(before);
    // Still readable while under review.
    expect((await readApplicationDocument(deps, { documentId: id })).bytes).toEqual(PDF);

    await requestInfo(db, org.id, "A more recent extract, please.");
    await expect(uploadApplicationDocument(deps, file("recent.pdf", PDF))).resolves.toMatchObject({ originalName: "recent.pdf" });
  });
});

describe("reading and deleting documents", () => {
  test("a seller cannot read (NOT_FOUND) or delete (the delete button's field: a field error) another seller's document, as for no document at all", async () => {
    const mine = await seller();
    const theirs = await seller();
    const { id } = await uploadApplicationDocument(theirs.as(), file("secret.pdf", PDF));
    const before = await storedFiles();
    for (const documentId of [id, "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d", "../../etc/passwd", "", undefined]) {
      expect((await domainErrorOf(readApplicationDocument(mine.as(), { documentId }))).code).toBe("NOT_FOUND");
      expect(await domainErrorOf(deleteApplicationDocument(mine.as(), { documentId }))).toMatchObject({ code: "VALIDATION", fieldErrors: { documentId: ["document.unknown"] } });
    }
    expect(await storedFiles()).toEqual(before);
    expect((await readApplicationDocument(theirs.as(), { documentId: id })).bytes).toEqual(PDF);
    expect(await countRows(db, "audit_log", mine.id)).toBe(0);
  });

  test("deleting removes the row and the file, and is audited", async () => {
    const org = await seller();
    const { id } = await uploadApplicationDocument(org.as(), file("old.pdf", PDF));
    const { storage_key: key } = await db.selectFrom("seller_documents").select("storage_key").where("id", "=", id).executeTakeFirstOrThrow();
    await expect(deleteApplicationDocument(org.as(), { documentId: id.toUpperCase() })).resolves.toEqual({ documentId: id });
    expect(await storage.get(key)).toBeNull();
    expect(await countRows(db, "seller_documents", org.id)).toBe(0);
    const audit = await db.selectFrom("audit_log").select(["action", "data"]).where("target_id", "=", id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["seller.document_uploaded", "seller.document_deleted"]);
    expect((await domainErrorOf(readApplicationDocument(org.as(), { documentId: id }))).code).toBe("NOT_FOUND");
  });

  test("a stored file that went missing or changed is never served", async () => {
    const org = await seller();
    const { id } = await uploadApplicationDocument(org.as(), file("a.pdf", PDF));
    const { storage_key: key } = await db.selectFrom("seller_documents").select("storage_key").where("id", "=", id).executeTakeFirstOrThrow();
    await storage.put(key, PNG);
    expect(await domainErrorOf(readApplicationDocument(org.as(), { documentId: id }))).toMatchObject({ code: "INVARIANT", message: "document.unavailable" });
    await storage.delete(key);
    expect((await domainErrorOf(readApplicationDocument(org.as(), { documentId: id }))).code).toBe("INVARIANT");
  });
});
