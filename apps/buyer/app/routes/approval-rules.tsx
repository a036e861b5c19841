import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { APPROVAL_RULE_CURRENCIES, createApprovalRule, listApprovalRules } from "@souk/services";
import { ApprovalRulesPage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "approvalRules.title");

/** The organisation's approval rules; the root's administrators add and delete them here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:approval-rules:org");
  return { view: await orErrorPage(listApprovalRules(deps, {})), currencies: APPROVAL_RULE_CURRENCIES };
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:approval-rules:org");
  return formAction(request, async (input) => {
    await createApprovalRule(deps, input);
    return guards.redirectWith("/approval-rules", { flash: "flash.approvalRules.created" });
  });
}

export default function ApprovalRules() {
  return <ApprovalRulesPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
