import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getBuyerRfq, openFinalRound } from "@souk/services";
import { BuyerFinalRoundPage, pageTitle } from "@souk/ui";
import { formFailure, formValues, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "rfqBuyer.finalRound.title").map(({ title }) => ({ title: page ? `${page.rfq.reference} · ${title}` : title }));

/** The best-and-final round's form on one of the buyer's closed RFQs (the sellers with a final offer to shortlist). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "award:rfq:org");
  return { rfq: await orErrorPage(getBuyerRfq(deps, { rfqId: params.rfqId })) };
}

/** Opens the round (openFinalRound): repeated `sellerId` checkboxes, the deadline and its time zone. Then back to the RFQ. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "award:rfq:org");
  const form = await request.formData();
  const sellerId = form.getAll("sellerId").filter((v): v is string => typeof v === "string");
  try {
    await openFinalRound(deps, { ...Object.fromEntries(form), sellerId, rfqId: params.rfqId });
    return guards.redirectWith(`/rfqs/${params.rfqId}#final-round`, { flash: "flash.rfqBuyer.finalRoundOpened" });
  } catch (error) {
    return formFailure(request, error, { ...formValues(form), sellerId: sellerId.join(",") });
  }
}

export default function RfqFinalRound() {
  return <BuyerFinalRoundPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
