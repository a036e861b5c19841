import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { validationError } from "@souk/domain";
import { PURCHASING_LIMITS, quickOrder } from "@souk/services";
import { pageTitle, QuickOrderPage } from "@souk/ui";
import { formFailure, formValues, readUploadForm, UploadTooLarge } from "@souk/ui/server";
import { APP } from "../lib/app";
import { guards } from "../services.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(APP, matches, "quickOrder.title");

const RULES = { maxLines: PURCHASING_LIMITS.quickOrderLines, maxFileBytes: PURCHASING_LIMITS.quickOrderFileBytes };

export async function loader({ request }: LoaderFunctionArgs) {
  await guards.requireActor(request, "create:order:org");
  return { rules: RULES };
}

/** Typed or pasted lines and/or a CSV file (multipart): the valid lines go to the cart, and every line is reported. */
export async function action({ request }: ActionFunctionArgs) {
  const { deps } = await guards.requireActor(request, "create:order:org");
  let form: FormData;
  try {
    form = await readUploadForm(request, PURCHASING_LIMITS.quickOrderFileBytes);
  } catch (error) {
    if (error instanceof UploadTooLarge) return formFailure(request, validationError({ file: ["quickOrder.file_too_large"] }), {});
    throw error;
  }
  try {
    return { report: await quickOrder(deps, { text: form.get("text") ?? undefined, file: form.get("file") ?? undefined }) };
  } catch (error) {
    return formFailure(request, error, formValues(form));
  }
}

export default function QuickOrder() {
  return <QuickOrderPage {...useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />;
}
