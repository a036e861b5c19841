import type { LoaderFunctionArgs } from "@remix-run/node";
import { sellerPayoutStatementPdf } from "@souk/services";
import { download, localeOf } from "@souk/ui/server";
import { guards } from "../services.server";

/** A payout's statement as a PDF in the seller's language (owners; another seller's payout: 404). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:payouts:org");
  return download(request, async () => {
    const { fileName, pdf } = await sellerPayoutStatementPdf(deps, { payoutId: params.payoutId, locale: localeOf(request) });
    return { name: fileName, contentType: "application/pdf", bytes: pdf };
  });
}
