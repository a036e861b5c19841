import { z } from "zod";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { writeOutbox } from "@souk/jobs";
import type { ActorDeps } from "../../deps";
import { documentName } from "../../sellers/documents";
import { looksLikeCatalogueHeader } from "./columns";
import { readCsv, stripBom } from "./csv";
import { assertCanImport, CATALOGUE_IMPORT_LIMITS } from "./shared";

/** The file as the apps hand it over: a web `File`, or its name and bytes already read. */
export const startCatalogueImportSchema = z.object({
  file: z.union([
    z.instanceof(Blob),
    z.object({
      name: z.string().max(4096),
      /** What the browser claims; never trusted. */
      type: z.string().max(255).optional(),
      bytes: z.instanceof(Uint8Array),
    }),
  ]),
});
export type StartCatalogueImportInput = z.input<typeof startCatalogueImportSchema>;

const fileError = (key: string) => validationError({ file: [key] });

// C0 control characters other than tab, line breaks and form feeds: a text file has none, a
// binary file (or UTF-16 text, full of NULs) always some.
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000e-\u001f]/;

/**
 * Queues the import of a catalogue CSV: the file is checked enough to refuse at once what can never
 * be imported — more than CATALOGUE_IMPORT_LIMITS.maxBytes (`file.too_large`, checked before it is
 * read), empty (`file.empty`), not UTF-8 text or binary or with a first line naming none of our
 * columns (`file.not_csv`), a header and no row (`file.no_rows`) — each a field error of `file`,
 * with nothing stored. Then the file and the `catalogue.import` job are stored in one transaction;
 * the job (runCatalogueImport) checks the header's columns and every row.
 */
export async function startCatalogueImport(deps: ActorDeps, input: unknown): Promise<{ importId: string }> {
  const { actor } = deps;
  assertCanImport(actor);
  const parsed = startCatalogueImportSchema.safeParse(input ?? {});
  if (!parsed.success) throw fileError("file.required");
  const { file } = parsed.data;
  const name = file instanceof Blob ? (file instanceof File ? file.name : "") : file.name;
  const size = file instanceof Blob ? file.size : file.bytes.byteLength;
  // A form sent without choosing a file carries an empty part with an empty name.
  if (size === 0) throw fileError(name === "" ? "file.required" : "file.empty");
  if (size > CATALOGUE_IMPORT_LIMITS.maxBytes) throw fileError("file.too_large");
  const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : file.bytes;

  let text: string;
  try {
    text = stripBom(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw fileError("file.not_csv");
  }
  if (text.trim() === "") throw fileError("file.empty");
  if (BINARY.test(text)) throw fileError("file.not_csv");
  const records = readCsv(text);
  const header = records.next();
  if (header.done || header.value.problem || !looksLikeCatalogueHeader(header.value.fields)) throw fileError("file.not_csv");
  if (records.next().done) throw fileError("file.no_rows");

  const fileName = name.trim() === "" ? "catalogue.csv" : documentName(name);
  return withTransaction(deps.db, async (trx) => {
    const row = await trx
      .insertInto("catalogue_imports")
      .values({ seller_id: actor.organizationId, created_by: actor.userId, file_name: fileName, content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeOutbox(trx, "catalogue.import", { importId: row.id });
    return { importId: row.id };
  });
}
