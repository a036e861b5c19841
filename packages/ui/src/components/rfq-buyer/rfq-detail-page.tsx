import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isMessageKey } from "../../i18n/i18n";
import type { FormFailure } from "../../types";
import { Alert, Badge } from "../alert";
import { buttonClass, errorsOf, SubmitButton, useFailureKey } from "../form";
import { Card } from "../layout";
import { Countdown, LiveIndicator, useLiveView } from "../live";
import { OfferLineBids, RfqInvitedCard, RfqLinesCard, RfqPageHeader, RfqRequestCard } from "../rfq-common/rfq-sections";
import { DataTable } from "../table";
import { BUYER_RFQ_INTENT, FailureAlert, fileSize, rfqFailureOf, RfqStatusBadge, useDeadlineText, useRfqMoney } from "./common";
import type { BuyerRfqAwardView, BuyerRfqDetailView } from "./views";

const AWARD_TONE: Record<string, "warning" | "success" | "danger"> = { pending_approval: "warning", approved: "success", rejected: "danger" };

function AwardStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `rfqBuyer.award.status.${status}`;
  return <Badge tone={AWARD_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

/** The board at the top: where the RFQ stands, the time left and the offers received, live while it is open. */
function Board({ rfq, live, failure }: { rfq: BuyerRfqDetailView; live: boolean; failure: FormFailure | null }) {
  const { t, tPlural, formatDateTime } = useI18n();
  const deadlineText = useDeadlineText();
  const cancelKey = useFailureKey(failure?.values.intent === BUYER_RFQ_INTENT.cancel ? failure : null);
  const cancelErrors = failure?.values.intent === BUYER_RFQ_INTENT.cancel ? errorsOf(failure, "reason") : undefined;
  return (
    <Card title={t("rfqBuyer.board.title")} className="rfq-board" id="board">
      <FailureAlert failure={failure} />
      <div className="rfq-board-grid">
        <div>
          <p className="rfq-board-label">{t("rfqBuyer.board.status")}</p>
          <p className="rfq-board-value">
            <RfqStatusBadge status={rfq.status} /> <LiveIndicator live={live} />
          </p>
          <p className="cell-sub">{t(`rfqBuyer.board.statusHelp.${rfq.status}` as "rfqBuyer.board.statusHelp.draft")}</p>
        </div>
        <div>
          <p className="rfq-board-label">{t("rfqBuyer.board.deadline")}</p>
          <p className="rfq-board-value">{(rfq.status === "open" || rfq.status === "final_round") && rfq.deadline ? <Countdown deadline={rfq.deadline} serverNow={rfq.serverNow} /> : deadlineText(rfq.deadline)}</p>
          {rfq.status === "open" || rfq.status === "final_round" ? <p className="cell-sub">{deadlineText(rfq.deadline)}</p> : null}
          {rfq.antiSniping ? (
            <p className="cell-sub">
              {t("rfqBuyer.board.antiSniping", { minutes: rfq.antiSniping.minutes, used: rfq.antiSniping.extensionsUsed, max: rfq.antiSniping.maxExtensions })}
            </p>
          ) : null}
        </div>
        <div aria-live="polite">
          <p className="rfq-board-label">{t("rfqBuyer.board.offers")}</p>
          <p className="rfq-board-value rfq-board-count">{rfq.status === "draft" ? "—" : rfq.offerCount}</p>
          <p className="cell-sub">
            {rfq.status === "draft" ? t("rfqBuyer.board.offersDraft") : rfq.offersVisible ? tPlural("rfqBuyer.board.offersShown", rfq.offerCount) : tPlural("rfqBuyer.board.offersSealed", rfq.offerCount)}
          </p>
        </div>
      </div>
      {rfq.status === "cancelled" && rfq.cancelReason ? (
        <figure className="quote">
          <figcaption className="quote-label">{t("rfqBuyer.board.cancelReason")}</figcaption>
          <blockquote className="quote-text">{rfq.cancelReason}</blockquote>
        </figure>
      ) : null}
      {rfq.closedAt ? <p className="muted">{t("rfqBuyer.board.closedAt", { at: formatDateTime(rfq.closedAt) })}</p> : null}
      <div className="button-row">
        {rfq.can.publish ? (
          <Form method="post" preventScrollReset>
            <SubmitButton name="intent" value={BUYER_RFQ_INTENT.publish}>
              {t("rfqBuyer.action.publish")}
            </SubmitButton>
          </Form>
        ) : null}
        {rfq.can.edit ? (
          <Link to={`/rfqs/${rfq.id}/edit`} className={buttonClass("secondary")}>
            {t("rfqBuyer.action.edit")}
          </Link>
        ) : null}
        {rfq.can.compare ? (
          <Link to={`/rfqs/${rfq.id}/compare`} className={buttonClass(rfq.can.award ? "primary" : "secondary")}>
            {rfq.can.award ? t("rfqBuyer.action.compareAndAward") : t("rfqBuyer.action.compare")}
          </Link>
        ) : null}
        {rfq.can.finalRound ? (
          <Link to={`/rfqs/${rfq.id}/final-round`} className={buttonClass("secondary")}>
            {t("rfqBuyer.finalRound.open")}
          </Link>
        ) : null}
      </div>
      {rfq.can.cancel ? (
        // A disclosure: the reason is asked first, so a single stray click never cancels (and it needs no script).
        <details className="rfq-cancel" open={Boolean(cancelErrors)}>
          <summary className={buttonClass("ghost", "button--danger-text")}>{t("rfqBuyer.action.cancel")}</summary>
          <Form key={cancelKey} method="post" className="form form--narrow" preventScrollReset>
            <p>{rfq.status === "open" ? t("rfqBuyer.cancel.explainOpen") : t("rfqBuyer.cancel.explainDraft")}</p>
            <div className={`field${cancelErrors ? " field--invalid" : ""}`}>
              <label htmlFor="rfq-cancel-reason" className="field-label">
                {t("rfqBuyer.cancel.reason")}
              </label>
              <textarea
                id="rfq-cancel-reason"
                name="reason"
                rows={3}
                maxLength={2000}
                className="input textarea"
                defaultValue={failure?.values.intent === BUYER_RFQ_INTENT.cancel ? (failure.values.reason ?? "") : ""}
                aria-invalid={cancelErrors ? true : undefined}
                aria-describedby={cancelErrors ? "rfq-cancel-reason-error" : undefined}
                autoFocus={Boolean(cancelErrors)}
              />
              {cancelErrors ? (
                <p className="field-error" id="rfq-cancel-reason-error">
                  {cancelErrors.join(" ")}
                </p>
              ) : null}
            </div>
            <div className="button-row">
              <SubmitButton name="intent" value={BUYER_RFQ_INTENT.cancel} variant="danger">
                {t("rfqBuyer.cancel.confirm")}
              </SubmitButton>
            </div>
          </Form>
        </details>
      ) : null}
    </Card>
  );
}

function AwardCard({ award, rfq }: { award: BuyerRfqAwardView; rfq: BuyerRfqDetailView }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useRfqMoney();
  const lineNumber = new Map(rfq.lines.map((l) => [l.id, l]));
  return (
    <Card title={t("rfqBuyer.award.title")} id="award">
      <p>
        <AwardStatusBadge status={award.status} /> <strong>{formatMoney(award.total)}</strong> <span className="muted">{t("rfqBuyer.award.created", { at: formatDateTime(award.createdAt) })}</span>
      </p>
      {award.note ? (
        <figure className="quote">
          <figcaption className="quote-label">{t("rfqBuyer.award.note")}</figcaption>
          <blockquote className="quote-text">{award.note}</blockquote>
        </figure>
      ) : null}
      {award.approval ? (
        <p className="muted">
          {award.approval.status === "pending"
            ? t("rfqBuyer.award.approvalPending", { role: t(`rfqBuyer.award.role.${award.approval.approverRole === "admin" ? "admin" : "approver"}`) })
            : award.approval.status === "approved"
              ? t("rfqBuyer.award.approvalApproved", { at: award.approval.decidedAt ? formatDateTime(award.approval.decidedAt) : "" })
              : t("rfqBuyer.award.approvalRejected", { at: award.approval.decidedAt ? formatDateTime(award.approval.decidedAt) : "" })}
        </p>
      ) : null}
      {award.approval?.comment ? (
        <figure className="quote">
          <figcaption className="quote-label">{t("rfqBuyer.award.approvalComment")}</figcaption>
          <blockquote className="quote-text">{award.approval.comment}</blockquote>
        </figure>
      ) : null}
      <DataTable caption={t("rfqBuyer.award.lines")} columns={[t("rfqBuyer.line.description"), t("rfqBuyer.award.seller"), t("rfqBuyer.line.quantity"), t("rfqBuyer.compare.unitPrice")]}>
        {award.lines.map((l) => {
          const line = lineNumber.get(l.lineId);
          return (
            <tr key={`${l.lineId}:${l.offerId}`}>
              <th scope="row">{line ? `${line.position + 1}. ${line.description}` : l.lineId}</th>
              <td>{l.sellerName}</td>
              <td>{line ? `${l.quantity} ${line.unit}` : l.quantity}</td>
              <td className="cell-nowrap">{formatMoney(l.unitPrice)}</td>
            </tr>
          );
        })}
      </DataTable>
      {award.orders.length > 0 ? (
        <>
          <h3 className="card-subtitle">{t("rfqBuyer.award.orders")}</h3>
          <ul className="plain-list">
            {award.orders.map((o) => (
              <li key={o.id}>
                <Link to={`/orders/${o.id}`}>{t("rfqBuyer.award.order", { number: o.number, seller: o.sellerName })}</Link> — {formatMoney(o.total)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Card>
  );
}

/** The best-and-final round once opened: its shortlist and deadlines (never anything of the offers while it runs sealed). */
function FinalRoundCard({ round, rfq }: { round: NonNullable<BuyerRfqDetailView["finalRound"]>; rfq: BuyerRfqDetailView }) {
  const { t, formatDateTime } = useI18n();
  const deadlineText = useDeadlineText();
  return (
    <Card title={t("rfqBuyer.finalRound.card")} id="final-round">
      <p>{t("rfqBuyer.finalRound.firstDeadline", { deadline: deadlineText(round.firstDeadline) })}</p>
      <p className="muted">{t("rfqBuyer.finalRound.openedAt", { at: formatDateTime(round.openedAt) })}</p>
      <h3 className="card-subtitle">{t("rfqBuyer.finalRound.sellers")}</h3>
      <ul className="plain-list">
        {round.sellers.map((s) => (
          <li key={s.id}>{s.name}</li>
        ))}
      </ul>
      <p className="field-hint">{rfq.status === "final_round" && rfq.sealing === "sealed" ? t("rfqBuyer.finalRound.sealedHelp") : t("rfqBuyer.finalRound.onlyShortlist")}</p>
    </Card>
  );
}

function OffersCard({ rfq }: { rfq: BuyerRfqDetailView }) {
  const { t, tPlural, formatDate, formatDateTime } = useI18n();
  const formatMoney = useRfqMoney();
  const offers = rfq.offers ?? [];
  return (
    <Card title={t("rfqBuyer.offers.title")} id="offers">
      {rfq.status === "open" ? <p className="muted">{t("rfqBuyer.offers.openBidding")}</p> : null}
      {offers.length === 0 ? (
        <p className="muted">{t("rfqBuyer.offers.none")}</p>
      ) : (
        <DataTable caption={t("rfqBuyer.offers.title")} columns={[t("rfqBuyer.offers.seller"), t("rfqBuyer.offers.total"), t("rfqBuyer.offers.lines"), t("rfqBuyer.offers.leadTime"), t("rfqBuyer.offers.validUntil"), t("rfqBuyer.offers.updated")]}>
          {offers.map((o) => (
            <tr key={o.id}>
              <th scope="row" className="cell-name">
                {o.seller.name}
                <span className="cell-sub">{t(`offer.status.${o.status}` as "offer.status.submitted")}</span>
                <span className="cell-sub">
                  <Link to={`/rfqs/${rfq.id}/offers/${o.id}`}>{t("negotiation.link.negotiate")}</Link>
                </span>
              </th>
              <td className="cell-nowrap">
                <strong>{formatMoney(o.total)}</strong>
              </td>
              <td>
                <OfferLineBids offer={o} lines={rfq.lines} />
              </td>
              <td className="cell-nowrap">{tPlural("rfq.days", o.leadTimeDays)}</td>
              <td className="cell-nowrap">{formatDate(o.validUntil)}</td>
              <td className="cell-nowrap">{formatDateTime(o.updatedAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

function QuestionsCard({ rfq, failure }: { rfq: BuyerRfqDetailView; failure: FormFailure | null }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Card title={t("rfqBuyer.questions.title")} id="questions">
      {/* An answer to a question that is not on this page (rfq.question_unknown): no form to show it beside. */}
      {failure && !rfq.questions.some((q) => q.id === failure.values.questionId) ? <FailureAlert failure={failure} /> : null}
      {rfq.questions.length === 0 ? (
        <p className="muted">{rfq.status === "draft" ? t("rfqBuyer.questions.draft") : t("rfqBuyer.questions.none")}</p>
      ) : (
        <ol className="plain-list rfq-questions">
          {rfq.questions.map((q) => {
            const mine = failure?.values.questionId === q.id ? failure : null;
            return (
              <li key={q.id} className="rfq-question" id={`question-${q.id}`}>
                <p className="rfq-question-meta">
                  {q.askedBy ? t("rfqBuyer.questions.askedBy", { seller: q.askedBy, at: formatDateTime(q.askedAt) }) : t("rfqBuyer.questions.askedSealed", { at: formatDateTime(q.askedAt) })}
                </p>
                <p className="prewrap">{q.question}</p>
                {q.answer !== null ? (
                  <div className="rfq-answer">
                    <p className="rfq-question-meta">
                      <Badge tone={q.answerVisibility === "public" ? "info" : "neutral"}>{q.answerVisibility === "public" ? t("rfqBuyer.questions.public") : t("rfqBuyer.questions.private")}</Badge>{" "}
                      {q.answeredAt ? t("rfqBuyer.questions.answeredAt", { at: formatDateTime(q.answeredAt) }) : null}
                    </p>
                    <p className="prewrap">{q.answer}</p>
                  </div>
                ) : rfq.can.answer ? (
                  <AnswerForm questionId={q.id} failure={mine} />
                ) : (
                  <p className="muted">{t("rfqBuyer.questions.unanswered")}</p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}

function AnswerForm({ questionId, failure }: { questionId: string; failure: FormFailure | null }) {
  const { t } = useI18n();
  const key = useFailureKey(failure);
  const id = `answer-${questionId}`;
  const answerErrors = errorsOf(failure, "answer");
  const visibilityErrors = errorsOf(failure, "visibility");
  const visibility = failure?.values.visibility ?? "public";
  return (
    <Form key={key} method="post" className="form rfq-answer-form" preventScrollReset>
      <input type="hidden" name="questionId" value={questionId} />
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      <div className={`field${answerErrors ? " field--invalid" : ""}`}>
        <label htmlFor={id} className="field-label">
          {t("rfqBuyer.questions.answer")}
        </label>
        <textarea
          id={id}
          name="answer"
          rows={3}
          maxLength={4000}
          className="input textarea"
          defaultValue={failure?.values.answer ?? ""}
          aria-invalid={answerErrors ? true : undefined}
          aria-describedby={answerErrors ? `${id}-error` : undefined}
          autoFocus={Boolean(answerErrors)}
        />
        {answerErrors ? (
          <p className="field-error" id={`${id}-error`}>
            {answerErrors.join(" ")}
          </p>
        ) : null}
      </div>
      <fieldset className={`form-section${visibilityErrors ? " field--invalid" : ""}`}>
        <legend className="field-label">{t("rfqBuyer.questions.visibility")}</legend>
        {visibilityErrors ? <p className="field-error">{visibilityErrors.join(" ")}</p> : null}
        <label className="checkbox">
          <input type="radio" name="visibility" value="public" defaultChecked={visibility !== "private"} />
          <span>
            {t("rfqBuyer.questions.public")}
            <span className="cell-sub">{t("rfqBuyer.questions.publicHelp")}</span>
          </span>
        </label>
        <label className="checkbox">
          <input type="radio" name="visibility" value="private" defaultChecked={visibility === "private"} />
          <span>
            {t("rfqBuyer.questions.private")}
            <span className="cell-sub">{t("rfqBuyer.questions.privateHelp")}</span>
          </span>
        </label>
      </fieldset>
      <div className="button-row">
        <SubmitButton name="intent" value={BUYER_RFQ_INTENT.answer} variant="secondary">
          {t("rfqBuyer.questions.submit")}
        </SubmitButton>
      </div>
    </Form>
  );
}

/**
 * One of the buyer's RFQs: the live board (status, time left, offers received; with JavaScript it
 * follows /rfqs/:id/events and updates without reload), the award, the offers when the rules show
 * them, the request itself, its files, the invited sellers and the questions with their answer
 * forms. Every form works without JavaScript.
 */
export function BuyerRfqPage({ rfq: loaded, result }: { rfq: BuyerRfqDetailView; result: unknown }) {
  const { t } = useI18n();
  const follow = loaded.status === "open" || loaded.status === "closed" || loaded.status === "final_round";
  const { view: rfq, live } = useLiveView<BuyerRfqDetailView>(follow ? `/rfqs/${loaded.id}/events` : null, loaded);
  const translator = useI18n();
  const boardFailure = rfqFailureOf(result, [BUYER_RFQ_INTENT.publish, BUYER_RFQ_INTENT.cancel]);
  const answerFailure = rfqFailureOf(result, [BUYER_RFQ_INTENT.answer]);
  return (
    <div className="stack">
      <RfqPageHeader rfq={rfq} back={t("rfqBuyer.detail.back")} />
      <Board rfq={rfq} live={live} failure={boardFailure} />
      {rfq.award ? <AwardCard award={rfq.award} rfq={rfq} /> : null}
      {rfq.finalRound ? <FinalRoundCard round={rfq.finalRound} rfq={rfq} /> : null}
      {rfq.offersVisible && rfq.status !== "draft" ? <OffersCard rfq={rfq} /> : null}
      {rfq.receipts ? (
        <Card title={t("rfqBuyer.receipts.title")} id="receipts">
          <p>{rfq.receipts.verifiedAt ? t("rfqBuyer.receipts.verified", { count: rfq.receipts.chainLength }) : t("rfqBuyer.receipts.unverified", { count: rfq.receipts.chainLength })}</p>
          {rfq.receipts.chainHead ? (
            <p>
              {t("rfqBuyer.receipts.head")} <code className="mono rfq-hash">{rfq.receipts.chainHead}</code>
            </p>
          ) : null}
          <p className="field-hint">{t("rfqBuyer.receipts.help")}</p>
        </Card>
      ) : null}
      <RfqRequestCard
        rfq={rfq}
        biddingNote={<span className="cell-sub">{rfq.sealing === "sealed" ? t("rfq.sealing.sealedHelp") : t("rfq.sealing.openHelp")}</span>}
        last={
          rfq.sourceListing ? (
            <>
              <dt>{t("rfqBuyer.detail.fromListing")}</dt>
              <dd>
                <Link to={`/catalogue/${rfq.sourceListing.id}`}>{rfq.sourceListing.title}</Link>
              </dd>
            </>
          ) : null
        }
      />
      <RfqLinesCard
        lines={rfq.lines}
        note={(line) =>
          line.listing ? (
            <span className="cell-sub">
              <Link to={`/catalogue/${line.listing.id}`}>{line.listing.title}</Link>
            </span>
          ) : null
        }
      />
      <Card title={t("rfqBuyer.attachments.title")} id="attachments">
        {rfq.attachments.length === 0 ? (
          <p className="muted">{t("rfqBuyer.attachments.none")}</p>
        ) : (
          <ul className="plain-list">
            {rfq.attachments.map((a) => (
              <li key={a.id}>
                <a href={`/rfqs/${rfq.id}/attachments/${a.id}`} className="document-link" download>
                  {a.originalName}
                </a>{" "}
                <span className="muted">({fileSize(a.sizeBytes, translator)})</span>
              </li>
            ))}
          </ul>
        )}
        {rfq.can.manageAttachments ? (
          <p>
            <Link to={`/rfqs/${rfq.id}/attachments`} className={buttonClass("secondary", "button--compact")}>
              {t("rfqBuyer.attachments.manage")}
            </Link>
          </p>
        ) : null}
      </Card>
      <RfqInvitedCard rfq={rfq} />
      <QuestionsCard rfq={rfq} failure={answerFailure} />
    </div>
  );
}
