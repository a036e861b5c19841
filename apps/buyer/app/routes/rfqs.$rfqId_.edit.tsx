import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CURRENCIES, isDomainError } from "@souk/domain";
import { findSellersToInvite, getBuyerRfq, listCategories, updateRfq } from "@souk/services";
import { BUYER_RFQ_INTENT, BuyerRfqFormPage, lineRowsOf, pageTitle, readRfqForm, translateFieldErrors, type RfqFormResult } from "@souk/ui";
import { errorResponse, formFailure, localeOf, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "rfqBuyer.title").map(({ title }) => ({ title: page ? `${page.rfq.reference} · ${title}` : title }));

const CURRENCY_CODES = Object.keys(CURRENCIES).sort();

/** The form of one of the buyer's RFQs, while it may be edited (a draft, or open without an offer); otherwise back to its page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:rfq:org");
  const [rfq, categories] = await orErrorPage(Promise.all([getBuyerRfq(deps, { rfqId: params.rfqId }), listCategories(deps, {})]));
  if (!rfq.can.edit) throw redirect(`/rfqs/${rfq.id}`);
  return { rfq, categories, currencies: CURRENCY_CODES, prefill: null };
}

/** Like the new RFQ's action, saving with updateRfq (the RFQ is the one in the URL, never a form field). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:rfq:org");
  const rfqId = params.rfqId ?? "";
  const { intent, input, values } = readRfqForm(await request.formData());
  const sellers = (q: string) => findSellersToInvite(deps, { q, categoryId: values.categoryId, selectedIds: input.invitedSellerIds });
  const again = (extra: Partial<RfqFormResult>): RfqFormResult => ({ ok: false, fieldErrors: {}, formError: null, values, ...extra });

  if (intent === BUYER_RFQ_INTENT.addLine) return again({ values: { ...values, lineRows: String(lineRowsOf(values, 1)) }, sellers: await sellers("") });
  if (intent === BUYER_RFQ_INTENT.searchSellers) {
    try {
      return again({ sellers: await sellers(values.sellerQ ?? "") });
    } catch (error) {
      if (!isDomainError(error) || error.code !== "VALIDATION") throw errorResponse(error);
      return again({ sellers: await sellers(""), sellerSearchErrors: Object.values(translateFieldErrors(localeOf(request), error.fieldErrors)).flat() });
    }
  }
  try {
    const before = await getBuyerRfq(deps, { rfqId });
    const { id, status } = await updateRfq(deps, { ...input, rfqId });
    const flash = before.status === "draft" && status === "open" ? "flash.rfqBuyer.published" : status === "draft" ? "flash.rfqBuyer.draftSaved" : "flash.rfqBuyer.saved";
    return guards.redirectWith(`/rfqs/${id}`, { flash });
  } catch (error) {
    const failed = formFailure(request, error, values);
    return data({ ...failed.data, sellers: await sellers("") } satisfies RfqFormResult, failed.init ?? undefined);
  }
}

export default function EditRfq() {
  return <BuyerRfqFormPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
