/**
 * Reading the buyer's RFQ forms in the routes (client-safe, no server import): the fields as the
 * services take them, and what was typed to show the form again.
 */

/** Fields sent several times (checkboxes): services get them as lists; the form gets them back joined by commas. */
const LIST_FIELDS = ["invitedSellerIds"] as const;

export interface RfqFormData {
  intent: string;
  input: Record<string, unknown>;
  values: Record<string, string>;
}

export function readRfqForm(form: FormData): RfqFormData {
  const input: Record<string, unknown> = {};
  const values: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value !== "string") continue;
    input[name] = value;
    values[name] = value;
  }
  for (const name of LIST_FIELDS) {
    const all = form.getAll(name).filter((v): v is string => typeof v === "string" && v !== "");
    input[name] = all;
    values[name] = all.join(",");
  }
  return { intent: values.intent ?? "", input, values };
}

/** How many line rows a form shows: what it sent (`lineRows`), never fewer than its highest row, at least one. */
export function lineRowsOf(values: Readonly<Record<string, string>>, extra = 0): number {
  const sent = Number(values.lineRows);
  let rows = Number.isSafeInteger(sent) && sent > 0 ? sent : 1;
  for (const key of Object.keys(values)) {
    const m = /^lines\.(\d{1,3})\./.exec(key);
    if (m) rows = Math.max(rows, Number(m[1]) + 1);
  }
  // The service reads at most 100 lines; a few blank rows beyond do no harm.
  return Math.min(rows + extra, 110);
}
