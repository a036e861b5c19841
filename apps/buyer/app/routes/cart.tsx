import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { checkoutCart, getBudgetStatus, getCart, listAddresses, removeCartLine, updateCart } from "@souk/services";
import { CartPage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "cart.title");

/**
 * The member's cart at the organisation's prices, the address book for the checkout forms, and the
 * budgets that apply to the member's purchases (each checkout shows what it would do to them).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:order:org");
  const [cart, book] = await Promise.all([orErrorPage(getCart(deps)), orErrorPage(listAddresses(deps))]);
  // Per checkout (one per currency): the budgets that apply, with what its total would do to them.
  const statuses = await Promise.all(cart.groups.map(async (g) => [g.currency, await orErrorPage(getBudgetStatus(deps, { currency: g.currency, amountMinor: g.total.amountMinor }))] as const));
  return { cart, addresses: book.items, budgets: Object.fromEntries(statuses) };
}

/**
 * One form holds every line (update the quantities, or remove one: `remove:<listingId>`); each
 * currency has its checkout form. A checkout lands on the purchase: placed, or waiting for approval.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:order:org");
  return formAction(request, async (input) => {
    const intent = typeof input.intent === "string" ? input.intent : "";
    if (intent === "update") {
      await updateCart(deps, input);
      return guards.redirectWith("/cart", { flash: "flash.purchasing.cartUpdated" });
    }
    if (intent.startsWith("remove:")) {
      await removeCartLine(deps, { listingId: intent.slice("remove:".length) });
      return guards.redirectWith("/cart", { flash: "flash.purchasing.lineRemoved" });
    }
    if (intent === "checkout") {
      const result = await checkoutCart(deps, input);
      return guards.redirectWith(`/purchases/${result.purchaseId}`, { flash: result.status === "placed" ? "flash.purchasing.placed" : "flash.purchasing.pendingApproval" });
    }
    throw validationError({ _form: ["form.invalid"] });
  });
}

export default function Cart() {
  return <CartPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
