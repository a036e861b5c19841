import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getSellerOrder } from "@souk/services";
import { OrderPage, pageTitle } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "order.title", { reference: page?.order.reference ?? "" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:orders:org");
  return { order: await orErrorPage(getSellerOrder(deps, { orderId: params.orderId })) };
}

export default function Order() {
  return <OrderPage side="seller" {...useLoaderData<typeof loader>()} />;
}
