import { can, validationError, type Actor } from "@souk/domain";
import { addToCart, addToRequisitionList, listRequisitionLists } from "@souk/services";
import type { CataloguePurchasingView } from "@souk/ui";
import { formFailure, formValues, safeRedirectPath } from "@souk/ui/server";
import { guards } from "../services.server";

type Deps = Awaited<ReturnType<typeof guards.requireActor>>["deps"];

/** What the catalogue pages offer a member: the cart (admins, purchasers) and the organisation's requisition lists (those who keep them). */
export async function cataloguePurchasing(deps: Deps): Promise<CataloguePurchasingView> {
  const actor: Actor = deps.actor;
  const canBuy = can(actor.organizationKind, actor.role, "create:order:org");
  const canEditLists = can(actor.organizationKind, actor.role, "manage:requisition-lists:org");
  const lists = canEditLists ? (await listRequisitionLists(deps)).items.map((l) => ({ id: l.id, name: l.name })) : [];
  return { canBuy, canEditLists, lists };
}

/**
 * The action of the catalogue pages' "Add to cart" and "Add to list" forms: back to the page the
 * form was on (`returnTo`, a path of this site) with a flash message, or the form again with its
 * errors. A listing the buyer may not see is a field error (`listingId`), like an unknown one.
 */
export async function catalogueCartAction(request: Request, deps: Deps) {
  const form = await request.formData();
  const values = formValues(form);
  try {
    const returnTo = safeRedirectPath(values.returnTo, "/catalogue");
    switch (values.intent) {
      case "addToCart":
        await addToCart(deps, { listingId: values.listingId, quantity: values.quantity });
        return guards.redirectWith(returnTo, { flash: "flash.purchasing.addedToCart" });
      case "addToList":
        await addToRequisitionList(deps, { listId: values.listId, newListName: values.newListName, listingId: values.listingId, quantity: values.quantity, note: values.note });
        return guards.redirectWith(returnTo, { flash: "flash.purchasing.addedToList" });
      default:
        throw validationError({ _form: ["form.invalid"] });
    }
  } catch (error) {
    return formFailure(request, error, values);
  }
}

/** A form's fields with every field sent several times (checkboxes) as an array, and the values to show again (those joined by commas). */
export function formWithLists(form: FormData, lists: readonly string[]): { input: Record<string, unknown>; values: Record<string, string> } {
  const values = formValues(form);
  const input: Record<string, unknown> = Object.fromEntries(form);
  for (const name of lists) {
    const all = form.getAll(name).filter((v): v is string => typeof v === "string");
    input[name] = all;
    values[name] = all.join(",");
  }
  return { input, values };
}
