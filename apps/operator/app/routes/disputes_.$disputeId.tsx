import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "@souk/domain";
import { getDispute, resolveDispute } from "@souk/services";
import { DisputePage, OperatorRfqLink, pageTitle, useI18n } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "dispute.title", { reference: page?.dispute.order.reference ?? "" });

/** One dispute with its order and timeline, and (while open) the resolution form. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps, actor } = await guards.requireActor(request, "resolve:disputes:any");
  const dispute = await orErrorPage(getDispute(deps, { disputeId: params.disputeId }));
  // Moderators may read the order's thread (audited): the link goes there. An awarded order links to its RFQ.
  return {
    dispute,
    orderThread: can(actor.organizationKind, actor.role, "read:conversations:any") ? `/conversations/orders/${dispute.order.id}` : null,
    rfq: can(actor.organizationKind, actor.role, "read:rfqs:any") ? dispute.order.rfq : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "resolve:disputes:any");
  return formAction(request, async (input) => {
    // The dispute is the one in the URL, never a form field.
    const resolved = await resolveDispute(deps, { ...input, disputeId: params.disputeId });
    return guards.redirectWith(`/disputes/${resolved.disputeId}`, { flash: "flash.dispute.resolved" });
  });
}

export default function Dispute() {
  const { dispute, orderThread, rfq } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <>
      {orderThread ? (
        <p>
          <Link to={orderThread}>{t("conversations.link.orderThread")}</Link>
        </p>
      ) : null}
      {rfq ? <OperatorRfqLink rfq={rfq} /> : null}
      <DisputePage dispute={dispute} result={useActionData<typeof action>()} />
    </>
  );
}
