import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getCatalogueImport } from "@souk/services";
import { pageTitle, SellerImportProgressPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { requireTradingSeller } from "../lib/trading.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "sellerImports.run.title", { name: page?.run.fileName ?? "" });

/** One of the seller's imports: read again every second while it runs (the page revalidates or refreshes). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  return { run: await orErrorPage(getCatalogueImport(deps, { importId: params.importId })) };
}

export default function ImportRun() {
  return <SellerImportProgressPage {...useLoaderData<typeof loader>()} />;
}
