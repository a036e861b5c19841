import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { decideApproval, getApproval } from "@souk/services";
import { ApprovalPage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "approval.title", { reference: page?.approval.reference ?? "" });

/** One approval with the award it is about, and (for an approver who did not ask for it) the decision form. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request);
  return { approval: await orErrorPage(getApproval(deps, { approvalId: params.approvalId })) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "approve:purchase:org");
  // The approval is the one in the URL, never a form field.
  const approvalId = params.approvalId;
  return formAction(request, async (input) => {
    const { status, nextApprovalId } = await decideApproval(deps, { ...input, approvalId });
    const flash = status === "rejected" ? "flash.approvals.rejected" : nextApprovalId ? "flash.approvals.levelOneApproved" : "flash.approvals.approved";
    return guards.redirectWith(`/approvals/${approvalId}`, { flash });
  });
}

export default function Approval() {
  return <ApprovalPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
