import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportRfqComparisonCsv } from "@souk/services";
import { download, localeOf } from "@souk/ui/server";
import { guards } from "../services.server";

/** The comparison under the weights of the same query string, as a CSV file with headers in the buyer's language. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "award:rfq:org");
  return download(request, async () => {
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const { fileName, csv } = await exportRfqComparisonCsv(deps, { ...query, rfqId: params.rfqId, locale: localeOf(request) });
    // The byte order mark makes spreadsheet programs read the file as UTF-8 (accented names).
    return { name: fileName, contentType: "text/csv; charset=utf-8; header=present", bytes: new TextEncoder().encode(`\uFEFF${csv}`) };
  });
}
