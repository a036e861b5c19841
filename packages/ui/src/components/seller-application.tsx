import { Form, Link } from "@remix-run/react";
import { COUNTRIES, companyNumberExample } from "@souk/domain";
import { useId, type ReactNode } from "react";
import { useI18n } from "../i18n/context";
import type { Locale, MessageKey, Translator } from "../i18n/i18n";
import { isMessageKey } from "../i18n/i18n";
import { isFormFailure, type DateLike, type FormFailure } from "../types";
import { Alert, type AlertTone } from "./alert";
import { FormErrorAlert } from "./auth-forms";
import { StatusBadge } from "./dashboard";
import { buttonClass, errorsOf, firstInvalid, SelectField, SubmitButton, TextAreaField, TextField, UploadForm, useFailureKey, valueOf } from "./form";
import { Card, PageHeader } from "./layout";
import { addressLines, categoryName, type ApplicationFields, type CategoryOption, type SellerApplicationFields, type SellerDocumentRow, type SellerHistoryRow } from "./seller-data";
import { DataTable } from "./table";

/*
 * The seller's application page and its parts: where the seller stands, the form, the documents,
 * the submission and the history. The data has the shape of @souk/services' getSellerApplication
 * (the shapes it shares with the operator's review are in ./seller-data).
 */

export interface SellerNotificationRow {
  id: string;
  subject: string;
  body: string;
  createdAt: DateLike;
}

export interface SellerApplicationData {
  organizationName: string;
  status: string;
  application: SellerApplicationFields;
  documents: readonly SellerDocumentRow[];
  history: readonly SellerHistoryRow[];
  openQuestion: string | null;
  statusReason: string | null;
  canEdit: boolean;
  canSubmit: boolean;
  notifications: readonly SellerNotificationRow[];
}

/** The document rules the page explains (DOCUMENT_LIMITS of @souk/services). */
export interface DocumentRules {
  maxBytes: number;
  maxPerApplication: number;
  /** The file input's `accept` attribute. */
  accept: string;
}

/** What each of the page's forms asks the action to do (the `intent` field). */
export const APPLICATION_INTENT = {
  save: "save",
  submit: "submit",
  upload: "upload",
  removeDocument: "remove-document",
} as const;
export type ApplicationIntent = (typeof APPLICATION_INTENT)[keyof typeof APPLICATION_INTENT];

/** The details form's id: the submit section, further down the page, posts it with its own buttons. */
export const APPLICATION_FORM_ID = "seller-application";

/** The order of the form's fields, for the focus after a failed submission. */
const FIELD_ORDER = ["legalName", "tradingName", "country", "companyNumber", "addressLine1", "addressLine2", "postalCode", "city", "contactName", "contactEmail", "contactPhone", "categoryIds", "description", "answer"] as const;

function isSubmitted(application: Pick<SellerApplicationFields, "submittedAt">): boolean {
  return application.submittedAt !== null;
}

// ---------------------------------------------------------------------------------------------
// Small building blocks

/** A message from the Souk team (a question, a reason), as written: line breaks kept, never HTML. */
function Quote({ label, children }: { label: string; children: string }) {
  return (
    <figure className="quote">
      <figcaption className="quote-label">{label}</figcaption>
      <blockquote className="quote-text">{children}</blockquote>
    </figure>
  );
}

function countryName(code: string, locale: Locale): string {
  const country = COUNTRIES.find((c) => c.code === code);
  if (!country) return code;
  return locale === "fr" ? country.nameFr : country.nameEn;
}

/** "840 KB", "2.4 MB" (KB and MB of 1024), in the reader's language. */
function formatFileSize(bytes: number, { t, locale }: Pick<Translator, "t" | "locale">): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024 * 1024) return t("document.sizeKb", { size: number.format(Math.max(1, Math.ceil(bytes / 1024))) });
  return t("document.sizeMb", { size: number.format(Math.round((bytes / (1024 * 1024)) * 10) / 10) });
}

const TYPE_LABELS: Record<string, string> = { "application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP" };

// ---------------------------------------------------------------------------------------------
// Where the seller stands

/** What the status panel needs to know; the dashboard passes the same data. */
type SellerStatusData = Pick<SellerApplicationData, "status" | "organizationName" | "canEdit" | "openQuestion" | "statusReason"> & {
  application: Pick<SellerApplicationFields, "submittedAt">;
};

/** What the seller is told in each state, with the Souk team's question or reason where there is one. */
function statusMessage({ status, organizationName, canEdit, openQuestion, statusReason, application }: SellerStatusData, t: Translator["t"]): {
  tone: AlertTone;
  title: string;
  paragraphs: string[];
  quote: { label: string; text: string } | null;
} {
  const organization = { organization: organizationName };
  const reason = statusReason ? { label: t("application.status.reason"), text: statusReason } : null;
  switch (status) {
    case "pending":
      return isSubmitted(application)
        ? { tone: "info", title: t("dashboard.seller.pendingTitle"), paragraphs: [t("dashboard.seller.pending", organization)], quote: null }
        : {
            tone: "info",
            title: t("application.status.draftTitle"),
            paragraphs: [canEdit ? t("application.status.draft") : t("application.status.draftReadOnly", organization), t("application.next.tradeNotice")],
            quote: null,
          };
    case "info_requested":
      return {
        tone: "warning",
        title: t("application.status.infoRequestedTitle"),
        paragraphs: [t("application.status.infoRequested")],
        quote: openQuestion ? { label: t("application.status.question"), text: openQuestion } : null,
      };
    case "active":
      return { tone: "success", title: t("dashboard.seller.activeTitle"), paragraphs: [t("dashboard.seller.active")], quote: null };
    case "rejected":
      return { tone: "error", title: t("dashboard.seller.rejectedTitle"), paragraphs: [t("dashboard.seller.rejected", organization)], quote: reason };
    default:
      return { tone: "warning", title: t("dashboard.suspendedTitle"), paragraphs: [t("dashboard.suspended", organization)], quote: reason };
  }
}

/** Where the seller's organisation stands; `action` adds a link to the next step (the dashboard's use). */
export function SellerStatusPanel({ data, action }: { data: SellerStatusData; action?: { to: string; label: string } | null }) {
  const { t } = useI18n();
  const message = statusMessage(data, t);
  return (
    <Alert tone={message.tone} title={message.title}>
      {message.paragraphs.map((text, i) => (
        <p key={i}>{text}</p>
      ))}
      {message.quote ? <Quote label={message.quote.label}>{message.quote.text}</Quote> : null}
      {action ? (
        <p className="status-action">
          <Link to={action.to} className={buttonClass("secondary", "button--compact")}>
            {action.label}
          </Link>
        </p>
      ) : null}
    </Alert>
  );
}

/** The dashboard's banner for a seller: its status and the one next step, with a link to it. */
export function SellerDashboardBanner({ data }: { data: SellerStatusData }) {
  const { t } = useI18n();
  const submitted = isSubmitted(data.application);
  const label: MessageKey =
    data.status === "info_requested" && data.canEdit ? "application.next.answer" : data.status === "pending" && !submitted && data.canEdit ? "application.next.complete" : "application.next.view";
  return <SellerStatusPanel data={data} action={{ to: "/application", label: t(label) }} />;
}

function MessagesFromSouk({ notifications }: { notifications: readonly SellerNotificationRow[] }) {
  const { t, formatDateTime } = useI18n();
  if (notifications.length === 0) return null;
  return (
    <Card title={t("application.messages.title")}>
      <ol className="message-list">
        {notifications.map((n) => (
          <li key={n.id} className="message">
            <p className="message-subject">
              <strong>{n.subject}</strong> <time className="muted" dateTime={new Date(n.createdAt).toISOString()}>{formatDateTime(n.createdAt)}</time>
            </p>
            <p className="message-body">{n.body}</p>
          </li>
        ))}
      </ol>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// The form

function CategoryPicker({ categories, checked, errors }: { categories: readonly CategoryOption[]; checked: ReadonlySet<string>; errors?: readonly string[] | undefined }) {
  const { t, locale } = useI18n();
  const id = useId();
  const invalid = Boolean(errors && errors.length > 0);
  const parents = categories.filter((c) => c.parentId === null);
  const childrenOf = (parentId: string) => categories.filter((c) => c.parentId === parentId);
  const box = (c: CategoryOption) => (
    <label key={c.id} className="checkbox">
      <input type="checkbox" name="categoryIds" value={c.id} defaultChecked={checked.has(c.id)} />
      <span>{categoryName(locale, c)}</span>
    </label>
  );
  return (
    <fieldset className={`form-section${invalid ? " field--invalid" : ""}`} aria-describedby={invalid ? `${id}-hint ${id}-error` : `${id}-hint`}>
      <legend className="form-section-title">{t("application.section.categories")}</legend>
      <p className="field-hint" id={`${id}-hint`}>
        {t("category.hint")}
      </p>
      {invalid ? (
        <p className="field-error" id={`${id}-error`}>
          {errors?.join(" ")}
        </p>
      ) : null}
      <div className="category-groups">
        {parents.map((parent) => {
          const children = childrenOf(parent.id);
          return (
            <fieldset key={parent.id} className="category-group">
              <legend className="category-group-title">{categoryName(locale, parent)}</legend>
              {children.length > 0 ? children.map(box) : box(parent)}
            </fieldset>
          );
        })}
      </div>
    </fieldset>
  );
}

/** A titled group of the form's fields, laid out in a grid. */
function FormSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="form-section">
      <legend className="form-section-title">{title}</legend>
      <div className="form-grid">{children}</div>
    </fieldset>
  );
}

export function SellerApplicationForm({ application, categories, failure }: {
  application: SellerApplicationFields;
  categories: readonly CategoryOption[];
  /** A failed save or submission: errors beside the fields, and the values as typed. */
  failure: FormFailure | null;
}) {
  const { t, locale } = useI18n();
  const formKey = useFailureKey(failure);
  const focus = firstInvalid(failure, FIELD_ORDER);
  const value = (name: keyof ApplicationFields) => valueOf(failure, name) ?? application[name];
  const field = (name: keyof ApplicationFields, label: MessageKey, options: { required?: boolean; autoComplete?: string; hint?: string; type?: "text" | "email"; maxLength?: number } = {}) => (
    <TextField
      name={name}
      label={t(label)}
      type={options.type ?? "text"}
      required={options.required}
      autoComplete={options.autoComplete}
      hint={options.hint}
      maxLength={options.maxLength}
      autoFocus={focus === name}
      defaultValue={value(name)}
      errors={errorsOf(failure, name)}
    />
  );
  const collator = new Intl.Collator(locale);
  const countries = [...COUNTRIES].sort((a, b) => collator.compare(countryName(a.code, locale), countryName(b.code, locale)));
  const country = value("country");
  const example = country ? companyNumberExample(country) : null;
  // The route sends the checked boxes back as one comma-separated value.
  const checked = new Set(failure ? (failure.values.categoryIds ?? "").split(",").filter(Boolean) : application.categoryIds);

  return (
    <Card title={t("application.form.title")}>
      <p className="muted">{t("application.form.required")}</p>
      <FormErrorAlert failure={failure} />
      <Form key={formKey} id={APPLICATION_FORM_ID} method="post" className="form application-form" noValidate>
        <FormSection title={t("application.section.company")}>
          {field("legalName", "application.field.legalName", { required: true, autoComplete: "organization", hint: t("application.field.legalNameHint"), maxLength: 200 })}
          {field("tradingName", "application.field.tradingName", { maxLength: 200 })}
          <SelectField
            name="country"
            label={t("application.field.country")}
            required
            defaultValue={country}
            errors={errorsOf(failure, "country")}
            options={[{ value: "", label: t("application.field.countryPlaceholder") }, ...countries.map((c) => ({ value: c.code, label: countryName(c.code, locale) }))]}
          />
          {field("companyNumber", "company.number.label", {
            required: true,
            hint: example ? t("company.number.hintFor", { country: countryName(country, locale), example }) : t("company.number.hint"),
            maxLength: 60,
          })}
        </FormSection>
        <FormSection title={t("application.section.address")}>
          {field("addressLine1", "application.field.addressLine1", { required: true, autoComplete: "address-line1", maxLength: 200 })}
          {field("addressLine2", "application.field.addressLine2", { autoComplete: "address-line2", maxLength: 200 })}
          {field("postalCode", "application.field.postalCode", { required: true, autoComplete: "postal-code", maxLength: 20 })}
          {field("city", "application.field.city", { required: true, autoComplete: "address-level2", maxLength: 100 })}
        </FormSection>
        <FormSection title={t("application.section.contact")}>
          {field("contactName", "application.field.contactName", { required: true, autoComplete: "name", maxLength: 200 })}
          {field("contactEmail", "application.field.contactEmail", { required: true, type: "email", autoComplete: "email", maxLength: 254 })}
          {field("contactPhone", "application.field.contactPhone", { required: true, autoComplete: "tel", maxLength: 40 })}
        </FormSection>
        <CategoryPicker categories={categories} checked={checked} errors={errorsOf(failure, "categoryIds")} />
        <fieldset className="form-section">
          <legend className="form-section-title">{t("application.section.description")}</legend>
          <TextAreaField
            name="description"
            label={t("application.field.description")}
            required
            hint={t("application.field.descriptionHint", { max: 2000 })}
            maxLength={2000}
            defaultValue={value("description")}
            autoFocus={focus === "description"}
            errors={errorsOf(failure, "description")}
          />
        </fieldset>
        <div className="button-row">
          <SubmitButton name="intent" value={APPLICATION_INTENT.save} variant="secondary">
            {t("application.save")}
          </SubmitButton>
        </div>
      </Form>
    </Card>
  );
}

/**
 * Submitting (or, after a question, answering and resubmitting) the details form: its buttons and
 * answer box belong to that form through their `form` attribute, so one POST carries everything.
 */
function SubmitSection({ status, openQuestion, failure }: { status: string; openQuestion: string | null; failure: FormFailure | null }) {
  const { t } = useI18n();
  const formKey = useFailureKey(failure);
  if (status === "info_requested") {
    return (
      <Card title={t("application.resubmit.title")} id="answer">
        {openQuestion ? <Quote label={t("application.status.question")}>{openQuestion}</Quote> : null}
        <p className="muted">{t("application.resubmit.intro")}</p>
        <div key={formKey} className="form">
          <TextAreaField
            name="answer"
            label={t("application.answer.label")}
            required
            form={APPLICATION_FORM_ID}
            maxLength={2000}
            defaultValue={valueOf(failure, "answer")}
            autoFocus={firstInvalid(failure, FIELD_ORDER) === "answer"}
            errors={errorsOf(failure, "answer")}
          />
        </div>
        <div className="button-row">
          <SubmitButton name="intent" value={APPLICATION_INTENT.submit} form={APPLICATION_FORM_ID}>
            {t("application.resubmit.button")}
          </SubmitButton>
        </div>
      </Card>
    );
  }
  return (
    <Card title={t("application.submit.title")}>
      <p className="muted">{t("application.submit.intro")}</p>
      <div className="button-row">
        <SubmitButton name="intent" value={APPLICATION_INTENT.submit} form={APPLICATION_FORM_ID}>
          {t("application.submit.button")}
        </SubmitButton>
      </div>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// Documents

export function DocumentsCard({ documents, rules, canEdit, failure }: { documents: readonly SellerDocumentRow[]; rules: DocumentRules; canEdit: boolean; failure: FormFailure | null }) {
  const translator = useI18n();
  const { t, formatDate } = translator;
  const full = documents.length >= rules.maxPerApplication;
  return (
    <Card title={t("document.title")} id="documents">
      <p className="muted">
        {t("document.intro")} {t("document.rules", { size: formatFileSize(rules.maxBytes, translator), count: rules.maxPerApplication })}
      </p>
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      {/* The document of a delete button that is gone (document.unknown). */}
      {failure?.fieldErrors.documentId ? <Alert tone="error">{failure.fieldErrors.documentId.join(" ")}</Alert> : null}
      {documents.length === 0 ? (
        <p>{t("document.none")}</p>
      ) : (
        <DataTable
          caption={t("document.table.caption")}
          columns={[t("document.table.name"), t("document.table.type"), t("document.table.size"), t("document.table.added")]}
          actions={canEdit}
        >
          {documents.map((d) => (
            <tr key={d.id}>
              <th scope="row" className="cell-name">
                {/* A resource route: a plain link, so the browser downloads rather than navigates. */}
                <a href={`/application/documents/${d.id}`} download={d.originalName} aria-label={t("document.download", { name: d.originalName })} className="document-link">
                  {d.originalName}
                </a>
              </th>
              <td>{TYPE_LABELS[d.contentType] ?? d.contentType}</td>
              <td>{formatFileSize(d.sizeBytes, translator)}</td>
              <td>{formatDate(d.createdAt)}</td>
              {canEdit ? (
                <td className="cell-actions">
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="documentId" value={d.id} />
                    <SubmitButton variant="ghost" name="intent" value={APPLICATION_INTENT.removeDocument} className="button--compact button--danger-text" aria-label={t("document.removeLabel", { name: d.originalName })}>
                      {t("document.remove")}
                    </SubmitButton>
                  </Form>
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      )}
      {canEdit ? (
        full ? (
          <p className="muted document-full">{t("document.limitReached", { count: rules.maxPerApplication })}</p>
        ) : (
          <UploadForm failure={failure} label={t("document.file")} accept={rules.accept} intent={APPLICATION_INTENT.upload} submitLabel={t("document.upload")} />
        )
      ) : null}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// Read-only view and history

function ApplicationSummary({ application, categories, note }: { application: SellerApplicationFields; categories: readonly CategoryOption[]; note: string }) {
  const { t, locale, formatDateTime } = useI18n();
  const shown = (text: string) => (text.trim() === "" ? <span className="muted">{t("application.summary.notGiven")}</span> : text);
  const address = addressLines(application, (code) => countryName(code, locale));
  const chosen = categories.filter((c) => application.categoryIds.includes(c.id));
  return (
    <Card title={t("application.summary.title")}>
      {note || application.submittedAt ? (
        <p className="muted">{[note, application.submittedAt ? t("application.submittedOn", { date: formatDateTime(application.submittedAt) }) : ""].filter(Boolean).join(" ")}</p>
      ) : null}
      <dl className="details application-summary">
        <dt>{t("application.field.legalName")}</dt>
        <dd>{shown(application.legalName)}</dd>
        {application.tradingName ? (
          <>
            <dt>{t("application.field.tradingName")}</dt>
            <dd>{application.tradingName}</dd>
          </>
        ) : null}
        <dt>{t("company.number.label")}</dt>
        <dd>{shown(application.companyNumber)}</dd>
        <dt>{t("application.section.address")}</dt>
        <dd>{address.length > 0 ? address.map((line, i) => <span key={i} className="address-line">{line}</span>) : shown("")}</dd>
        <dt>{t("application.section.contact")}</dt>
        <dd>{shown([application.contactName, application.contactEmail, application.contactPhone].filter(Boolean).join(" · "))}</dd>
        <dt>{t("application.section.categories")}</dt>
        <dd>{chosen.length > 0 ? chosen.map((c) => categoryName(locale, c)).join(", ") : shown("")}</dd>
        <dt>{t("application.field.description")}</dt>
        <dd className="preserve-lines">{shown(application.description)}</dd>
      </dl>
    </Card>
  );
}

function historyLabel(move: string): MessageKey | null {
  const key = `application.history.${move}`;
  return isMessageKey(key) ? key : null;
}

export function ApplicationHistory({ history }: { history: readonly SellerHistoryRow[] }) {
  const { t, formatDateTime } = useI18n();
  if (history.length === 0) return null;
  return (
    <Card title={t("application.history.title")}>
      <ol className="history-list">
        {history.map((h, i) => {
          const label = historyLabel(h.move);
          return (
            <li key={i} className={`history-item history-item--${h.move}`}>
              <p className="history-title">
                <strong>{label ? t(label) : h.move}</strong> <time className="muted" dateTime={new Date(h.createdAt).toISOString()}>{formatDateTime(h.createdAt)}</time>
              </p>
              {h.message ? <blockquote className="quote-text">{h.message}</blockquote> : null}
            </li>
          );
        })}
      </ol>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// The page

/**
 * The seller's application page: status (and the Souk team's question or reason), Souk's messages,
 * then either the editable form, the documents and the submit section, or, once submitted or
 * decided (or for members who cannot edit), a read-only summary; the history last. Every form posts
 * to the page's own action and works without JavaScript.
 */
export function SellerApplicationPage({ data, categories, rules, result }: {
  data: SellerApplicationData;
  categories: readonly CategoryOption[];
  rules: DocumentRules;
  /** The action's answer: a failed form (its `intent` says which), or nothing. */
  result: FormFailure | object | null | undefined;
}) {
  const { t } = useI18n();
  const failure = isFormFailure(result) ? result : null;
  const intent = failure?.values.intent;
  const applicationFailure = failure && (intent === APPLICATION_INTENT.save || intent === APPLICATION_INTENT.submit) ? failure : null;
  const documentFailure = failure && (intent === APPLICATION_INTENT.upload || intent === APPLICATION_INTENT.removeDocument) ? failure : null;
  const submitted = isSubmitted(data.application);
  const editableStatus = data.status === "info_requested" || (data.status === "pending" && !submitted);
  // Why the application shows read-only: the member's role, or the review in progress.
  const readOnlyNote = editableStatus ? t("application.readOnly", { organization: data.organizationName }) : data.status === "pending" ? t("application.underReview") : "";
  return (
    <div className="stack">
      <PageHeader title={t("application.title")} description={t("application.intro")} actions={<StatusBadge status={data.status} />} />
      <SellerStatusPanel data={data} />
      <MessagesFromSouk notifications={data.notifications} />
      {data.status === "pending" && submitted ? (
        <Card title={t("application.whatNext")}>
          <ol className="plain-list">
            <li>{t("application.step1")}</li>
            <li>{t("application.step2")}</li>
            <li>{t("application.step3")}</li>
          </ol>
          <p className="card-subtitle">{t("application.meanwhile")}</p>
        </Card>
      ) : null}
      {data.canEdit ? (
        <>
          <SellerApplicationForm application={data.application} categories={categories} failure={applicationFailure} />
          <DocumentsCard documents={data.documents} rules={rules} canEdit failure={documentFailure} />
          {data.canSubmit ? <SubmitSection status={data.status} openQuestion={data.openQuestion} failure={applicationFailure} /> : null}
        </>
      ) : (
        <>
          <ApplicationSummary application={data.application} categories={categories} note={readOnlyNote} />
          <DocumentsCard documents={data.documents} rules={rules} canEdit={false} failure={documentFailure} />
        </>
      )}
      <ApplicationHistory history={data.history} />
    </div>
  );
}
