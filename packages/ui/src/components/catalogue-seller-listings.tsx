import { Form, Link } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { useI18n } from "../i18n/context";
import { isMessageKey, type Translator } from "../i18n/i18n";
import type { DateLike, FormFailure } from "../types";
import { Alert } from "./alert";
import { SellerBackLink, SellerFormError, SellerGroupedSelect, sellerFailureOf, SellerListingStatusBadge, SELLER_LISTING_STATUSES, useSellerMoney, type SellerMoneyView } from "./catalogue-seller-common";
import { FilterPanel, type ListFilterState } from "./filters";
import { buttonClass, errorsOf, firstInvalid, SelectField, SubmitButton, TextAreaField, TextField, UploadForm, useFailureKey, valueOf } from "./form";
import { Card, PageHeader } from "./layout";
import { Pagination, useQueryHref } from "./pagination";
import { categoryName, type CategoryOption } from "./seller-data";
import { DataTable } from "./table";

/*
 * The seller's listings: the list (status tabs, a text filter, pages) and the page of one listing
 * (its form, its status moves, its images). The shapes are those of @souk/services'
 * listSellerListings and getSellerListing.
 */

export interface SellerListingRowView {
  id: string;
  sku: string;
  title: string;
  status: string;
  categoryName: { en: string; fr: string };
  listPrice: SellerMoneyView;
  stock: number;
  minOrderQuantity: number;
  leadTimeDays: number;
  visibility: string;
  updatedAt: DateLike;
}

export interface SellerListingsView {
  items: readonly SellerListingRowView[];
  page: number;
  pageSize: number;
  total: number;
  /** Listings per status, whatever the filters. */
  counts: Readonly<Record<string, number>>;
}

/** A listing's fields as the form shows them: text, as typed (tiers and attributes one per line). */
export interface SellerListingFieldValues {
  sku: string;
  title: string;
  description: string;
  categoryId: string;
  unit: string;
  currency: string;
  listPrice: string;
  minOrderQuantity: string;
  stock: string;
  leadTimeDays: string;
  attributes: string;
  tiers: string;
  visibility: string;
  groupIds: readonly string[];
}

export interface SellerListingImageView {
  id: string;
  originalName: string;
  contentType: string;
  sizeBytes: number;
}

export interface SellerListingDetailView {
  id: string;
  status: string;
  /** The operator's reason, while the listing is blocked. */
  blockedReason: string | null;
  fields: SellerListingFieldValues;
  images: readonly SellerListingImageView[];
  /** The seller's moves from the current status ("publish", "unlist"). */
  availableMoves: readonly string[];
  updatedAt: DateLike;
}

/** What the image section explains and enforces in the browser (the service enforces it for real). */
export interface SellerImageRules {
  maxBytes: number;
  maxPerListing: number;
  accept: string;
}

/** What each form of the listing page asks the action to do (its `intent`). */
export const SELLER_LISTING_INTENT = {
  save: "save",
  publish: "publish",
  unlist: "unlist",
  uploadImage: "upload-image",
  deleteImage: "delete-image",
} as const;

/** The form's fields in page order, for the focus after a failed save. */
const FIELD_ORDER = ["sku", "title", "categoryId", "unit", "description", "currency", "listPrice", "minOrderQuantity", "stock", "leadTimeDays", "tiers", "attributes", "visibility", "groupIds"] as const;

/** A new listing's form: the quantities a seller most often means. */
export const NEW_LISTING_VALUES: SellerListingFieldValues = {
  sku: "",
  title: "",
  description: "",
  categoryId: "",
  unit: "",
  currency: "",
  listPrice: "",
  minOrderQuantity: "1",
  stock: "0",
  leadTimeDays: "0",
  attributes: "",
  tiers: "",
  visibility: "everyone",
  groupIds: [],
};

function fileSize(bytes: number, { t, locale }: Pick<Translator, "t" | "locale">): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024 * 1024) return t("document.sizeKb", { size: number.format(Math.max(1, Math.ceil(bytes / 1024))) });
  return t("document.sizeMb", { size: number.format(Math.round((bytes / (1024 * 1024)) * 10) / 10) });
}

// ---------------------------------------------------------------------------------------------
// The list

function StatusTabs({ counts, current }: { counts: Readonly<Record<string, number>>; current: string }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const tabs = [
    { status: "", label: t("sellerListings.tabs.all"), count: all },
    ...SELLER_LISTING_STATUSES.map((s) => ({ status: s, label: t(`sellerListings.status.${s}`), count: counts[s] ?? 0 })),
  ];
  return (
    <nav className="tabs" aria-label={t("sellerListings.tabs.label")}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.status || "all"}>
            <Link
              to={hrefFor({ status: tab.status || null, page: null })}
              className={`tab${tab.status === current ? " tab--active" : ""}`}
              aria-current={tab.status === current ? "page" : undefined}
            >
              {tab.label} <span className="tab-count">{tab.count}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function SellerListingsPage({ listings, filters, filterErrors }: { listings: SellerListingsView } & ListFilterState) {
  const { t, tPlural, locale, formatDate } = useI18n();
  const formatMoney = useSellerMoney();
  const status = filters.status ?? "";
  const none = Object.values(listings.counts).every((n) => n === 0);
  return (
    <div className="stack">
      <PageHeader
        title={t("sellerListings.title")}
        description={t("sellerListings.intro")}
        actions={
          <>
            <Link to="/listings/new" className={buttonClass("primary")}>
              {t("sellerListings.new")}
            </Link>
            <Link to="/listings/import" className={buttonClass("secondary")}>
              {t("sellerListings.import")}
            </Link>
            {none ? null : (
              // A resource route: a plain link, so that the browser downloads the file.
              <a href="/listings.csv" className={buttonClass("secondary")} download>
                {t("sellerListings.export")}
              </a>
            )}
          </>
        }
      />
      <StatusTabs counts={listings.counts} current={status} />
      <FilterPanel
        labels={{ form: t("sellerListings.filter.label"), ignored: t("sellerListings.filter.ignored"), apply: t("sellerListings.filter.apply"), clear: t("sellerListings.filter.clear") }}
        clearTo={status ? `?status=${encodeURIComponent(status)}` : "."}
        filterErrors={filterErrors}
      >
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <TextField name="q" type="text" label={t("sellerListings.filter.q")} hint={t("sellerListings.filter.qHint")} defaultValue={filters.q ?? ""} maxLength={200} errors={filterErrors.q} />
      </FilterPanel>
      <Card>
        {listings.items.length === 0 ? (
          <div className="empty-state">
            <p>{none ? t("sellerListings.empty") : t("sellerListings.emptyFiltered")}</p>
            {none ? (
              <p className="button-row">
                <Link to="/listings/new" className={buttonClass("primary")}>
                  {t("sellerListings.new")}
                </Link>
                <Link to="/listings/import" className={buttonClass("secondary")}>
                  {t("sellerListings.import")}
                </Link>
              </p>
            ) : null}
          </div>
        ) : (
          <DataTable
            caption={t("sellerListings.table.caption")}
            columns={[
              t("sellerListings.table.listing"),
              t("sellerListings.table.category"),
              t("sellerListings.table.price"),
              t("sellerListings.table.stock"),
              t("sellerListings.table.moq"),
              t("sellerListings.table.leadTime"),
              t("sellerListings.table.status"),
              t("sellerListings.table.updated"),
            ]}
          >
            {listings.items.map((item) => (
              <tr key={item.id}>
                <th scope="row" className="cell-name">
                  <Link to={`/listings/${item.id}`}>{item.title}</Link>
                  <span className="cell-sub mono">{item.sku}</span>
                </th>
                <td>{locale === "fr" ? item.categoryName.fr : item.categoryName.en}</td>
                <td className="cell-nowrap">{formatMoney(item.listPrice)}</td>
                <td>{item.stock}</td>
                <td>{item.minOrderQuantity}</td>
                <td className="cell-nowrap">{tPlural("sellerListings.days", item.leadTimeDays)}</td>
                <td>
                  <SellerListingStatusBadge status={item.status} />
                  {item.visibility === "groups" ? <span className="cell-sub">{t("sellerListings.restricted")}</span> : null}
                </td>
                <td className="cell-nowrap">{formatDate(item.updatedAt)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={listings.page} pageSize={listings.pageSize} total={listings.total} label={t("sellerListings.pagination")} />
      </Card>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The form

function FormSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="form-section">
      <legend className="form-section-title">{title}</legend>
      <div className="form-grid">{children}</div>
    </fieldset>
  );
}

/** Who may see the listing: everyone, or only the buyers of the checked customer groups. */
function VisibilityField({ visibility, groupIds, groups, failure, autoFocus }: {
  visibility: string;
  groupIds: ReadonlySet<string>;
  groups: readonly { id: string; name: string }[];
  failure: FormFailure | null;
  autoFocus: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const errors = [...(errorsOf(failure, "visibility") ?? []), ...(errorsOf(failure, "groupIds") ?? [])];
  const invalid = errors.length > 0;
  return (
    <fieldset className={`form-section${invalid ? " field--invalid" : ""}`} aria-describedby={invalid ? `${id}-hint ${id}-error` : `${id}-hint`}>
      <legend className="form-section-title">{t("sellerListings.field.visibility")}</legend>
      <p className="field-hint" id={`${id}-hint`}>
        {t("sellerListings.field.visibilityHint")}
      </p>
      {invalid ? (
        <p className="field-error" id={`${id}-error`}>
          {errors.join(" ")}
        </p>
      ) : null}
      <div className="stack">
        <label className="checkbox">
          <input type="radio" name="visibility" value="everyone" defaultChecked={visibility !== "groups"} />
          <span>{t("sellerListings.visibility.everyone")}</span>
        </label>
        <label className="checkbox">
          <input type="radio" name="visibility" value="groups" defaultChecked={visibility === "groups"} autoFocus={autoFocus} />
          <span>{t("sellerListings.visibility.groups")}</span>
        </label>
        {groups.length === 0 ? (
          <p className="muted">
            {t("sellerListings.visibility.noGroups")} <Link to="/customer-groups">{t("sellerListings.visibility.manageGroups")}</Link>
          </p>
        ) : (
          <fieldset className="category-group">
            <legend className="category-group-title">{t("sellerListings.visibility.groupsLegend")}</legend>
            {groups.map((g) => (
              <label key={g.id} className="checkbox">
                <input type="checkbox" name="groupIds" value={g.id} defaultChecked={groupIds.has(g.id)} />
                <span>{g.name}</span>
              </label>
            ))}
          </fieldset>
        )}
      </div>
    </fieldset>
  );
}

export function SellerListingForm({ values, categories, groups, currencies, failure, isNew }: {
  values: SellerListingFieldValues;
  categories: readonly CategoryOption[];
  groups: readonly { id: string; name: string }[];
  currencies: readonly string[];
  /** A failed save: errors beside the fields, and the values as typed. */
  failure: FormFailure | null;
  isNew: boolean;
}) {
  const { t, locale } = useI18n();
  const formKey = useFailureKey(failure);
  const focus = firstInvalid(failure, FIELD_ORDER);
  const value = (name: Exclude<keyof SellerListingFieldValues, "groupIds">) => valueOf(failure, name) ?? values[name];
  const text = (name: Exclude<keyof SellerListingFieldValues, "groupIds">, options: { required?: boolean; hint?: string; maxLength?: number } = {}) => (
    <TextField
      name={name}
      label={t(`sellerListings.field.${name}`)}
      required={options.required}
      hint={options.hint}
      maxLength={options.maxLength}
      autoFocus={focus === name}
      defaultValue={value(name)}
      errors={errorsOf(failure, name)}
    />
  );
  // A family (top-level category) is a group of the select; one without sub-categories is its own choice.
  const families = categories.filter((c) => c.parentId === null);
  const categoryGroups = families.map((family) => {
    const children = categories.filter((c) => c.parentId === family.id);
    return { label: categoryName(locale, family), options: (children.length > 0 ? children : [family]).map((c) => ({ value: c.id, label: categoryName(locale, c) })) };
  });
  // The route sends the checked boxes back as one comma-separated value.
  const checked = new Set(failure ? (failure.values.groupIds ?? "").split(",").filter(Boolean) : values.groupIds);
  return (
    <Card title={isNew ? t("sellerListings.form.newTitle") : t("sellerListings.form.editTitle")}>
      <p className="muted">{t("sellerListings.form.required")}</p>
      <SellerFormError failure={failure} />
      <Form key={formKey} method="post" className="form" noValidate>
        <input type="hidden" name="intent" value={SELLER_LISTING_INTENT.save} />
        <FormSection title={t("sellerListings.section.product")}>
          {text("sku", { required: true, hint: t("sellerListings.field.skuHint"), maxLength: 64 })}
          {text("title", { required: true, maxLength: 200 })}
          <SellerGroupedSelect
            name="categoryId"
            label={t("sellerListings.field.categoryId")}
            required
            placeholder={t("sellerListings.field.categoryPlaceholder")}
            groups={categoryGroups}
            defaultValue={value("categoryId")}
            autoFocus={focus === "categoryId"}
            errors={errorsOf(failure, "categoryId")}
          />
          {text("unit", { required: true, hint: t("sellerListings.field.unitHint"), maxLength: 20 })}
        </FormSection>
        <TextAreaField
          name="description"
          label={t("sellerListings.field.description")}
          maxLength={5000}
          rows={6}
          autoFocus={focus === "description"}
          defaultValue={value("description")}
          errors={errorsOf(failure, "description")}
        />
        <FormSection title={t("sellerListings.section.price")}>
          <SelectField
            name="currency"
            label={t("sellerListings.field.currency")}
            required
            defaultValue={value("currency")}
            errors={errorsOf(failure, "currency")}
            options={[{ value: "", label: t("sellerListings.field.currencyPlaceholder") }, ...currencies.map((c) => ({ value: c, label: c }))]}
          />
          {text("listPrice", { required: true, hint: t("sellerListings.field.listPriceHint") })}
          {text("minOrderQuantity", { hint: t("sellerListings.field.minOrderQuantityHint") })}
          {text("stock")}
          {text("leadTimeDays", { hint: t("sellerListings.field.leadTimeDaysHint") })}
        </FormSection>
        <FormSection title={t("sellerListings.section.details")}>
          <TextAreaField
            name="tiers"
            label={t("sellerListings.field.tiers")}
            hint={t("sellerListings.field.tiersHint")}
            rows={5}
            autoFocus={focus === "tiers"}
            defaultValue={value("tiers")}
            errors={errorsOf(failure, "tiers")}
          />
          <TextAreaField
            name="attributes"
            label={t("sellerListings.field.attributes")}
            hint={t("sellerListings.field.attributesHint")}
            rows={5}
            autoFocus={focus === "attributes"}
            defaultValue={value("attributes")}
            errors={errorsOf(failure, "attributes")}
          />
        </FormSection>
        <VisibilityField visibility={value("visibility")} groupIds={checked} groups={groups} failure={failure} autoFocus={focus === "visibility" || focus === "groupIds"} />
        <div className="button-row">
          <SubmitButton>{isNew ? t("sellerListings.form.create") : t("sellerListings.form.save")}</SubmitButton>
          <Link to="/listings" className={buttonClass("ghost")}>
            {t("sellerListings.form.cancel")}
          </Link>
        </div>
      </Form>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// Status and images

function StatusCard({ listing, failure }: { listing: SellerListingDetailView; failure: FormFailure | null }) {
  const { t } = useI18n();
  const message = failure ? (failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ")) : null;
  const explanation = `sellerListings.statusHelp.${listing.status}`;
  return (
    <Card title={t("sellerListings.statusCard.title")} id="status">
      {message ? <Alert tone="error">{message}</Alert> : null}
      {listing.status === "blocked" ? (
        <Alert tone="error" title={t("sellerListings.blocked.title")}>
          <p>{t("sellerListings.blocked.body")}</p>
          {listing.blockedReason ? (
            <figure className="quote">
              <figcaption className="quote-label">{t("sellerListings.blocked.reason")}</figcaption>
              <blockquote className="quote-text">{listing.blockedReason}</blockquote>
            </figure>
          ) : null}
        </Alert>
      ) : null}
      <p>
        <SellerListingStatusBadge status={listing.status} /> {isMessageKey(explanation) ? t(explanation) : null}
      </p>
      {listing.availableMoves.length > 0 ? (
        <Form method="post" className="button-row" preventScrollReset>
          {listing.availableMoves.includes("publish") ? (
            <SubmitButton name="intent" value={SELLER_LISTING_INTENT.publish}>
              {t("sellerListings.move.publish")}
            </SubmitButton>
          ) : null}
          {listing.availableMoves.includes("unlist") ? (
            <SubmitButton name="intent" value={SELLER_LISTING_INTENT.unlist} variant="secondary">
              {t("sellerListings.move.unlist")}
            </SubmitButton>
          ) : null}
        </Form>
      ) : null}
    </Card>
  );
}

export function SellerListingImages({ listingId, images, rules, failure }: { listingId: string; images: readonly SellerListingImageView[]; rules: SellerImageRules; failure: FormFailure | null }) {
  const translator = useI18n();
  const { t } = translator;
  const full = images.length >= rules.maxPerListing;
  return (
    <Card title={t("sellerListings.images.title")} id="images">
      <p className="muted">{t("sellerListings.images.rules", { size: fileSize(rules.maxBytes, translator), count: rules.maxPerListing })}</p>
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      {/* The image of a delete button that is gone (image.unknown): shown with the card. */}
      {failure?.fieldErrors.imageId ? <Alert tone="error">{failure.fieldErrors.imageId.join(" ")}</Alert> : null}
      {images.length === 0 ? (
        <p>{t("sellerListings.images.none")}</p>
      ) : (
        <DataTable caption={t("sellerListings.images.caption")} columns={[t("sellerListings.images.preview"), t("sellerListings.images.name"), t("sellerListings.images.size")]} actions>
          {images.map((image) => {
            const src = `/listings/${listingId}/images/${image.id}`;
            return (
              <tr key={image.id}>
                <td>
                  <a href={src} aria-label={t("sellerListings.images.open", { name: image.originalName })}>
                    <img src={src} alt="" width={96} height={96} loading="lazy" style={{ objectFit: "cover", borderRadius: "4px", display: "block" }} />
                  </a>
                </td>
                <th scope="row" className="cell-name">
                  {image.originalName}
                </th>
                <td className="cell-nowrap">{fileSize(image.sizeBytes, translator)}</td>
                <td className="cell-actions">
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="imageId" value={image.id} />
                    <SubmitButton
                      variant="ghost"
                      name="intent"
                      value={SELLER_LISTING_INTENT.deleteImage}
                      className="button--compact button--danger-text"
                      aria-label={t("sellerListings.images.removeLabel", { name: image.originalName })}
                    >
                      {t("sellerListings.images.remove")}
                    </SubmitButton>
                  </Form>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {full ? (
        <p className="muted">{t("sellerListings.images.full", { count: rules.maxPerListing })}</p>
      ) : (
        <UploadForm failure={failure} label={t("sellerListings.images.file")} accept={rules.accept} intent={SELLER_LISTING_INTENT.uploadImage} submitLabel={t("sellerListings.images.upload")} />
      )}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// The page

/**
 * A new listing (`listing` null: only the form) or an existing one: its status and moves (with the
 * operator's reason while it is blocked), the form, and its images. Every form posts to the page's
 * own action and works without JavaScript.
 */
export function SellerListingPage({ listing, categories, groups, currencies, imageRules, result }: {
  listing: SellerListingDetailView | null;
  categories: readonly CategoryOption[];
  groups: readonly { id: string; name: string }[];
  currencies: readonly string[];
  imageRules: SellerImageRules;
  /** The action's answer: a failed form (its `intent` says which), or nothing. */
  result: unknown;
}) {
  const { t } = useI18n();
  const formFailure = sellerFailureOf(result, [SELLER_LISTING_INTENT.save]);
  const moveFailure = sellerFailureOf(result, [SELLER_LISTING_INTENT.publish, SELLER_LISTING_INTENT.unlist]);
  const imageFailure = sellerFailureOf(result, [SELLER_LISTING_INTENT.uploadImage, SELLER_LISTING_INTENT.deleteImage]);
  return (
    <div className="stack">
      <SellerBackLink to="/listings">{t("sellerListings.back")}</SellerBackLink>
      <PageHeader
        title={listing ? listing.fields.title : t("sellerListings.new")}
        description={listing ? <span className="mono">{listing.fields.sku}</span> : t("sellerListings.form.newIntro")}
        actions={listing ? <SellerListingStatusBadge status={listing.status} /> : null}
      />
      {listing ? <StatusCard listing={listing} failure={moveFailure} /> : null}
      <SellerListingForm values={listing?.fields ?? NEW_LISTING_VALUES} categories={categories} groups={groups} currencies={currencies} failure={formFailure} isNew={!listing} />
      {listing ? <SellerListingImages listingId={listing.id} images={listing.images} rules={imageRules} failure={imageFailure} /> : null}
    </div>
  );
}
