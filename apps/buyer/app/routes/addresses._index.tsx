import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { listAddresses, makeDefaultAddress, saveAddress } from "@souk/services";
import { AddressesPage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "addresses.title");

/** The organisation's delivery addresses (every member reads them; admins and purchasers keep them). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:orders:org");
  return { book: await orErrorPage(listAddresses(deps)) };
}

/** Add an address, or make one the default. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:order:org");
  return formAction(request, async (input) => {
    if (input.intent === "create") {
      // A new address: never an id from the form.
      await saveAddress(deps, { ...input, addressId: undefined });
      return guards.redirectWith("/addresses", { flash: "flash.purchasing.addressSaved" });
    }
    if (input.intent === "makeDefault") {
      await makeDefaultAddress(deps, { addressId: input.addressId });
      return guards.redirectWith("/addresses", { flash: "flash.purchasing.defaultAddress" });
    }
    throw validationError({ _form: ["form.invalid"] });
  });
}

export default function Addresses() {
  return <AddressesPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
