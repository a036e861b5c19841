import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { createRequisitionList, listRequisitionLists } from "@souk/services";
import { pageTitle, RequisitionListsPage } from "@souk/ui";
import { formAction, orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "requisitionLists.title");

/** The organisation's requisition lists (shared by its members). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:catalogue:org");
  return { view: await orErrorPage(listRequisitionLists(deps)) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:requisition-lists:org");
  return formAction(request, async (input) => {
    const { listId } = await createRequisitionList(deps, input);
    return guards.redirectWith(`/requisition-lists/${listId}`, { flash: "flash.purchasing.listCreated" });
  });
}

export default function RequisitionLists() {
  return <RequisitionListsPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
