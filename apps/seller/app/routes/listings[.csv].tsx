import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportSellerListingsCsv } from "@souk/services";
import { download } from "@souk/ui/server";
import { requireTradingSeller } from "../lib/trading.server";

/** Every listing of the seller as a CSV file in the import's format: edit it and import it back. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  return download(request, async () => {
    const { fileName, csv } = await exportSellerListingsCsv(deps, {});
    return { name: fileName, contentType: "text/csv; charset=utf-8; header=present", bytes: new TextEncoder().encode(csv) };
  });
}
