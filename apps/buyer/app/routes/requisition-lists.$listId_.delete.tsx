import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { deleteRequisitionList, getRequisitionList } from "@souk/services";
import { pageTitle, RequisitionListDeletePage } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => pageTitle(APP, matches, "requisitionList.deleteTitle", { name: page?.list.name ?? "" });

/** The confirmation step of deleting a list (a page of its own: works without JavaScript). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:requisition-lists:org");
  return { list: await orErrorPage(getRequisitionList(deps, { listId: params.listId })) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:requisition-lists:org");
  return formAction(request, async () => {
    await deleteRequisitionList(deps, { listId: params.listId });
    return guards.redirectWith("/requisition-lists", { flash: "flash.purchasing.listDeleted" });
  });
}

export default function RequisitionListDelete() {
  return <RequisitionListDeletePage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
