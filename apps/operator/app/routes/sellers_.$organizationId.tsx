import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { SellerDecision } from "@souk/domain";
import { decideSeller, getSellerForReview } from "@souk/services";
import { pageTitle, SellerReviewPage, type MessageKey } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) =>
  pageTitle(APP, matches, "review.title").map(({ title }) => ({ title: page ? `${page.review.organization.name} · ${title}` : title }));

/** What the operator reads after a decision: the page again, with the outcome as a flash message. */
const DECIDED: Record<SellerDecision, MessageKey> = {
  approve: "flash.sellerApproved",
  reject: "flash.sellerRejected",
  request_info: "flash.sellerInfoRequested",
  suspend: "flash.sellerSuspended",
  reinstate: "flash.sellerReinstated",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "review:sellers:any");
  return { review: await orErrorPage(getSellerForReview(deps, { organizationId: params.organizationId })) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "review:sellers:any");
  return formAction(request, async (input) => {
    // The seller is the one in the URL, never a form field.
    const decided = await decideSeller(deps, { ...input, organizationId: params.organizationId });
    return guards.redirectWith(`/sellers/${decided.organizationId}`, { flash: DECIDED[decided.decision] });
  });
}

export default function SellerReview() {
  return <SellerReviewPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
