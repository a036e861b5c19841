import { validationError } from "@souk/domain";
import { formFailure, formValues, readUploadForm, UploadTooLarge } from "@souk/ui/server";

/** The catalogue pages' forms never send a file of more than this unless told (no file field at all). */
const NO_UPLOAD_BYTES = 64 * 1024;

export interface CatalogueForm {
  intent: string;
  /** The form's fields as services take them: text fields, the file (a web File), the `lists` as arrays. */
  input: Record<string, unknown>;
}

export interface CatalogueFormOptions {
  /** Fields sent several times (checkboxes): services get them as arrays. */
  lists?: readonly string[];
  /** The page takes a file: its size limit, and the field error and intent shown when it is over. */
  upload?: { maxBytes: number; tooLarge: string; intent: string };
}

/**
 * The body of a catalogue page's action: reads its form (urlencoded, or multipart with a file
 * capped at the upload limit), runs the service call of the chosen intent, and turns a domain error
 * into the form shown again with its messages and what was typed (checkboxes as one comma-separated
 * value). Guards run before, so an unauthorised request is refused without its body being read.
 */
export async function catalogueFormAction<T>(request: Request, options: CatalogueFormOptions, run: (form: CatalogueForm) => Promise<T>) {
  const { lists = [], upload } = options;
  let form: FormData;
  try {
    form = await readUploadForm(request, upload?.maxBytes ?? NO_UPLOAD_BYTES);
  } catch (error) {
    if (error instanceof UploadTooLarge) return formFailure(request, validationError({ file: [upload?.tooLarge ?? "form.invalid"] }), { intent: upload?.intent ?? "" });
    throw error;
  }
  const values = formValues(form);
  const input: Record<string, unknown> = {};
  for (const [name, value] of form) input[name] = value;
  for (const name of lists) {
    const all = form.getAll(name).filter((v): v is string => typeof v === "string");
    values[name] = all.join(",");
    input[name] = all;
  }
  try {
    return await run({ intent: typeof input.intent === "string" ? input.intent : "", input });
  } catch (error) {
    return formFailure(request, error, values);
  }
}
