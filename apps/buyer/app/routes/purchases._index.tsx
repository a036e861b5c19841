import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listPurchases } from "@souk/services";
import { pageTitle, PurchasesPage } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "purchases.title");

/** The organisation's catalogue purchases: status and page come from the URL (a GET form). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:orders:org");
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listPurchases(deps, input));
  return { view, filters, filterErrors };
}

export default function Purchases() {
  return <PurchasesPage {...useLoaderData<typeof loader>()} />;
}
