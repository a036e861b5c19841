import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { deleteApplicationDocument, getSellerApplication, listCategories, saveAndSubmitSellerApplication, saveSellerApplication, uploadApplicationDocument } from "@souk/services";
import { APPLICATION_INTENT, pageTitle, SellerApplicationPage } from "@souk/ui";
import { orErrorPage } from "@souk/ui/server";
import { APP } from "../lib/app";
import { applicationFormAction, DOCUMENT_RULES } from "../lib/application-form.server";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "application.title");

/** Where a seller fills in its application, adds documents, submits, and follows the review. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { deps } = await guards.requireActor(request, "read:organization:org");
  const [application, categories] = await orErrorPage(Promise.all([getSellerApplication(deps, {}), listCategories(deps, {})]));
  return { application, categories, rules: DOCUMENT_RULES };
}

export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "manage:application:org");
  return applicationFormAction(request, async ({ intent, input, file }) => {
    switch (intent) {
      case APPLICATION_INTENT.save:
        await saveSellerApplication(deps, input);
        return guards.redirectWith("/application", { flash: "flash.applicationSaved" });
      case APPLICATION_INTENT.submit: {
        const { move } = await saveAndSubmitSellerApplication(deps, input);
        return guards.redirectWith("/application", { flash: move === "resubmit" ? "flash.applicationResubmitted" : "flash.applicationSubmitted" });
      }
      case APPLICATION_INTENT.upload:
        await uploadApplicationDocument(deps, { file });
        return guards.redirectWith("/application#documents", { flash: "flash.documentUploaded" });
      case APPLICATION_INTENT.removeDocument:
        await deleteApplicationDocument(deps, input);
        return guards.redirectWith("/application#documents", { flash: "flash.documentRemoved" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  });
}

export default function Application() {
  const { application, categories, rules } = useLoaderData<typeof loader>();
  return <SellerApplicationPage data={application} categories={categories} rules={rules} result={useActionData<typeof action>()} />;
}
