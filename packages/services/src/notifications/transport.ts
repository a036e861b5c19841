import type { NotificationEmailPayload } from "@souk/jobs";
import { isEmailTemplateName, redactedSecretParams } from "./templates";
import { redactSecret } from "./text";

/**
 * The `notification.email` job data that goes through Redis: the template's secret params
 * redacted, the rest as written (it tells whoever looks at the queue what the job is about).
 * The worker renders the e-mail from the outbox row (deliverEmailNotification), never from this.
 * A template we do not know cannot say which params are secret, so all of them go: its job fails
 * in the worker anyway, with the outbox row left for a human to read.
 */
export function redactEmailForTransport(payload: NotificationEmailPayload): NotificationEmailPayload {
  const secrets = isEmailTemplateName(payload.template)
    ? redactedSecretParams(payload.template, payload.params)
    : Object.fromEntries(Object.entries(payload.params).map(([key, value]) => [key, redactSecret(value)]));
  return { ...payload, params: { ...payload.params, ...secrets } };
}
