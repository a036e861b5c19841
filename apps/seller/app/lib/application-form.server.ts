import { validationError } from "@souk/domain";
import { DOCUMENT_ACCEPT, DOCUMENT_LIMITS } from "@souk/services";
import type { DocumentRules } from "@souk/ui";
import { formFailure, formValues, readUploadForm, UploadTooLarge } from "@souk/ui/server";

/** What the page tells sellers about documents: the services' limits. */
export const DOCUMENT_RULES: DocumentRules = { maxBytes: DOCUMENT_LIMITS.maxBytes, maxPerApplication: DOCUMENT_LIMITS.maxPerApplication, accept: DOCUMENT_ACCEPT };

export interface ApplicationForm {
  intent: string;
  /** The form's fields as services take them; the category checkboxes as a list. */
  input: Record<string, unknown>;
  /** The uploaded file, read into memory (never more than DOCUMENT_LIMITS.maxBytes), as the upload use case takes it. */
  file: { name: string; type: string; bytes: Uint8Array } | undefined;
  /** What was typed, to show again after an error (the checkboxes as one comma-separated value). */
  values: Record<string, string>;
}

/**
 * The application page's action body: reads its forms (the details, a document upload, a removal),
 * runs the service call of the chosen intent, and turns a domain error into the form shown again
 * with its messages and what was typed.
 */
export async function applicationFormAction<T>(request: Request, run: (form: ApplicationForm) => Promise<T>) {
  let form: FormData;
  try {
    form = await readUploadForm(request, DOCUMENT_LIMITS.maxBytes);
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
