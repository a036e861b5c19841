import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { deletePriceList, getPriceList } from "@souk/services";
import { pageTitle, SellerPriceListDeletePage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "sellerPriceLists.delete.title", { name: page?.priceList.name ?? "" });

/** The confirmation step of deleting a price list, with what goes with it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  return { priceList: await orErrorPage(getPriceList(deps, { priceListId: params.priceListId })) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  return catalogueFormAction(request, {}, async () => {
    await deletePriceList(deps, { priceListId: params.priceListId });
    return guards.redirectWith("/price-lists", { flash: "flash.sellerCatalogue.priceListDeleted" });
  });
}

export default function DeletePriceList() {
  return <SellerPriceListDeletePage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
