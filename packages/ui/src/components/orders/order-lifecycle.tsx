import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "../../i18n/context";
import { isMessageKey, type MessageKey } from "../../i18n/i18n";
import type { FormFailure } from "../../types";
import { Badge } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { sellerFailureOf, SellerFormError } from "../catalogue-seller-common";
import { errorsOf, SubmitButton, TextAreaField, TextField, useFailureKey, valueOf } from "../form";
import { Card } from "../layout";
import type { OrderMoneyView } from "./common";

/*
 * The order lifecycle on the order pages of both apps: the timeline of events and one plain form
 * per move the viewer may make now (each posts `intent` to the page's own action, with the order's
 * version, and works without JavaScript). Client-safe: shapes are those of @souk/services.
 */

/** The moves of the domain's order state machine (domain order-status.ts), as the services list them. */
export type OrderMoveName =
  | "accept"
  | "reject"
  | "ship"
  | "confirm_delivery"
  | "auto_confirm"
  | "cancel"
  | "request_cancellation"
  | "consent_cancellation"
  | "decline_cancellation"
  | "settle"
  | "open_dispute"
  | "resolve_dispute";

/** What each order form posts as `intent`: the move it makes. */
export const ORDER_INTENT = {
  accept: "accept",
  reject: "reject",
  ship: "ship",
  cancel: "cancel",
  requestCancellation: "request_cancellation",
  consentCancellation: "consent_cancellation",
  declineCancellation: "decline_cancellation",
  confirmDelivery: "confirm_delivery",
  openDispute: "open_dispute",
} as const;
export type OrderIntent = (typeof ORDER_INTENT)[keyof typeof ORDER_INTENT];

/** The flash message shown after each move. */
export const ORDER_FLASH: Record<OrderIntent, MessageKey> = {
  accept: "flash.order.accepted",
  reject: "flash.order.rejected",
  ship: "flash.order.shipped",
  cancel: "flash.order.cancelled",
  request_cancellation: "flash.order.cancellationRequested",
  consent_cancellation: "flash.order.cancelled",
  decline_cancellation: "flash.order.cancellationDeclined",
  confirm_delivery: "flash.order.delivered",
  open_dispute: "flash.order.disputeOpened",
};

export interface OrderEventPageView {
  id: string;
  kind: string;
  actorKind: "buyer" | "seller" | "operator" | "system";
  actorName: string | null;
  at: string;
  data: Readonly<Record<string, string | number | boolean | null>>;
}

const TONE: Record<string, "approve" | "reject" | undefined> = {
  accepted: "approve",
  delivered: "approve",
  settled: "approve",
  rejected: "reject",
  cancelled: "reject",
  dispute_opened: "reject",
};

function text(data: OrderEventPageView["data"], key: string): string | null {
  const value = data[key];
  return typeof value === "string" && value !== "" ? value : null;
}

/** The order's history, oldest first. */
export function OrderTimeline({ events, currency }: { events: readonly OrderEventPageView[]; currency: string }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  const amount = (minor: string | null) => (minor !== null && /^-?\d+$/.test(minor) ? formatMoney({ amountMinor: minor, currency }) : null);
  return (
    <Card title={t("order.timeline.title")}>
      <ol className="timeline" aria-label={t("order.timeline.caption")}>
        {events.map((e) => {
          const kindKey = `order.timeline.kind.${e.kind}`;
          const reason = text(e.data, "reason");
          const note = text(e.data, "note");
          const carrier = text(e.data, "carrier");
          const tracking = text(e.data, "trackingReference");
          const refund = e.kind === "dispute_resolved" && text(e.data, "resolution") !== "release" ? amount(text(e.data, "refundMinor")) : null;
          const gross = amount(text(e.data, "gross"));
          const commission = amount(text(e.data, "commission"));
          const net = amount(text(e.data, "net"));
          const resolution = text(e.data, "resolution");
          return (
            <li key={e.id} className={`timeline-item${TONE[e.kind] ? ` timeline-item--${TONE[e.kind]}` : ""}`}>
              <div className="timeline-head">
                <span className="timeline-move">{isMessageKey(kindKey) ? t(kindKey) : e.kind}</span>
                <time className="cell-sub" dateTime={e.at}>
                  {formatDateTime(e.at)}
                </time>
              </div>
              <p className="timeline-who">
                {e.actorName ?? t(`order.timeline.actor.${e.actorKind}`)}
                {e.kind === "delivered" && text(e.data, "confirmedBy") === "auto" ? <> · {t("order.timeline.autoConfirmed")}</> : null}
                {e.kind === "cancelled" && text(e.data, "via") === "consent" ? <> · {t("order.timeline.viaConsent")}</> : null}
              </p>
              {carrier && tracking ? <p className="timeline-who">{t("order.shipmentValue", { carrier, reference: tracking })}</p> : null}
              {resolution && isMessageKey(`dispute.resolution.${resolution}`) ? <p className="timeline-who">{t(`dispute.resolution.${resolution}` as MessageKey)}</p> : null}
              {refund ? <p className="timeline-who">{t("order.timeline.refund", { amount: refund })}</p> : null}
              {e.kind === "settled" && gross ? (
                <p className="timeline-who">{commission && net ? t("order.timeline.settlement", { gross, commission, net }) : t("order.timeline.settlementTotal", { gross })}</p>
              ) : null}
              {reason ? <blockquote className="timeline-message prewrap">{reason}</blockquote> : null}
              {note ? <blockquote className="timeline-message prewrap">{note}</blockquote> : null}
            </li>
          );
        })}
      </ol>
    </Card>
  );
}

/** One move's form: the order's version, the intent, fields, and its own error when it is the one that failed. */
function MoveForm({ title, intro, intents, version, result, children, buttons }: {
  title: string;
  intro?: string;
  intents: readonly OrderIntent[];
  version: number;
  result: unknown;
  children?: (failure: FormFailure | null) => ReactNode;
  buttons: ReactNode;
}) {
  const failure = sellerFailureOf(result, intents);
  const formKey = useFailureKey(failure);
  return (
    <section className="order-move" aria-label={title}>
      <h3 className="card-subtitle">{title}</h3>
      {intro ? <p className="muted">{intro}</p> : null}
      <SellerFormError failure={failure} />
      <Form key={formKey} method="post" className="form" noValidate preventScrollReset>
        <input type="hidden" name="version" value={version} />
        {children?.(failure)}
        <div className="button-row">{buttons}</div>
      </Form>
    </section>
  );
}

function ReasonField({ failure, label, hint, field = "reason", required = true }: { failure: FormFailure | null; label: string; hint?: string; field?: string; required?: boolean }) {
  return (
    <TextAreaField
      name={field}
      label={label}
      hint={hint}
      required={required}
      rows={3}
      maxLength={2000}
      defaultValue={valueOf(failure, field)}
      errors={errorsOf(failure, field)}
      autoFocus={Boolean(errorsOf(failure, field))}
    />
  );
}

/** The forms of the moves the viewer may make now (none: nothing is shown). */
export function OrderMoves({ moves, version, disputeDays, result }: { moves: readonly string[]; version: number; disputeDays: number; result: unknown }) {
  const { t } = useI18n();
  const has = (m: OrderMoveName) => moves.includes(m);
  const forms: ReactNode[] = [];
  if (has("accept")) {
    forms.push(
      <MoveForm key="accept" title={t("order.accept.title")} intro={t("order.accept.intro")} intents={[ORDER_INTENT.accept]} version={version} result={result} buttons={<SubmitButton name="intent" value={ORDER_INTENT.accept}>{t("order.accept.submit")}</SubmitButton>} />,
    );
  }
  if (has("ship")) {
    forms.push(
      <MoveForm
        key="ship"
        title={t("order.ship.title")}
        intents={[ORDER_INTENT.ship]}
        version={version}
        result={result}
        buttons={<SubmitButton name="intent" value={ORDER_INTENT.ship}>{t("order.ship.submit")}</SubmitButton>}
      >
        {(failure) => (
          <div className="form-grid">
            <TextField name="carrier" label={t("order.ship.carrier")} required maxLength={100} defaultValue={valueOf(failure, "carrier")} errors={errorsOf(failure, "carrier")} autoComplete="off" />
            <TextField name="trackingReference" label={t("order.ship.tracking")} required maxLength={100} defaultValue={valueOf(failure, "trackingReference")} errors={errorsOf(failure, "trackingReference")} autoComplete="off" />
          </div>
        )}
      </MoveForm>,
    );
  }
  if (has("confirm_delivery")) {
    forms.push(
      <MoveForm
        key="confirm"
        title={t("order.confirm.title")}
        intro={t("order.confirm.intro", { days: disputeDays })}
        intents={[ORDER_INTENT.confirmDelivery]}
        version={version}
        result={result}
        buttons={<SubmitButton name="intent" value={ORDER_INTENT.confirmDelivery}>{t("order.confirm.submit")}</SubmitButton>}
      />,
    );
  }
  if (has("consent_cancellation") || has("decline_cancellation")) {
    forms.push(
      <MoveForm
        key="answer"
        title={t("order.answerCancel.title")}
        intents={[ORDER_INTENT.consentCancellation, ORDER_INTENT.declineCancellation]}
        version={version}
        result={result}
        buttons={
          <>
            {has("consent_cancellation") ? (
              <SubmitButton name="intent" value={ORDER_INTENT.consentCancellation} variant="danger">
                {t("order.answerCancel.consent")}
              </SubmitButton>
            ) : null}
            {has("decline_cancellation") ? (
              <SubmitButton name="intent" value={ORDER_INTENT.declineCancellation} variant="secondary">
                {t("order.answerCancel.decline")}
              </SubmitButton>
            ) : null}
          </>
        }
      >
        {(failure) => <ReasonField failure={failure} field="note" label={t("order.answerCancel.note")} required={false} />}
      </MoveForm>,
    );
  }
  if (has("open_dispute")) {
    forms.push(
      <MoveForm
        key="dispute"
        title={t("order.openDispute.title")}
        intro={t("order.openDispute.intro")}
        intents={[ORDER_INTENT.openDispute]}
        version={version}
        result={result}
        buttons={<SubmitButton name="intent" value={ORDER_INTENT.openDispute} variant="danger">{t("order.openDispute.submit")}</SubmitButton>}
      >
        {(failure) => <ReasonField failure={failure} label={t("order.openDispute.reason")} />}
      </MoveForm>,
    );
  }
  if (has("cancel")) {
    forms.push(
      <MoveForm
        key="cancel"
        title={t("order.cancel.title")}
        intro={t("order.cancel.intro")}
        intents={[ORDER_INTENT.cancel]}
        version={version}
        result={result}
        buttons={<SubmitButton name="intent" value={ORDER_INTENT.cancel} variant="danger">{t("order.cancel.submit")}</SubmitButton>}
      >
        {(failure) => <ReasonField failure={failure} label={t("order.cancel.reason")} />}
      </MoveForm>,
    );
  }
  if (has("request_cancellation")) {
    forms.push(
      <MoveForm
        key="request"
        title={t("order.requestCancel.title")}
        intro={t("order.requestCancel.intro")}
        intents={[ORDER_INTENT.requestCancellation]}
        version={version}
        result={result}
        buttons={<SubmitButton name="intent" value={ORDER_INTENT.requestCancellation} variant="secondary">{t("order.requestCancel.submit")}</SubmitButton>}
      >
        {(failure) => <ReasonField failure={failure} label={t("order.requestCancel.reason")} />}
      </MoveForm>,
    );
  }
  if (has("reject")) {
    forms.push(
      <MoveForm
        key="reject"
        title={t("order.reject.title")}
        intents={[ORDER_INTENT.reject]}
        version={version}
        result={result}
        buttons={<SubmitButton name="intent" value={ORDER_INTENT.reject} variant="danger">{t("order.reject.submit")}</SubmitButton>}
      >
        {(failure) => <ReasonField failure={failure} label={t("order.reject.reason")} hint={t("order.reject.hint")} />}
      </MoveForm>,
    );
  }
  // A failed move that is no longer offered (the order moved meanwhile) still shows why.
  const orphan = sellerFailureOf(
    result,
    Object.values(ORDER_INTENT).filter((intent) => !moves.includes(intent)),
  );
  if (forms.length === 0 && !orphan) return null;
  return (
    <Card title={t("order.moves.title")} id="moves">
      {orphan ? <SellerFormError failure={orphan} /> : null}
      <div className="stack">{forms}</div>
    </Card>
  );
}

const DISPUTE_TONE: Record<string, "warning" | "success"> = { open: "warning", resolved: "success" };

export function DisputeStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `disputes.status.${status}`;
  return <Badge tone={DISPUTE_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

/** "Partial refund of €25.00 to the buyer". */
export function useResolutionLabel(): (resolution: string, refund: OrderMoneyView | null) => string {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  return (resolution, refund) => {
    const key = `order.resolution.${resolution}`;
    return isMessageKey(key) ? t(key, { amount: refund ? formatMoney(refund) : "" }) : resolution;
  };
}
