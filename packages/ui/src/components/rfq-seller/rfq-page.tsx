import { Form, Link } from "@remix-run/react";
import { useId } from "react";
import { useI18n } from "../../i18n/context";
import { isMessageKey } from "../../i18n/i18n";
import type { FormFailure } from "../../types";
import { Alert, Badge } from "../alert";
import { SellerBackLink, sellerFailureOf } from "../catalogue-seller-common";
import { buttonClass, errorsOf, SubmitButton, TextAreaField, TextField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { Countdown, LiveIndicator, useLiveView } from "../live";
import { categoryName } from "../seller-data";
import { DataTable } from "../table";
import { sellerRfqDecimal, SellerRfqFormAlert, useSellerRfqMoney } from "./common";
import { SellerOfferFiles, SellerRfqFileList } from "./offer-files";
import { SELLER_RFQ_INTENT, type SellerOfferFileRules, type SellerRfqReceipt, type SellerRfqView } from "./types";

const STATUS_TONE: Record<string, "neutral" | "success" | "warning" | "danger" | "info"> = {
  open: "success",
  closed: "info",
  awarded: "info",
  cancelled: "danger",
  submitted: "success",
  revised: "success",
  withdrawn: "neutral",
  locked: "info",
};

function StatusBadge({ prefix, status }: { prefix: "rfq.status" | "offer.status"; status: string }) {
  const { t } = useI18n();
  const key = `${prefix}.${status}`;
  return <Badge tone={STATUS_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

function Hash({ value }: { value: string }) {
  return <code className="mono rfq-hash">{value}</code>;
}

function ReceiptKind({ receipt }: { receipt: Pick<SellerRfqReceipt, "kind" | "reason"> }) {
  const { t } = useI18n();
  const reasonKey = receipt.reason ? `rfqOffer.reason.${receipt.reason}` : null;
  return (
    <>
      {t(`rfqOffer.kind.${receipt.kind}`)}
      {reasonKey && isMessageKey(reasonKey) ? <span className="cell-sub">{t(reasonKey)}</span> : null}
    </>
  );
}

/** The receipt of the seller's last action (after a submission, revision or withdrawal). */
function ReceiptCard({ receipt }: { receipt: SellerRfqReceipt }) {
  const { t, formatDateTime } = useI18n();
  return (
    <section className="card rfq-seller-receipt" id="receipt" aria-labelledby="receipt-title">
      <h2 id="receipt-title" className="card-title">
        {t("rfqOffer.receipt.title")}
      </h2>
      <p className="muted">{t("rfqOffer.receipt.intro")}</p>
      <dl className="details">
        {receipt.sequence !== undefined ? (
          <>
            <dt>{t("rfqOffer.receipt.sequence")}</dt>
            <dd>{receipt.sequence}</dd>
          </>
        ) : null}
        <dt>{t("rfqOffer.receipt.action")}</dt>
        <dd>
          <ReceiptKind receipt={receipt} /> · {t("rfqOffer.offer.revision")} {receipt.revision}
        </dd>
        <dt>{t("rfqOffer.receipt.recordedAt")}</dt>
        <dd>
          <time dateTime={receipt.recordedAt}>{receipt.recordedAt}</time>
          <span className="cell-sub">{formatDateTime(receipt.recordedAt)}</span>
        </dd>
        <dt>{t("rfqOffer.receipt.hash")}</dt>
        <dd>
          <Hash value={receipt.hash} />
        </dd>
        {receipt.previousHash !== undefined ? (
          <>
            <dt>{t("rfqOffer.receipt.previousHash")}</dt>
            <dd>{receipt.previousHash ? <Hash value={receipt.previousHash} /> : t("rfqOffer.receipt.first")}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function Facts({ view }: { view: SellerRfqView }) {
  const { t, tKey, locale, formatDateTime } = useI18n();
  const { rfq } = view;
  const open = rfq.status === "open" && Date.parse(rfq.deadline) > Date.parse(view.serverNow);
  return (
    <Card title={t("rfqOffer.facts")}>
      <dl className="details">
        <dt>{t("rfqOffer.reference")}</dt>
        <dd>{rfq.reference}</dd>
        <dt>{t("rfqOffer.status")}</dt>
        <dd>
          <StatusBadge prefix="rfq.status" status={rfq.status} />
        </dd>
        <dt>{t("rfqOffer.category")}</dt>
        <dd>{categoryName(locale, rfq.category)}</dd>
        <dt>{t("rfqOffer.currency")}</dt>
        <dd>{rfq.currency}</dd>
        <dt>{t("rfqOffer.delivery")}</dt>
        <dd>{t("rfqOffer.deliveryTerms", { incoterm: tKey(`rfq.incoterm.${rfq.incoterm}`), place: rfq.deliveryPlace })}</dd>
        <dt>{t("rfqOffer.deadline")}</dt>
        <dd>
          <time dateTime={rfq.deadline}>{formatDateTime(rfq.deadline)}</time>
        </dd>
        {open ? (
          <>
            <dt>{t("rfqOffer.timeLeft")}</dt>
            <dd>
              {/* Keyed by the deadline: an extension restarts the countdown from the new one. */}
              <Countdown key={`${rfq.deadline}|${view.serverNow}`} deadline={rfq.deadline} serverNow={view.serverNow} />
            </dd>
          </>
        ) : null}
        <dt>{t("rfqOffer.bidding")}</dt>
        <dd>
          {tKey(`rfq.sealing.${rfq.sealing}`)}
          {rfq.invited ? (
            <>
              {" "}
              <Badge tone="info">{t("rfqInbox.invited")}</Badge>
            </>
          ) : null}
          <span className="cell-sub">{rfq.sealing === "sealed" ? t("rfqOffer.sealedHelp") : t("rfqOffer.openHelp")}</span>
        </dd>
      </dl>
      {rfq.antiSniping ? (
        <p className="muted">
          {t("rfqOffer.antiSniping", { minutes: rfq.antiSniping.windowMinutes, max: rfq.antiSniping.maxExtensions, used: rfq.antiSniping.extensionsUsed })}
        </p>
      ) : null}
      {rfq.description ? (
        <>
          <h3 className="card-subtitle">{t("rfqOffer.description")}</h3>
          <p className="prewrap">{rfq.description}</p>
        </>
      ) : null}
    </Card>
  );
}

function Lines({ view }: { view: SellerRfqView }) {
  const { t } = useI18n();
  const formatMoney = useSellerRfqMoney();
  const mine = new Map((view.offer?.lines ?? []).map((l) => [l.lineId, l]));
  const ranks = view.ranks ? new Map(view.ranks.map((r) => [r.lineId, r.rank])) : null;
  const columns = [t("rfqOffer.lines.position"), t("rfqOffer.lines.description"), t("rfqOffer.lines.quantity"), t("rfqOffer.lines.target")];
  if (view.offer) columns.push(t("rfqOffer.lines.yourPrice"), t("rfqOffer.lines.yourQuantity"));
  if (ranks) columns.push(t("rfqOffer.lines.rank"));
  return (
    <Card title={t("rfqOffer.lines.title")} id="lines">
      {ranks ? <p className="muted">{t("rfqOffer.ranksHelp")}</p> : null}
      <DataTable caption={t("rfqOffer.lines.caption")} columns={columns}>
        {view.lines.map((line) => {
          const offered = mine.get(line.id);
          const rank = ranks?.get(line.id);
          return (
            <tr key={line.id}>
              <td>{line.position + 1}</td>
              <th scope="row" className="cell-name">
                {line.description}
              </th>
              <td className="cell-nowrap">
                {line.quantity} {line.unit}
              </td>
              <td className="cell-amount">{line.targetPrice ? formatMoney(line.targetPrice) : "—"}</td>
              {view.offer ? (
                <>
                  <td className="cell-amount">{offered ? formatMoney(offered.unitPrice) : <span className="muted">{t("rfqOffer.lines.notOffered")}</span>}</td>
                  <td>{offered ? offered.quantity : "—"}</td>
                </>
              ) : null}
              {ranks ? <td>{rank !== undefined ? <Badge tone={rank === 1 ? "success" : "neutral"}>{t("rfqOffer.rank", { rank })}</Badge> : "—"}</td> : null}
            </tr>
          );
        })}
      </DataTable>
    </Card>
  );
}

/** The seller's offer as it stands (when it may not, or does not, change it now). */
function OfferSummary({ view }: { view: SellerRfqView }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const formatMoney = useSellerRfqMoney();
  const offer = view.offer;
  return (
    <Card title={t("rfqOffer.offer.title")} id="offer">
      {offer ? (
        <dl className="details">
          <dt>{t("rfqOffer.offer.status")}</dt>
          <dd>
            <StatusBadge prefix="offer.status" status={offer.status} />
          </dd>
          <dt>{t("rfqOffer.offer.revision")}</dt>
          <dd>{offer.revision}</dd>
          <dt>{t("rfqOffer.offer.total")}</dt>
          <dd>{formatMoney(offer.total)}</dd>
          <dt>{t("rfqOffer.offer.leadTime")}</dt>
          <dd>{t("rfqOffer.offer.leadTimeDays", { days: offer.leadTimeDays })}</dd>
          <dt>{t("rfqOffer.offer.validUntil")}</dt>
          <dd>{formatDate(offer.validUntil)}</dd>
          <dt>{t("rfqOffer.offer.updatedAt")}</dt>
          <dd>{formatDateTime(offer.updatedAt)}</dd>
          <dt>{t("negotiation.link.seller")}</dt>
          <dd>
            <Link to={`/rfqs/${view.rfq.id}/negotiation`}>{t("negotiation.link.sellerHint")}</Link>
          </dd>
          {offer.notes ? (
            <>
              <dt>{t("rfqOffer.offer.notes")}</dt>
              <dd className="prewrap">{offer.notes}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p className="empty-state">{t("rfqOffer.offer.none")}</p>
      )}
    </Card>
  );
}

const OFFER_FIELDS = ["lines", "currency", "leadTimeDays", "validUntil", "notes"] as const;

/** The day a new offer's validity starts from: 30 days after the deadline. */
function defaultValidity(deadline: string): string {
  return new Date(Date.parse(deadline) + 30 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The offer form: a price and a quantity per RFQ line, prefilled from the current offer (or what
 * was typed, after a refusal), the terms, and the submit (or revise) button; with a withdraw link
 * that asks for confirmation on a page of its own (no JavaScript needed, no stray click withdraws).
 */
function OfferForm({ view, failure }: { view: SellerRfqView; failure: FormFailure | null }) {
  const { t, formatDateTime } = useI18n();
  const formKey = useFailureKey(failure);
  const idBase = useId();
  const offer = view.offer;
  const revising = view.moves.revise;
  const own = new Map((offer?.lines ?? []).map((l) => [l.lineId, l]));
  const linesError = errorsOf(failure, "lines");
  const fieldError = (name: string) => errorsOf(failure, name);
  const firstError = failure ? Object.keys(failure.fieldErrors)[0] : undefined;
  return (
    <Card title={revising ? t("rfqOffer.form.reviseTitle") : t("rfqOffer.form.submitTitle")} id="offer">
      {offer ? (
        <p>
          <StatusBadge prefix="offer.status" status={offer.status} /> {t("rfqOffer.offer.revision")} {offer.revision}
        </p>
      ) : null}
      <p className="muted">{t("rfqOffer.form.intro")}</p>
      <SellerRfqFormAlert failure={failure} fields={OFFER_FIELDS} />
      <Form key={formKey} method="post" className="form" noValidate preventScrollReset>
        <input type="hidden" name="currency" value={view.rfq.currency} />
        {linesError ? (
          <p className="field-error" id={`${idBase}-lines-error`}>
            {linesError.join(" ")}
          </p>
        ) : null}
        <DataTable caption={t("rfqOffer.form.caption")} columns={[t("rfqOffer.lines.position"), t("rfqOffer.lines.description"), t("rfqOffer.lines.quantity"), t("rfqOffer.form.unitPrice", { currency: view.rfq.currency }), t("rfqOffer.lines.yourQuantity")]}>
          {view.lines.map((line, i) => {
            const current = own.get(line.id);
            const priceName = `lines.${i}.unitPrice`;
            const quantityName = `lines.${i}.quantity`;
            const priceErrors = [...(fieldError(priceName) ?? []), ...(fieldError(`lines.${i}.lineId`) ?? [])];
            const quantityErrors = fieldError(quantityName);
            const priceId = `${idBase}-price-${i}`;
            const quantityId = `${idBase}-quantity-${i}`;
            return (
              <tr key={line.id}>
                <td>{line.position + 1}</td>
                <th scope="row" className="cell-name">
                  {line.description}
                </th>
                <td className="cell-nowrap">
                  {line.quantity} {line.unit}
                </td>
                <td>
                  <input type="hidden" name={`lines.${i}.lineId`} value={line.id} />
                  <label htmlFor={priceId} className="visually-hidden">
                    {t("rfqOffer.form.unitPriceFor", { position: line.position + 1, currency: view.rfq.currency })}
                  </label>
                  <input
                    id={priceId}
                    name={priceName}
                    className="input input--compact"
                    inputMode="decimal"
                    autoComplete="off"
                    defaultValue={valueOf(failure, priceName) ?? (current ? sellerRfqDecimal(current.unitPrice) : "")}
                    aria-invalid={priceErrors.length > 0 || undefined}
                    aria-describedby={priceErrors.length > 0 ? `${priceId}-error` : undefined}
                    autoFocus={firstError === priceName}
                  />
                  {priceErrors.length > 0 ? (
                    <p className="field-error" id={`${priceId}-error`}>
                      {priceErrors.join(" ")}
                    </p>
                  ) : null}
                </td>
                <td>
                  <label htmlFor={quantityId} className="visually-hidden">
                    {t("rfqOffer.form.quantityFor", { position: line.position + 1 })}
                  </label>
                  <input
                    id={quantityId}
                    name={quantityName}
                    className="input input--compact"
                    inputMode="numeric"
                    autoComplete="off"
                    placeholder={String(line.quantity)}
                    defaultValue={valueOf(failure, quantityName) ?? (current ? String(current.quantity) : "")}
                    aria-invalid={quantityErrors ? true : undefined}
                    aria-describedby={quantityErrors ? `${quantityId}-error` : undefined}
                    autoFocus={firstError === quantityName}
                  />
                  {quantityErrors ? (
                    <p className="field-error" id={`${quantityId}-error`}>
                      {quantityErrors.join(" ")}
                    </p>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </DataTable>
        <div className="form-grid">
          <TextField
            name="leadTimeDays"
            label={t("rfqOffer.form.leadTimeDays")}
            required
            defaultValue={valueOf(failure, "leadTimeDays") ?? (offer ? String(offer.leadTimeDays) : "")}
            errors={fieldError("leadTimeDays")}
            autoFocus={firstError === "leadTimeDays"}
          />
          <TextField
            name="validUntil"
            type="date"
            label={t("rfqOffer.form.validUntil")}
            hint={t("rfqOffer.form.validUntilHint", { deadline: formatDateTime(view.rfq.deadline) })}
            required
            defaultValue={valueOf(failure, "validUntil") ?? (offer ? offer.validUntil.slice(0, 10) : defaultValidity(view.rfq.deadline))}
            errors={fieldError("validUntil")}
            autoFocus={firstError === "validUntil"}
          />
        </div>
        <TextAreaField name="notes" label={t("rfqOffer.form.notes")} rows={3} maxLength={2000} defaultValue={valueOf(failure, "notes") ?? offer?.notes ?? ""} errors={fieldError("notes")} autoFocus={firstError === "notes"} />
        {fieldError("currency") ? <p className="field-error">{fieldError("currency")?.join(" ")}</p> : null}
        <p className="muted">{t("rfqOffer.form.receiptNote")}</p>
        <div className="button-row">
          <SubmitButton name="intent" value={SELLER_RFQ_INTENT.save}>
            {revising ? t("rfqOffer.form.revise") : t("rfqOffer.form.submit")}
          </SubmitButton>
          {view.moves.withdraw ? (
            <Link to={`?confirm=withdraw#withdraw`} className={buttonClass("danger")} preventScrollReset>
              {t("rfqOffer.withdraw.button")}
            </Link>
          ) : null}
        </div>
      </Form>
    </Card>
  );
}

function WithdrawConfirm({ view, failure }: { view: SellerRfqView; failure: FormFailure | null }) {
  const { t } = useI18n();
  return (
    <section className="card confirm-card" id="withdraw" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">{t("rfqOffer.withdraw.title")}</h2>
      <SellerRfqFormAlert failure={failure} fields={[]} />
      <p>{t("rfqOffer.withdraw.text")}</p>
      <Form method="post" className="button-row">
        <SubmitButton variant="danger" name="intent" value={SELLER_RFQ_INTENT.withdraw}>
          {t("rfqOffer.withdraw.confirm")}
        </SubmitButton>
        <Link to={`/rfqs/${view.rfq.id}#offer`} className={buttonClass("secondary")}>
          {t("rfqOffer.withdraw.cancel")}
        </Link>
      </Form>
    </section>
  );
}

function Questions({ view, failure }: { view: SellerRfqView; failure: FormFailure | null }) {
  const { t, formatDateTime } = useI18n();
  const formKey = useFailureKey(failure);
  return (
    <Card title={t("rfqOffer.questions.title")} id="questions">
      <p className="muted">{t("rfqOffer.questions.intro")}</p>
      {view.questions.length === 0 ? (
        <p className="empty-state">{t("rfqOffer.questions.none")}</p>
      ) : (
        <ul className="plain-list rfq-questions">
          {view.questions.map((q) => (
            <li key={q.id} className="rfq-question">
              <p className="rfq-question-meta">{q.mine ? t("rfqOffer.questions.yours", { date: formatDateTime(q.askedAt) }) : t("rfqOffer.questions.other", { date: formatDateTime(q.askedAt) })}</p>
              <p className="prewrap">{q.question}</p>
              {q.answer ? (
                <div className="rfq-answer">
                  <p className="rfq-question-meta">{q.answerVisibility === "private" ? t("rfqOffer.questions.private") : t("rfqOffer.questions.public")}</p>
                  <p className="prewrap">{q.answer}</p>
                </div>
              ) : (
                <p className="muted">{t("rfqOffer.questions.waiting")}</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {view.moves.ask ? (
        <Form key={formKey} method="post" className="form rfq-answer-form" noValidate preventScrollReset>
          <SellerRfqFormAlert failure={failure} fields={["question"]} />
          <TextAreaField
            name="question"
            label={t("rfqOffer.questions.ask")}
            hint={t("rfqOffer.questions.askHint")}
            rows={3}
            maxLength={2000}
            required
            defaultValue={valueOf(failure, "question")}
            errors={errorsOf(failure, "question")}
            autoFocus={Boolean(errorsOf(failure, "question"))}
          />
          <div className="button-row">
            <SubmitButton name="intent" value={SELLER_RFQ_INTENT.ask} variant="secondary">
              {t("rfqOffer.questions.submit")}
            </SubmitButton>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}

function Receipts({ view }: { view: SellerRfqView }) {
  const { t, tPlural, formatDate, formatDateTime } = useI18n();
  const formatMoney = useSellerRfqMoney();
  // Sequences come only once the RFQ is no longer open.
  const numbered = view.receipts.some((r) => r.sequence !== undefined);
  return (
    <Card title={t("rfqOffer.receipts.title")} id="receipts">
      <p className="muted">{t("rfqOffer.receipts.intro")}</p>
      {view.receipts.length === 0 ? (
        <p className="empty-state">{t("rfqOffer.receipts.none")}</p>
      ) : (
        <>
          <DataTable
            caption={t("rfqOffer.receipts.caption")}
            columns={[
              ...(numbered ? [t("rfqOffer.receipts.number")] : []),
              t("rfqOffer.receipt.action"),
              t("rfqOffer.receipt.recordedAt"),
              t("rfqOffer.receipts.details"),
              t("rfqOffer.receipt.hash"),
            ]}
          >
            {view.receipts.map((r) => (
              <tr key={r.hash}>
                {numbered ? <td>{r.sequence}</td> : null}
                <td>
                  <ReceiptKind receipt={r} />
                  <span className="cell-sub">
                    {t("rfqOffer.offer.revision")} {r.revision}
                  </span>
                </td>
                <td className="cell-nowrap">{formatDateTime(r.recordedAt)}</td>
                <td>{tPlural("rfqOffer.receipts.lines", r.lines.length, { total: formatMoney(r.total), days: r.leadTimeDays, date: r.validUntil ? formatDate(r.validUntil) : "—" })}</td>
                <td>
                  <Hash value={r.hash} />
                </td>
              </tr>
            ))}
          </DataTable>
          <p>
            {/* A resource route: a plain link, so that the browser downloads the file. */}
            <a href={`/rfqs/${view.rfq.id}/receipts.json`} className={buttonClass("secondary")} download>
              {t("rfqOffer.receipts.download")}
            </a>
          </p>
        </>
      )}
    </Card>
  );
}

function Chain({ chain }: { chain: NonNullable<SellerRfqView["chain"]> }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Card title={t("rfqOffer.chain.title")} id="chain">
      {chain.verifiedAt ? (
        <>
          <p>{t("rfqOffer.chain.verified", { date: formatDateTime(chain.verifiedAt), length: chain.length })}</p>
          {chain.head ? (
            <p>
              <Hash value={chain.head} />
            </p>
          ) : null}
        </>
      ) : (
        <Alert tone="warning">{t("rfqOffer.chain.broken")}</Alert>
      )}
    </Card>
  );
}

function Outcome({ outcome }: { outcome: NonNullable<SellerRfqView["outcome"]> }) {
  const { t } = useI18n();
  const formatMoney = useSellerRfqMoney();
  if (outcome.result === "lost") return <Alert tone="info" title={t("rfqOffer.outcome.title")}>{t("rfqOffer.outcome.lost")}</Alert>;
  return (
    <Alert tone="success" title={t("rfqOffer.outcome.won")}>
      <ul className="plain-list">
        {outcome.orders.map((o) => (
          <li key={o.id}>
            <Link to={`/orders/${o.id}`}>{t("rfqOffer.outcome.order", { number: o.number, total: formatMoney(o.total) })}</Link>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

export interface SellerRfqPageProps {
  /** The loader's view (getSellerRfq). */
  view: SellerRfqView;
  /** The live stream of the view while the RFQ is open (`/rfqs/:id/events`), else null. */
  eventsUrl: string | null;
  /** The receipt to show on top: the one of the action just made (`?receipt=<sequence>`). */
  /** The revision whose newest receipt to show (the action just made). */
  receiptRevision: number | null;
  /** `?confirm=withdraw`: the confirmation of a withdrawal. */
  confirmWithdraw: boolean;
  fileRules: SellerOfferFileRules;
  /** The action's answer (a refused form). */
  result: unknown;
}

/**
 * One RFQ from the seller's side: the request (facts, lines, the buyer's documents), questions and
 * answers, the seller's offer form (submit, revise, withdraw with confirmation), its files, every
 * receipt of its own, its rank per line on an open RFQ, the countdown, and once it is over the
 * chain's head and the outcome. With JavaScript the view follows the live stream; without, it is
 * the page as rendered.
 */
export function SellerRfqPage({ view: initial, eventsUrl, receiptRevision, confirmWithdraw, fileRules, result }: SellerRfqPageProps) {
  const { t, formatDateTime } = useI18n();
  const { view, live } = useLiveView(eventsUrl, initial);
  const { rfq, moves } = view;
  const offerFailure = sellerFailureOf(result, [SELLER_RFQ_INTENT.save]);
  const withdrawFailure = sellerFailureOf(result, [SELLER_RFQ_INTENT.withdraw]);
  const questionFailure = sellerFailureOf(result, [SELLER_RFQ_INTENT.ask]);
  // Receipts come newest first: a withdrawal shares its revision with the submission it withdrew, and is the later one.
  const receipt = receiptRevision === null ? null : (view.receipts.find((r) => r.revision === receiptRevision) ?? null);
  const due = rfq.status === "open" && Date.parse(rfq.deadline) <= Date.parse(view.serverNow);
  const canEdit = moves.submit || moves.revise;
  // A best-and-final round takes revisions only (no question): read-only is a member that may do neither.
  const readOnly = rfq.status === "open" && !due && !moves.ask && !moves.revise;
  return (
    <div className="stack rfq-seller-page">
      <SellerBackLink to="/rfqs">{t("rfqOffer.back")}</SellerBackLink>
      <PageHeader
        title={rfq.title}
        description={`${t("rfqOffer.from", { buyer: rfq.buyerName })} · ${rfq.reference}`}
        actions={
          <span className="rfq-seller-header-status">
            <StatusBadge prefix="rfq.status" status={rfq.status} /> <LiveIndicator live={live} />
          </span>
        }
      />
      {rfq.status === "cancelled" ? <Alert tone="warning">{t("rfqOffer.cancelled", { reason: rfq.cancelReason ?? "" })}</Alert> : null}
      {rfq.closedAt && (rfq.status === "closed" || rfq.status === "awarded") ? <Alert tone="info">{t("rfqOffer.closed", { date: formatDateTime(rfq.closedAt) })}</Alert> : null}
      {view.finalRound && rfq.status === "open" && !due ? (
        <Alert tone="info">{t("rfqOffer.finalRound", { deadline: formatDateTime(rfq.deadline), firstDeadline: formatDateTime(view.finalRound.firstDeadline) })}</Alert>
      ) : null}
      {due ? <Alert tone="warning">{t("rfqOffer.dueNotClosed")}</Alert> : null}
      {readOnly ? <Alert tone="info">{t("rfqOffer.readOnly")}</Alert> : null}
      {view.outcome ? <Outcome outcome={view.outcome} /> : null}
      {receipt ? <ReceiptCard receipt={receipt} /> : null}
      {confirmWithdraw && moves.withdraw ? <WithdrawConfirm view={view} failure={withdrawFailure} /> : null}
      {withdrawFailure && !(confirmWithdraw && moves.withdraw) ? <SellerRfqFormAlert failure={withdrawFailure} fields={[]} /> : null}
      <Facts view={view} />
      <Lines view={view} />
      {canEdit ? <OfferForm view={view} failure={offerFailure} /> : <OfferSummary view={view} />}
      {view.offer ? <SellerOfferFiles view={view} rules={fileRules} failure={null} /> : null}
      <Card title={t("rfqOffer.attachments.title")} id="documents">
        {view.attachments.length === 0 ? (
          <p className="empty-state">{t("rfqOffer.attachments.none")}</p>
        ) : (
          <SellerRfqFileList files={view.attachments} hrefOf={(file) => `/rfqs/${rfq.id}/attachments/${file.id}`} />
        )}
      </Card>
      <Questions view={view} failure={questionFailure} />
      <Receipts view={view} />
      {view.chain ? <Chain chain={view.chain} /> : null}
    </div>
  );
}
