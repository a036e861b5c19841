import type { LoaderFunctionArgs } from "@remix-run/node";
import { sellerImportTemplate } from "@souk/ui";
import { download } from "@souk/ui/server";
import { IMPORT_FORMAT } from "../lib/catalogue.server";
import { requireTradingSeller } from "../lib/trading.server";

/** An import file to start from: the header row and one example listing. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireTradingSeller(request, "manage:listings:org");
  return download(request, async () => ({
    name: "souk-listings-template.csv",
    contentType: "text/csv; charset=utf-8; header=present",
    // The byte order mark makes spreadsheet programs read the file as UTF-8; the importer skips it.
    bytes: new TextEncoder().encode(`\uFEFF${sellerImportTemplate(IMPORT_FORMAT.columns)}`),
  }));
}
