import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { deleteCustomerGroup, listCustomerGroups } from "@souk/services";
import { pageTitle, SellerCustomerGroupDeletePage } from "@souk/ui";
import { notFoundPage, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "sellerGroups.delete.title", { name: page?.group.name ?? "" });

/** The confirmation step of deleting a group, with what it changes (its members, its reserved listings). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  const group = (await orErrorPage(listCustomerGroups(deps, {}))).find((g) => g.id === params.groupId);
  if (!group) notFoundPage();
  return { group };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  return catalogueFormAction(request, {}, async () => {
    await deleteCustomerGroup(deps, { groupId: params.groupId });
    return guards.redirectWith("/customer-groups", { flash: "flash.sellerCatalogue.groupDeleted" });
  });
}

export default function DeleteCustomerGroup() {
  return <SellerCustomerGroupDeletePage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
