import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getBudget, updateBudget } from "@souk/services";
import { BudgetEditPage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "budgets.edit.title", { scope: page?.budget.scope.name ?? "" });

/** One budget with this period's figures, and the form that changes its terms (the budget is the one in the URL). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:budgets:org");
  return await orErrorPage(getBudget(deps, { budgetId: params.budgetId }));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:budgets:org");
  return formAction(request, async (input) => {
    await updateBudget(deps, { ...input, budgetId: params.budgetId });
    return guards.redirectWith("/budgets", { flash: "flash.budgets.updated" });
  });
}

export default function EditBudget() {
  return <BudgetEditPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
