import type { LoaderFunctionArgs } from "@remix-run/node";
import { sellerPayoutStatementCsv } from "@souk/services";
import { download, localeOf } from "@souk/ui/server";
import { guards } from "../services.server";

/** A payout's statement as a CSV file with headers in the seller's language (owners; another seller's payout: 404). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:payouts:org");
  return download(request, async () => {
    const { fileName, csv } = await sellerPayoutStatementCsv(deps, { payoutId: params.payoutId, locale: localeOf(request) });
    // The byte order mark makes spreadsheet programs read the file as UTF-8 (accented names).
    return { name: fileName, contentType: "text/csv; charset=utf-8; header=present", bytes: new TextEncoder().encode(`\uFEFF${csv}`) };
  });
}
