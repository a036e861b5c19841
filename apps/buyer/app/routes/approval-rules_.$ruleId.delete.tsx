import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { deleteApprovalRule, getApprovalRule } from "@souk/services";
import { ApprovalRuleDeletePage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "approvalRules.delete.confirm");

/** The confirmation step of deleting a rule: a page of its own, so it works without JavaScript. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:approval-rules:org");
  return { rule: await orErrorPage(getApprovalRule(deps, { ruleId: params.ruleId })) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:approval-rules:org");
  return formAction(request, async () => {
    await deleteApprovalRule(deps, { ruleId: params.ruleId });
    return guards.redirectWith("/approval-rules", { flash: "flash.approvalRules.deleted" });
  });
}

export default function DeleteApprovalRule() {
  return <ApprovalRuleDeletePage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
