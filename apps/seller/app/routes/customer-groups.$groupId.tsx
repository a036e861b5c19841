import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { isDomainError, validationError } from "@souk/domain";
import { addCustomerGroupMember, findBuyersForGroup, getCustomerGroup, removeCustomerGroupMember, renameCustomerGroup } from "@souk/services";
import { pageTitle, SELLER_GROUP_INTENT, SellerCustomerGroupPage, translateFieldErrors, type SellerBuyerSearchView } from "@souk/ui";
import { errorResponse, localeOf, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "sellerGroups.title").map(({ title }) => ({ title: page ? `${page.group.name} · ${title}` : title }));

/**
 * One group with its members and, when the URL carries `?email=` (the search form, a GET), the
 * buyer organisations of that contact. A refused address is shown beside the search box.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  const group = await orErrorPage(getCustomerGroup(deps, { groupId: params.groupId }));
  const email = new URL(request.url).searchParams.get("email")?.trim() ?? "";
  const search: SellerBuyerSearchView = { email, buyers: null, errors: [] };
  if (email !== "") {
    try {
      search.buyers = await findBuyersForGroup(deps, { email });
    } catch (error) {
      if (!isDomainError(error) || error.code !== "VALIDATION") throw errorResponse(error);
      search.errors = Object.values(translateFieldErrors(localeOf(request), error.fieldErrors)).flat();
    }
  }
  return { group, search };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  // The group is the one in the URL, never a form field.
  const groupId = params.groupId;
  const page = `/customer-groups/${groupId}`;
  return catalogueFormAction(request, {}, async ({ intent, input }) => {
    switch (intent) {
      case SELLER_GROUP_INTENT.rename:
        await renameCustomerGroup(deps, { groupId, name: input.name });
        return guards.redirectWith(page, { flash: "flash.sellerCatalogue.groupRenamed" });
      case SELLER_GROUP_INTENT.addMember:
        await addCustomerGroupMember(deps, { groupId, buyerId: input.buyerId });
        return guards.redirectWith(`${page}#members`, { flash: "flash.sellerCatalogue.memberAdded" });
      case SELLER_GROUP_INTENT.removeMember:
        await removeCustomerGroupMember(deps, { groupId, buyerId: input.buyerId });
        return guards.redirectWith(`${page}#members`, { flash: "flash.sellerCatalogue.memberRemoved" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  });
}

export default function CustomerGroup() {
  return <SellerCustomerGroupPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
