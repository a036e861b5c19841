import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { assignPriceList, getPriceList, listPriceListTargets, removePriceListEntry, setPriceListEntry, unassignPriceList, updatePriceList } from "@souk/services";
import { pageTitle, SELLER_PRICE_LIST_INTENT, SellerPriceListPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { CURRENCY_CODES } from "../lib/catalogue.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "sellerPriceLists.title").map(({ title }) => ({ title: page ? `${page.priceList.name} · ${title}` : title }));

/** One price list with its prices and assignments, and the groups and buyers it can be assigned to. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  const [priceList, targets] = await orErrorPage(Promise.all([getPriceList(deps, { priceListId: params.priceListId }), listPriceListTargets(deps, {})]));
  return { priceList, ...targets, currencies: CURRENCY_CODES };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  // The price list is the one in the URL, never a form field.
  const priceListId = params.priceListId;
  const page = `/price-lists/${priceListId}`;
  return catalogueFormAction(request, {}, async ({ intent, input }) => {
    switch (intent) {
      case SELLER_PRICE_LIST_INTENT.update:
        await updatePriceList(deps, { ...input, priceListId });
        return guards.redirectWith(page, { flash: "flash.sellerCatalogue.priceListSaved" });
      case SELLER_PRICE_LIST_INTENT.setEntry:
        await setPriceListEntry(deps, { priceListId, sku: input.sku, minQuantity: input.minQuantity, unitPrice: input.unitPrice });
        return guards.redirectWith(`${page}#entries`, { flash: "flash.sellerCatalogue.entrySaved" });
      case SELLER_PRICE_LIST_INTENT.removeEntry:
        await removePriceListEntry(deps, { priceListId, listingId: input.listingId, minQuantity: input.minQuantity });
        return guards.redirectWith(`${page}#entries`, { flash: "flash.sellerCatalogue.entryRemoved" });
      case SELLER_PRICE_LIST_INTENT.assignGroup:
        await assignPriceList(deps, { priceListId, groupId: input.groupId ?? "", priority: input.priority });
        return guards.redirectWith(`${page}#assignments`, { flash: "flash.sellerCatalogue.priceListAssigned" });
      case SELLER_PRICE_LIST_INTENT.assignBuyer:
        await assignPriceList(deps, { priceListId, buyerId: input.buyerId ?? "", priority: input.priority });
        return guards.redirectWith(`${page}#assignments`, { flash: "flash.sellerCatalogue.priceListAssigned" });
      case SELLER_PRICE_LIST_INTENT.unassign:
        await unassignPriceList(deps, { assignmentId: input.assignmentId });
        return guards.redirectWith(`${page}#assignments`, { flash: "flash.sellerCatalogue.priceListUnassigned" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  });
}

export default function PriceList() {
  return <SellerPriceListPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
