import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CATALOGUE_IMPORT_LIMITS, listCatalogueImports, startCatalogueImport } from "@souk/services";
import { pageTitle, SellerImportPage } from "@souk/ui";
import { APP } from "../lib/app";
import { catalogueFormAction } from "../lib/catalogue-form.server";
import { IMPORT_FORMAT } from "../lib/catalogue.server";
import { requireTradingSeller } from "../lib/trading.server";
import { guards } from "../services.server";
import { listWithFilters } from "@souk/ui/server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "sellerImports.title");

/** The upload form, the file format and the seller's recent imports (paged by the URL). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  const { filters: _filters, filterErrors: _errors, ...imports } = await listWithFilters(request, (input) => listCatalogueImports(deps, input));
  return { imports, format: IMPORT_FORMAT };
}

/** Stores the file and queues its import, then follows it on its own page. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await requireTradingSeller(request, "manage:listings:org");
  const upload = { maxBytes: CATALOGUE_IMPORT_LIMITS.maxBytes, tooLarge: "file.too_large", intent: "import" };
  return catalogueFormAction(request, { upload }, async ({ input }) => {
    const { importId } = await startCatalogueImport(deps, { file: input.file });
    return guards.redirectWith(`/listings/imports/${importId}`, { flash: "flash.sellerCatalogue.importStarted" });
  });
}

export default function ImportListings() {
  return <SellerImportPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
