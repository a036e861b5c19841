import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getOrderMoney } from "@souk/services";
import { OperatorRfqLink, OrderMoneyPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "orderMoney.title", { reference: page?.money.reference ?? "" });

/** One order's money: gross, commission, net, refunds, its payout, and the commission rule frozen onto its settlement. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:ledger:any");
  return { money: await orErrorPage(getOrderMoney(deps, { orderId: params.orderId })) };
}

export default function OrderMoney() {
  const { money } = useLoaderData<typeof loader>();
  return (
    <>
      {/* An awarded order links to its RFQ (every operator reads RFQs: read:rfqs:any). */}
      {money.rfq ? <OperatorRfqLink rfq={money.rfq} /> : null}
      <OrderMoneyPage money={money} />
    </>
  );
}
