import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportOfferReceipts } from "@souk/services";
import { download } from "@souk/ui/server";
import { requireTradingSeller } from "../lib/trading.server";

/** The seller's own receipts on one RFQ, as a JSON file (with the chain head once closed, and how to verify). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "read:rfq-inbox:org");
  return download(request, async () => {
    const { fileName, json } = await exportOfferReceipts(deps, { rfqId: params.rfqId });
    return { name: fileName, contentType: "application/json; charset=utf-8", bytes: new TextEncoder().encode(json) };
  });
}
