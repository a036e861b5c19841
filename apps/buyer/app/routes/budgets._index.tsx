import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { createBudget, listBudgets } from "@souk/services";
import { BudgetsPage, pageTitle } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "budgets.title");

/** The organisation's budgets with this period's figures; the root's administrators add them here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:budgets:org");
  return { view: await orErrorPage(listBudgets(deps, {})) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:budgets:org");
  return formAction(request, async (input) => {
    await createBudget(deps, input);
    return guards.redirectWith("/budgets", { flash: "flash.budgets.created" });
  });
}

export default function Budgets() {
  return <BudgetsPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
