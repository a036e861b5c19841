import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { createPriceList, listPriceLists } from "@souk/services";
import { pageTitle, SellerPriceListsPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { CURRENCY_CODES } from "../lib/catalogue.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "sellerPriceLists.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  return { priceLists: await orErrorPage(listPriceLists(deps, {})), currencies: CURRENCY_CODES };
}

/** Creates a price list and goes to its page, where prices and assignments are added. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  return catalogueFormAction(request, {}, async ({ input }) => {
    const { id } = await createPriceList(deps, input);
    return guards.redirectWith(`/price-lists/${id}`, { flash: "flash.sellerCatalogue.priceListCreated" });
  });
}

export default function PriceLists() {
  return <SellerPriceListsPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
