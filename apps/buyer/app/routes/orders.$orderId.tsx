import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { answerOrderCancellation, cancelOrder, confirmDelivery, DISPUTE_WINDOW_DAYS, getBuyerOrder, openDispute, requestOrderCancellation } from "@souk/services";
import { ORDER_FLASH, ORDER_INTENT, OrderPage, pageTitle, MessageLink } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "order.title", { reference: page?.order.reference ?? "" });

/** One order of the organisation: lines, timeline, and the forms of the moves the member may make now. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:orders:org");
  return { order: await orErrorPage(getBuyerOrder(deps, { orderId: params.orderId })), disputeDays: DISPUTE_WINDOW_DAYS };
}

/** The buyer's moves (`intent`): each one service call, which checks the member's permission. The order is the one in the URL. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:orders:org");
  const orderId = params.orderId ?? "";
  return formAction(request, async (input) => {
    const move = { ...input, orderId };
    switch (input.intent) {
      case ORDER_INTENT.cancel:
        await cancelOrder(deps, move);
        break;
      case ORDER_INTENT.requestCancellation:
        await requestOrderCancellation(deps, move);
        break;
      case ORDER_INTENT.consentCancellation:
      case ORDER_INTENT.declineCancellation:
        await answerOrderCancellation(deps, { ...move, answer: input.intent === ORDER_INTENT.consentCancellation ? "consent" : "decline" });
        break;
      case ORDER_INTENT.confirmDelivery:
        await confirmDelivery(deps, move);
        break;
      case ORDER_INTENT.openDispute:
        await openDispute(deps, move);
        break;
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
    return guards.redirectWith(`/orders/${orderId}`, { flash: ORDER_FLASH[input.intent] });
  });
}

export default function Order() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <MessageLink app="buyer" subject={{ kind: "order", id: page.order.id }} label="conversations.link.messageSeller" />
      </p>
      <OrderPage side="buyer" {...page} result={useActionData<typeof action>()} />
    </>
  );
}
