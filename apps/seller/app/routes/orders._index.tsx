import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listSellerOrders } from "@souk/services";
import { OrdersPage, pageTitle } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "orders.title");

/** The orders placed with this seller: status, text and page come from the URL (a GET form). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:orders:org");
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listSellerOrders(deps, input));
  return { view, filters, filterErrors };
}

export default function Orders() {
  return <OrdersPage side="seller" {...useLoaderData<typeof loader>()} />;
}
