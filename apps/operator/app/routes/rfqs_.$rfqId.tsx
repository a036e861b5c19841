import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getOperatorRfq } from "@souk/services";
import { OperatorRfqPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "rfqOperator.detail.title", { reference: page?.rfq.reference ?? "", title: page?.rfq.title ?? "" });

/** One published RFQ, read-only; its offers only as the buyer may see them. Every reading is written to the audit log; a draft or another id is a 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:rfqs:any");
  return { rfq: await orErrorPage(getOperatorRfq(deps, { rfqId: params.rfqId })) };
}

export default function Rfq() {
  return <OperatorRfqPage {...useLoaderData<typeof loader>()} />;
}
