import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { isDomainError } from "@souk/domain";
import { awardRfq, getBudgetStatus, getRfqComparison } from "@souk/services";
import { BuyerRfqComparePage, pageTitle, translateFieldErrors, MessageLink } from "@souk/ui";
import { errorResponse, formFailure, formValues, localeOf } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "rfqBuyer.compare.matrix").map(({ title }) => ({ title: page ? `${page.comparison.rfq.reference} · ${title}` : title }));

const WEIGHTS = ["price", "leadTime", "trackRecord"] as const;

/**
 * The comparison of a closed RFQ under the weights of the URL (a GET form). Weights the service
 * refuses are shown with their messages and the default ones used; before the close the page is
 * the service's refusal (409), with no figure.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "award:rfq:org");
  const query = new URL(request.url).searchParams;
  const typedWeights = Object.fromEntries(WEIGHTS.flatMap((w) => (query.has(w) ? [[w, query.get(w) ?? ""]] : [])));
  let page: { comparison: Awaited<ReturnType<typeof getRfqComparison>>; weightErrors: Record<string, string[]>; typedWeights: Record<string, string> };
  try {
    page = { comparison: await getRfqComparison(deps, { rfqId: params.rfqId, ...typedWeights }), weightErrors: {}, typedWeights };
  } catch (error) {
    if (!isDomainError(error) || error.code !== "VALIDATION") throw errorResponse(error);
    try {
      page = { comparison: await getRfqComparison(deps, { rfqId: params.rfqId }), weightErrors: translateFieldErrors(localeOf(request), error.fieldErrors), typedWeights };
    } catch (again) {
      throw errorResponse(again);
    }
  }
  // After the comparison (its own NOT_FOUND / CONFLICT first): the budgets that apply to this
  // buyer's awards in the RFQ's currency, and what awarding each whole offer would do to them.
  try {
    const currency = page.comparison.rfq.currency;
    const offers = page.comparison.offers;
    // One reading of the budgets for every offer (a call per offer read them again for each).
    const { budgets, verdicts } = await getBudgetStatus(deps, { currency, amountsMinor: offers.map((o) => o.total.amountMinor) });
    return { ...page, budgets, offerBudgetVerdicts: Object.fromEntries(offers.map((o, i) => [o.id, verdicts[i] ?? null])) };
  } catch (error) {
    throw errorResponse(error);
  }
}

/**
 * The award form (awardRfq): whole offers (`mode=whole`, repeated `offerId`) or quantities per line
 * (`mode=lines`, `qty.<lineId>.<offerId>`), with a note. Then back to the RFQ, awarded or waiting
 * for an approver.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "award:rfq:org");
  const form = await request.formData();
  const values = { ...formValues(form), offerId: form.getAll("offerId").filter((v) => typeof v === "string").join(",") };
  try {
    const result = await awardRfq(deps, { ...Object.fromEntries(form), offerId: form.getAll("offerId"), rfqId: params.rfqId });
    return guards.redirectWith(`/rfqs/${params.rfqId}#award`, { flash: result.status === "approved" ? "flash.rfqBuyer.awarded" : "flash.rfqBuyer.awardPending" });
  } catch (error) {
    return formFailure(request, error, values);
  }
}

export default function RfqCompare() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <BuyerRfqComparePage {...page} result={useActionData<typeof action>()} />
      {/* A thread per offering seller, beside the public Q&A (the RFQ is closed here: offers are no longer sealed). */}
      <p className="button-row">
        {page.comparison.offers.map((o) => (
          <MessageLink key={o.seller.id} app="buyer" subject={{ kind: "rfq", id: page.comparison.rfq.id, sellerId: o.seller.id }} label="conversations.link.messageSellerNamed" params={{ name: o.seller.name }} />
        ))}
      </p>
    </>
  );
}
