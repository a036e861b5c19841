import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { deleteBudget, getBudget } from "@souk/services";
import { BudgetDeletePage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "budgets.delete.confirm");

/** The confirmation step of deleting a budget: a page of its own, so it works without JavaScript. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:budgets:org");
  return { budget: (await orErrorPage(getBudget(deps, { budgetId: params.budgetId }))).budget };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:budgets:org");
  return formAction(request, async () => {
    await deleteBudget(deps, { budgetId: params.budgetId });
    return guards.redirectWith("/budgets", { flash: "flash.budgets.deleted" });
  });
}

export default function DeleteBudget() {
  return <BudgetDeletePage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
