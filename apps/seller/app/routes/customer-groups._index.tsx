import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { createCustomerGroup, listCustomerGroups } from "@souk/services";
import { pageTitle, SellerCustomerGroupsPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "sellerGroups.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  return { groups: await orErrorPage(listCustomerGroups(deps, {})) };
}

/** Creates a group and goes to its page, where buyers are added. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:price-lists:org");
  return catalogueFormAction(request, {}, async ({ input }) => {
    const { id } = await createCustomerGroup(deps, input);
    return guards.redirectWith(`/customer-groups/${id}`, { flash: "flash.sellerCatalogue.groupCreated" });
  });
}

export default function CustomerGroups() {
  return <SellerCustomerGroupsPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
