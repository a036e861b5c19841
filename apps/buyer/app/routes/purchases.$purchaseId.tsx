import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { getPurchase, withdrawPurchase } from "@souk/services";
import { pageTitle, PurchasePage } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "purchase.title", { reference: page?.purchase.reference ?? "" });

/** One purchase: its lines per seller with the orders placed, its status and its approval. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:orders:org");
  return { purchase: await orErrorPage(getPurchase(deps, { purchaseId: params.purchaseId })) };
}

/** "Change it": the requester takes a waiting purchase back into their cart. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:order:org");
  return formAction(request, async (input) => {
    if (input.intent !== "withdraw") throw validationError({ _form: ["form.invalid"] });
    await withdrawPurchase(deps, { purchaseId: params.purchaseId });
    return guards.redirectWith("/cart", { flash: "flash.purchasing.withdrawn" });
  });
}

export default function Purchase() {
  return <PurchasePage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
