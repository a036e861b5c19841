import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { can } from "@souk/domain";
import { listBuyerRfqs } from "@souk/services";
import { BuyerRfqListPage, pageTitle } from "@souk/ui";
import { listWithFilters } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "rfqBuyer.title");

/** The organisation's RFQs: status, text and page come from the URL (a GET form), so each list has its own address. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps, actor } = await guards.requireActor(request, "read:rfqs:org");
  const list = await listWithFilters(request, async (input) => ({ rfqs: await listBuyerRfqs(deps, input) }));
  return { ...list, canCreate: can(actor.organizationKind, actor.role, "create:rfq:org") };
}

export default function Rfqs() {
  return <BuyerRfqListPage {...useLoaderData<typeof loader>()} />;
}
