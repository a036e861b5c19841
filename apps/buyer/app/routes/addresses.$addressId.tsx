import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getAddress, saveAddress } from "@souk/services";
import { AddressEditPage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "addresses.editTitle", { label: page?.address.label ?? "" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:order:org");
  return { address: await orErrorPage(getAddress(deps, { addressId: params.addressId })) };
}

/** Saves the address in the URL (never an id from the form). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:order:org");
  return formAction(request, async (input) => {
    await saveAddress(deps, { ...input, addressId: params.addressId });
    return guards.redirectWith("/addresses", { flash: "flash.purchasing.addressSaved" });
  });
}

export default function AddressEdit() {
  return <AddressEditPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
