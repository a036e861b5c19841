import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { archiveCommissionRule, listCategories, listCommissionRules, listCommissionSellers, previewCommission, saveCommissionRule } from "@souk/services";
import { CommissionRulesPage, pageTitle, type CommissionPreviewResult } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "commissionRules.title");

/**
 * The live commission rules, with the category tree and the active sellers (narrowed by name with
 * `sellerQ`) for the rule and preview forms (finance and admins).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:commission:any");
  const sellerQuery = new URL(request.url).searchParams.get("sellerQ")?.trim() ?? "";
  const [rules, categories, sellers] = await orErrorPage(Promise.all([listCommissionRules(deps, {}), listCategories(deps, {}), listCommissionSellers(deps, { q: sellerQuery })]));
  return { rules, categories, sellers, sellerQuery };
}

/** Save (add or replace), archive, or preview the commission on an amount: one form each, told apart by `intent`. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:commission:any");
  return formAction(request, async (input) => {
    switch (input.intent) {
      case "save": {
        const { replacedRuleId } = await saveCommissionRule(deps, input);
        return guards.redirectWith("/commission", { flash: replacedRuleId ? "flash.commission.replaced" : "flash.commission.saved" });
      }
      case "archive":
        await archiveCommissionRule(deps, { ruleId: input.ruleId });
        return guards.redirectWith("/commission", { flash: "flash.commission.archived" });
      case "preview": {
        const preview = await previewCommission(deps, input);
        const values = Object.fromEntries(Object.entries(input).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
        return { ok: true, intent: "preview", preview, values } satisfies CommissionPreviewResult;
      }
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  });
}

export default function CommissionRules() {
  return <CommissionRulesPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
