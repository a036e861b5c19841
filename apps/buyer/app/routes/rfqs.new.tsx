import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CURRENCIES, isDomainError } from "@souk/domain";
import { createRfq, findSellersToInvite, listCategories, prefillRfqFromListing } from "@souk/services";
import { BUYER_RFQ_INTENT, BuyerRfqFormPage, lineRowsOf, pageTitle, readRfqForm, translateFieldErrors, type RfqFormResult } from "@souk/ui";
import { errorResponse, formFailure, localeOf, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "rfqBuyer.form.newTitle");

const CURRENCY_CODES = Object.keys(CURRENCIES).sort();

/** The form of a new RFQ; `?listingId=` starts it from a catalogue listing the buyer may see. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:rfq:org");
  const listingId = new URL(request.url).searchParams.get("listingId");
  const [categories, prefill] = await orErrorPage(Promise.all([listCategories(deps, {}), listingId ? prefillRfqFromListing(deps, { listingId }) : Promise.resolve(null)]));
  return { categories, currencies: CURRENCY_CODES, prefill };
}

/**
 * "Add a line" and "Search sellers" show the form again as typed (one more row, or the sellers
 * found); "Save draft" and "Publish" create the RFQ and go to its page. A refused form comes back
 * with its errors (422) and the invited sellers' names.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:rfq:org");
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
    const { id, status } = await createRfq(deps, input);
    return guards.redirectWith(`/rfqs/${id}`, { flash: status === "open" ? "flash.rfqBuyer.published" : "flash.rfqBuyer.draftSaved" });
  } catch (error) {
    const failed = formFailure(request, error, values);
    return data({ ...failed.data, sellers: await sellers("") } satisfies RfqFormResult, failed.init ?? undefined);
  }
}

export default function NewRfq() {
  return <BuyerRfqFormPage rfq={null} {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
