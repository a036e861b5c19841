import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { getRequisitionList, orderRequisitionList, removeRequisitionListItem, requisitionListToRfq, updateRequisitionList, updateRequisitionListItems } from "@souk/services";
import { pageTitle, RequisitionListPage } from "@souk/ui";
import { formFailure, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { formWithLists } from "../lib/purchasing.server";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => (page ? [{ title: `${page.list.name} · ${pageTitle(APP, matches, "requisitionLists.title")[0]!.title}` }] : pageTitle(APP, matches, "requisitionLists.title"));

/** One requisition list with each item at the organisation's price now. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:catalogue:org");
  return { list: await orErrorPage(getRequisitionList(deps, { listId: params.listId })) };
}

/**
 * The list's forms: its name and description; the items' quantities and notes, or one item removed
 * (`removeItem:<listingId>`); the ticked items (or all) ordered into the cart, or turned into a
 * draft RFQ. The list is the one in the URL; services check each member's permission.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:catalogue:org");
  const listId = params.listId;
  const page = `/requisition-lists/${listId}`;
  const { input, values } = formWithLists(await request.formData(), ["listingIds"]);
  const intent = values.intent ?? "";
  try {
    if (intent === "saveList") {
      await updateRequisitionList(deps, { ...input, listId });
      return guards.redirectWith(page, { flash: "flash.purchasing.listSaved" });
    }
    if (intent === "updateItems") {
      await updateRequisitionListItems(deps, { ...input, listId });
      return guards.redirectWith(page, { flash: "flash.purchasing.itemsSaved" });
    }
    if (intent.startsWith("removeItem:")) {
      await removeRequisitionListItem(deps, { listId, listingId: intent.slice("removeItem:".length) });
      return guards.redirectWith(page, { flash: "flash.purchasing.itemRemoved" });
    }
    if (intent === "orderSelected" || intent === "orderAll") {
      await orderRequisitionList(deps, { listId, scope: intent === "orderAll" ? "all" : "selected", listingIds: input.listingIds });
      return guards.redirectWith("/cart", { flash: "flash.purchasing.listOrdered" });
    }
    if (intent === "rfqSelected" || intent === "rfqAll") {
      const { rfqId } = await requisitionListToRfq(deps, { listId, scope: intent === "rfqAll" ? "all" : "selected", listingIds: input.listingIds });
      return guards.redirectWith(`/rfqs/${rfqId}/edit`, { flash: "flash.purchasing.rfqCreated" });
    }
    throw validationError({ _form: ["form.invalid"] });
  } catch (error) {
    return formFailure(request, error, values);
  }
}

export default function RequisitionList() {
  return <RequisitionListPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
