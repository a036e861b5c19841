import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { validationError } from "@souk/domain";
import { DOCUMENT_ACCEPT, DOCUMENT_LIMITS } from "@souk/services";
import type { DocumentRules } from "@souk/ui";
import { formFailure, formValues } from "@souk/ui/server";

/** What the page tells sellers about documents: the services' limits. */
export const DOCUMENT_RULES: DocumentRules = { maxBytes: DOCUMENT_LIMITS.maxBytes, maxPerApplication: DOCUMENT_LIMITS.maxPerApplication, accept: DOCUMENT_ACCEPT };

/**
 * How much of an over-limit upload is read and thrown away so that the browser, which sends the
 * whole body before it reads the answer, gets the page with its error. Beyond this the answer goes
 * out at once, with the rest of the body unread: no seller document is that big.
 */
const DRAIN_LIMIT_BYTES = 8 * DOCUMENT_LIMITS.maxBytes;

export interface ApplicationForm {
  intent: string;
  /** The form's fields as services take them; the category checkboxes as a list. */
  input: Record<string, unknown>;
  /** The uploaded file, read into memory (never more than DOCUMENT_LIMITS.maxBytes), as the upload use case takes it. */
  file: { name: string; type: string; bytes: Uint8Array } | undefined;
  /** What was typed, to show again after an error (the checkboxes as one comma-separated value). */
  values: Record<string, string>;
}

class UploadTooLarge extends Error {}

/**
 * Multipart bodies (the document upload) are parsed in memory with each part capped at the
 * document size limit. A larger file is dropped, read to its end (up to DRAIN_LIMIT_BYTES), so that
 * the form comes back with `document.too_large` instead of a broken connection or a 500.
 */
async function readForm(request: Request): Promise<FormData> {
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) return request.formData();
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: DOCUMENT_LIMITS.maxBytes });
  let tooLarge = false;
  const handler: UploadHandler = async (part) => {
    try {
      return await memory(part);
    } catch (error) {
      if (!(error instanceof MaxPartSizeExceededError)) throw error;
      tooLarge = true;
      let drained = 0;
      for await (const chunk of part.data) {
        drained += chunk.byteLength;
        if (drained > DRAIN_LIMIT_BYTES) throw new UploadTooLarge();
      }
      return undefined;
    }
  };
  const form = await unstable_parseMultipartFormData(request, handler);
  if (tooLarge) throw new UploadTooLarge();
  return form;
}

/**
 * The application page's action body: reads its forms (the details, a document upload, a removal),
 * runs the service call of the chosen intent, and turns a domain error into the form shown again
 * with its messages and what was typed.
 */
export async function applicationFormAction<T>(request: Request, run: (form: ApplicationForm) => Promise<T>) {
  let form: FormData;
  try {
    form = await readForm(request);
  } catch (error) {
    if (error instanceof UploadTooLarge) return formFailure(request, validationError({ file: ["document.too_large"] }), { intent: "upload" });
    throw error;
  }
  const values = { ...formValues(form), categoryIds: form.getAll("categoryIds").filter((v) => typeof v === "string").join(",") };
  const upload = form.get("file");
  const file = upload instanceof File ? { name: upload.name, type: upload.type, bytes: new Uint8Array(await upload.arrayBuffer()) } : undefined;
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
  const input = { ...fields, categoryIds: form.getAll("categoryIds") };
  try {
    return await run({ intent: typeof fields.intent === "string" ? fields.intent : "", input, file, values });
  } catch (error) {
    return formFailure(request, error, values);
  }
}
