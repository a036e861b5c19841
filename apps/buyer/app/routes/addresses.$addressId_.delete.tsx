import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { deleteAddress, getAddress } from "@souk/services";
import { AddressDeletePage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "addresses.deleteTitle", { label: page?.address.label ?? "" });

/** The confirmation step of deleting an address (a page of its own: works without JavaScript). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:order:org");
  return { address: await orErrorPage(getAddress(deps, { addressId: params.addressId })) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:order:org");
  return formAction(request, async () => {
    await deleteAddress(deps, { addressId: params.addressId });
    return guards.redirectWith("/addresses", { flash: "flash.purchasing.addressDeleted" });
  });
}

export default function AddressDelete() {
  return <AddressDeletePage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
