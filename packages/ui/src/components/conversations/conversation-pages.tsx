import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isFormFailure, type FormFailure } from "../../types";
import { Alert, Badge } from "../alert";
import { errorsOf, SubmitButton, TextAreaField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { DataTable } from "../table";
import {
  CONVERSATION_FILE_ACCEPT,
  CONVERSATION_INTENT,
  subjectHref,
  type ConversationListView,
  type ConversationMessageView,
  type ConversationSideView,
  type ConversationStartView,
  type ConversationSubjectView,
  type ConversationThreadView,
} from "./views";

function failureOf(result: unknown, intent: string): FormFailure | null {
  return isFormFailure(result) && (result.values.intent ?? CONVERSATION_INTENT.send) === intent ? result : null;
}

function fileSize(bytes: number, locale: string): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return bytes < 1024 * 1024 ? `${number.format(Math.max(1, Math.ceil(bytes / 1024)))} KB` : `${number.format(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`;
}

export function SubjectLabel({ subject }: { subject: ConversationSubjectView }) {
  const { t } = useI18n();
  return (
    <>
      <span className="muted">{t(`conversations.kind.${subject.kind}`)}</span> {subject.label}
    </>
  );
}

/** The messages of a thread, oldest first; files link to `fileHref`. */
export function ConversationMessages({ messages, viewerSide, fileHref }: { messages: readonly ConversationMessageView[]; viewerSide: ConversationSideView | null; fileHref: (attachmentId: string) => string }) {
  const { t, formatDateTime, locale } = useI18n();
  if (messages.length === 0) return <p className="muted">{t("conversations.thread.empty")}</p>;
  return (
    <ol className="stack conversation-messages" aria-label={t("conversations.title")}>
      {messages.map((m) => (
        <li key={m.id} className={`card conversation-message conversation-message--${m.side}${viewerSide === m.side ? " conversation-message--own" : ""}`}>
          <p className="muted">
            <strong>{t("conversations.thread.you", { name: m.authorName ?? t("conversations.thread.deletedUser"), side: t(`conversations.thread.side.${m.side}`) })}</strong> · <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt)}</time>
          </p>
          <p className="prewrap">
            {m.body}
          </p>
          {m.attachments.length > 0 ? (
            <ul aria-label={t("conversations.thread.attachments")}>
              {m.attachments.map((a) => (
                <li key={a.id}>
                  <a href={fileHref(a.id)} className="document-link" download>
                    {a.name}
                  </a>{" "}
                  <span className="muted">({fileSize(a.sizeBytes, locale)})</span>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** The message form: a text and an optional file (multipart), without JavaScript. Hidden fields ride along (the subject of a new thread). */
function ComposeForm({ failure, hidden = {} }: { failure: FormFailure | null; hidden?: Record<string, string> }) {
  const { t } = useI18n();
  const key = useFailureKey(failure);
  const fileErrors = errorsOf(failure, "file");
  return (
    <Form key={key} method="post" encType="multipart/form-data" className="form" preventScrollReset>
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <TextAreaField name="body" label={t("conversations.compose.body")} required rows={5} maxLength={5000} errors={errorsOf(failure, "body")} defaultValue={valueOf(failure, "body")} />
      <div className={`field${fileErrors ? " field--invalid" : ""}`}>
        <label htmlFor="conversation-file" className="field-label">
          {t("conversations.compose.file")}
        </label>
        <input id="conversation-file" type="file" name="file" accept={CONVERSATION_FILE_ACCEPT} className="input file-input" aria-invalid={fileErrors ? true : undefined} aria-describedby="conversation-file-hint" />
        <p className="field-hint" id="conversation-file-hint">
          {t("conversations.compose.fileHint")}
        </p>
        {fileErrors ? <p className="field-error">{fileErrors.join(" ")}</p> : null}
      </div>
      <SubmitButton name="intent" value={CONVERSATION_INTENT.send}>
        {t("conversations.compose.send")}
      </SubmitButton>
    </Form>
  );
}

/** The "Messages" page of the buyer and seller apps: the organisation's threads, unread first in the eye. */
export function ConversationsListPage({ list }: { list: ConversationListView }) {
  const { t, tPlural, formatDateTime } = useI18n();
  return (
    <div className="stack">
      <PageHeader title={t("conversations.title")} description={t("conversations.intro")} />
      <Card>
        {list.items.length === 0 ? (
          <p>{t("conversations.none")}</p>
        ) : (
          <DataTable caption={t("conversations.title")} columns={[t("conversations.subject"), t("conversations.counterparty"), t("conversations.lastMessage"), t("conversations.unread")]}>
            {list.items.map((c) => (
              <tr key={c.id}>
                <th scope="row" className="cell-name">
                  <Link to={`/messages/${c.id}`}>
                    <SubjectLabel subject={c.subject} />
                  </Link>
                </th>
                <td>{c.counterparty.name}</td>
                <td className="cell-nowrap">{formatDateTime(c.lastMessageAt)}</td>
                <td>{c.unread > 0 ? <Badge tone="info">{tPlural("conversations.unreadCount", c.unread, { count: c.unread })}</Badge> : null}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={list.page} pageSize={list.pageSize} total={list.total} label={t("conversations.pagination")} />
      </Card>
    </div>
  );
}

/** One thread in the buyer or seller app: its messages, the message form, and the report form. */
export function ConversationPage({ app, conversation, result }: { app: "buyer" | "seller"; conversation: ConversationThreadView; result: unknown }) {
  const { t } = useI18n();
  const counterparty = conversation.side === "buyer" ? conversation.seller : conversation.buyer;
  const href = subjectHref(app, conversation.subject);
  const sendFailure = failureOf(result, CONVERSATION_INTENT.send);
  const reportFailure = failureOf(result, CONVERSATION_INTENT.report);
  const reportKey = useFailureKey(reportFailure);
  const kind = t(`conversations.kind.${conversation.subject.kind}`);
  return (
    <div className="stack">
      <p>
        <Link to="/messages">← {t("conversations.thread.back")}</Link>
      </p>
      <PageHeader
        title={t("conversations.thread.title", { name: counterparty.name })}
        description={t("conversations.thread.about", { kind, label: conversation.subject.label })}
        actions={href ? <Link to={href}>{t("conversations.thread.openSubject", { kind })}</Link> : null}
      />
      <Card>
        {conversation.messages.length >= 200 ? <p className="muted">{t("conversations.thread.onlyRecent")}</p> : null}
        <ConversationMessages messages={conversation.messages} viewerSide={conversation.side} fileHref={(id) => `/messages/${conversation.id}/attachments/${id}`} />
      </Card>
      <Card title={t("conversations.compose.title")}>{conversation.canWrite ? <ComposeForm failure={sendFailure} /> : <Alert tone="info">{t("conversations.thread.readOnly")}</Alert>}</Card>
      {conversation.canWrite ? (
        <Card title={t("conversations.report.title")}>
          {conversation.reported ? <Alert tone="info">{t("conversations.report.done")}</Alert> : null}
          <p className="muted">{t("conversations.report.intro")}</p>
          <Form key={reportKey} method="post" className="form" preventScrollReset>
            {reportFailure?.formError ? <Alert tone="error">{reportFailure.formError}</Alert> : null}
            <TextAreaField name="reason" label={t("conversations.report.reason")} required rows={3} maxLength={2000} errors={errorsOf(reportFailure, "reason")} defaultValue={valueOf(reportFailure, "reason")} />
            <SubmitButton variant="secondary" name="intent" value={CONVERSATION_INTENT.report}>
              {t("conversations.report.submit")}
            </SubmitButton>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}

/** The first message of a thread about a listing, an RFQ or an order. */
export function NewConversationPage({ start, result }: { start: ConversationStartView; result: unknown }) {
  const { t } = useI18n();
  const kind = t(`conversations.kind.${start.subject.kind}`);
  const hidden: Record<string, string> = { subjectKind: start.subject.kind, subjectId: start.subject.id };
  if (start.subject.kind === "rfq") hidden.sellerId = start.subject.sellerId;
  return (
    <div className="stack">
      <p>
        <Link to="/messages">← {t("conversations.thread.back")}</Link>
      </p>
      <PageHeader title={t("conversations.new.title", { name: start.subject.counterpartyName })} description={t("conversations.new.about", { kind, label: start.subject.label })} />
      <Card>
        <p className="muted">{t("conversations.new.intro", { name: start.subject.counterpartyName })}</p>
        <ComposeForm failure={failureOf(result, CONVERSATION_INTENT.send)} hidden={hidden} />
      </Card>
    </div>
  );
}
