import { z } from "zod";
import { JOB_REQUEST_ID_KEY, QUEUE_NAMES, type QueueName } from "@souk/jobs";

export { QUEUE_NAMES };
export type { QueueName };

export const queueField = z.enum(QUEUE_NAMES as [QueueName, ...QueueName[]], { error: "jobs.queue_invalid" });

const MAX_IDS_SHOWN = 5;

/**
 * What a job's payload may show an operator: its ids only. Payloads are ids almost everywhere,
 * but not quite: an e-mail job carries the recipient's address and the template's parameters (a
 * name, a link with a token...), and a suspension carries the operator's reason. Rather than
 * listing what to hide per job, only fields named `...Id` / `...Ids` are kept, plus an e-mail's
 * template and locale (which say what the e-mail was, not to whom nor with which link).
 */
export function jobPayloadSummary(name: string, data: unknown): Record<string, string> {
  const summary: Record<string, string> = {};
  if (!data || typeof data !== "object" || Array.isArray(data)) return summary;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    // Not the payload's: FailedJobView has it as requestId.
    if (key === JOB_REQUEST_ID_KEY) continue;
    if (name === "notification.email" && (key === "template" || key === "locale") && typeof value === "string") {
      summary[key] = value.slice(0, 100);
    } else if (/Id$/.test(key) && typeof value === "string") {
      summary[key] = value.slice(0, 64);
    } else if (/Ids$/.test(key) && Array.isArray(value)) {
      const ids = value.filter((v): v is string => typeof v === "string").map((v) => v.slice(0, 64));
      summary[key] = ids.length > MAX_IDS_SHOWN ? `${ids.slice(0, MAX_IDS_SHOWN).join(", ")} (+${ids.length - MAX_IDS_SHOWN})` : ids.join(", ");
    }
  }
  return summary;
}

const MAX_REASON_LENGTH = 1_000;

/** A failure message as stored by BullMQ, cut to a length a table cell can hold. */
export function failureReason(reason: string | undefined): string {
  const text = reason ?? "";
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}
