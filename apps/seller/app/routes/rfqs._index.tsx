import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listCategories, listRfqInbox } from "@souk/services";
import { pageTitle, SellerRfqInboxPage } from "@souk/ui";
import { listWithFilters, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { requireTradingSeller } from "../lib/trading.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "rfqInbox.title");

/** The seller's inbox of open RFQs: filters, order and page come from the URL (a GET form), so every view has its own link. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "read:rfq-inbox:org");
  const [{ filters, filterErrors, ...inbox }, categories] = await Promise.all([
    listWithFilters(request, (input) => listRfqInbox(deps, input)),
    orErrorPage(listCategories(deps, {})),
  ]);
  return { inbox, categories, filters, filterErrors };
}

export default function RfqInbox() {
  return <SellerRfqInboxPage {...useLoaderData<typeof loader>()} />;
}
