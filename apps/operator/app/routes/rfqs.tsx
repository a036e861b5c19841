import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listOperatorRfqs } from "@souk/services";
import { OperatorRfqListPage, pageTitle } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "rfqOperator.list.title");

/** Every buyer's published RFQs: status, buyer, publication days, text and page come from the URL (a GET form). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:rfqs:any");
  const { filters, filterErrors, ...view } = await listWithFilters(request, (input) => listOperatorRfqs(deps, input));
  return { view, filters, filterErrors };
}

export default function Rfqs() {
  return <OperatorRfqListPage {...useLoaderData<typeof loader>()} />;
}
