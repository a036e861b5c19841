import { isDomainError } from "@souk/domain";
import { translateFieldErrors } from "../i18n/i18n";
import { errorResponse } from "./errors.server";
import { localeOf } from "./request.server";

/**
 * A list page's filters come from its URL (a GET form). The service checks them like any input; a
 * filter it refuses is left out and shown with its message, rather than turning the whole page into
 * an error: the user sees the list and what to fix. Only then is the service asked again, without
 * the refused filters.
 */
export async function listWithFilters<T>(request: Request, list: (input: Record<string, string>) => Promise<T>) {
  const filters = Object.fromEntries(new URL(request.url).searchParams);
  try {
    return { ...(await list(filters)), filters, filterErrors: {} as Record<string, string[]> };
  } catch (error) {
    if (!isDomainError(error) || error.code !== "VALIDATION") throw errorResponse(error);
    const refused = new Set(Object.keys(error.fieldErrors));
    const usable = Object.fromEntries(Object.entries(filters).filter(([name]) => !refused.has(name)));
    try {
      return { ...(await list(usable)), filters, filterErrors: translateFieldErrors(localeOf(request), error.fieldErrors) };
    } catch (again) {
      throw errorResponse(again);
    }
  }
}
