import { Form, Link } from "@remix-run/react";
import { format, isCurrency, parseMoney, type ListingStatus } from "@souk/domain";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/context";
import type { FormFailure } from "../types";
import { Alert, Badge } from "./alert";
import { useCatalogueMoney, type CatalogueMoneyView } from "./catalogue-buyer-price";
import { FilterPanel, type ListFilterState } from "./filters";
import { buttonClass, errorsOf, SubmitButton, TextAreaField, TextField, useFailureKey, valueOf } from "./form";
import { Card, PageHeader } from "./layout";
import { Pagination, useQueryHref } from "./pagination";
import { DataTable } from "./table";
import { SellerStatusBadge } from "./vetting";

/**
 * The operator's listing moderation: every seller's listings with filters, and one listing with its
 * block / unblock forms. Client-safe: the shapes are listListingsForModeration's and
 * getListingForModeration's.
 */

const LISTING_STATUS_ORDER: readonly ListingStatus[] = ["published", "unlisted", "draft", "blocked"];
const LISTING_STATUS_TONE: Record<ListingStatus, "neutral" | "success" | "warning" | "danger"> = {
  draft: "neutral",
  published: "success",
  unlisted: "warning",
  blocked: "danger",
};

export interface ModerationListingRowView {
  id: string;
  sku: string;
  title: string;
  status: ListingStatus;
  categoryName: { en: string; fr: string };
  listPrice: CatalogueMoneyView;
  stock: number;
  minOrderQuantity: number;
  leadTimeDays: number;
  visibility: "everyone" | "groups";
  updatedAt: string;
  sellerId: string;
  sellerName: string;
  sellerStatus: string;
}

export interface ModerationListingsView {
  items: readonly ModerationListingRowView[];
  page: number;
  pageSize: number;
  total: number;
  counts: Readonly<Record<ListingStatus, number>>;
}

export interface ModerationListingView {
  id: string;
  sku: string;
  title: string;
  description: string;
  status: ListingStatus;
  blockedReason: string | null;
  category: { id: string; name: { en: string; fr: string } };
  unit: string;
  listPrice: CatalogueMoneyView;
  minOrderQuantity: number;
  stock: number;
  leadTimeDays: number;
  /** One `key=value` per line. */
  attributes: string;
  /** One `minQuantity=unitPrice` per line. */
  tiers: string;
  visibility: "everyone" | "groups";
  images: readonly { id: string; originalName: string }[];
  seller: { id: string; name: string; status: string };
  availableMoves: readonly ("block" | "unblock")[];
  createdAt: string;
  updatedAt: string;
}

export function ListingStatusBadge({ status }: { status: ListingStatus }) {
  const { t } = useI18n();
  return <Badge tone={LISTING_STATUS_TONE[status]}>{t(`operatorCatalogue.status.${status}`)}</Badge>;
}

/** `key=value` lines (the services' text form of attributes and tiers) as pairs; the first "=" splits. */
function pairs(text: string): [string, string][] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf("=");
      return at === -1 ? [line, ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
    });
}

// ---------------------------------------------------------------------------------------------
// The list

function StatusTabs({ counts, current }: { counts: ModerationListingsView["counts"]; current: string }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const tabs = [
    { status: "", label: t("operatorCatalogue.listings.tabs.all"), count: all },
    ...LISTING_STATUS_ORDER.map((s) => ({ status: s, label: t(`operatorCatalogue.status.${s}`), count: counts[s] ?? 0 })),
  ];
  return (
    <nav className="tabs" aria-label={t("operatorCatalogue.listings.tabs.label")}>
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

function ListingFilters({ view, filters, filterErrors }: { view: ModerationListingsView } & ListFilterState) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const seller = filters.sellerId && !filterErrors.sellerId ? filters.sellerId : null;
  // Every row of a list filtered by seller is that seller's: its name comes with them.
  const sellerName = seller ? (view.items.find((i) => i.sellerId === seller)?.sellerName ?? seller) : null;
  return (
    <FilterPanel
      labels={{
        form: t("operatorCatalogue.listings.filter.label"),
        ignored: t("operatorCatalogue.listings.filter.ignored"),
        apply: t("operatorCatalogue.listings.filter.apply"),
        clear: t("operatorCatalogue.listings.filter.clear"),
      }}
      clearTo={filters.status ? `?status=${encodeURIComponent(filters.status)}` : "."}
      filterErrors={filterErrors}
    >
      {filters.status ? <input type="hidden" name="status" value={filters.status} /> : null}
      <TextField
        name="q"
        label={t("operatorCatalogue.listings.filter.query")}
        hint={t("operatorCatalogue.listings.filter.queryHint")}
        defaultValue={filters.q ?? ""}
        errors={filterErrors.q}
        maxLength={200}
        autoComplete="off"
      />
      {seller ? (
        <div className="field">
          <span className="field-label">{t("operatorCatalogue.listings.filter.seller")}</span>
          <input type="hidden" name="sellerId" value={seller} />
          <span className="chip">
            {sellerName}
            <Link to={hrefFor({ sellerId: null, page: null })} className="chip-remove" aria-label={t("operatorCatalogue.listings.filter.removeSeller")}>
              ×
            </Link>
          </span>
        </div>
      ) : null}
    </FilterPanel>
  );
}

export function ModerationListingsPage({ view, filters, filterErrors }: { view: ModerationListingsView } & ListFilterState) {
  const { t, locale, formatDate } = useI18n();
  const formatMoney = useCatalogueMoney();
  const hrefFor = useQueryHref();
  const filtered = Boolean(filters.q || filters.sellerId);
  return (
    <div className="stack">
      <PageHeader title={t("operatorCatalogue.listings.title")} description={t("operatorCatalogue.listings.intro")} />
      <StatusTabs counts={view.counts} current={filters.status && !filterErrors.status ? filters.status : ""} />
      <ListingFilters view={view} filters={filters} filterErrors={filterErrors} />
      <Card>
        {view.items.length === 0 ? (
          <p className="empty-state">{filtered || filters.status ? t("operatorCatalogue.listings.emptyFiltered") : t("operatorCatalogue.listings.empty")}</p>
        ) : (
          <DataTable
            caption={t("operatorCatalogue.listings.table.caption")}
            columns={[
              t("operatorCatalogue.listings.table.listing"),
              t("operatorCatalogue.listings.table.seller"),
              t("operatorCatalogue.listings.table.category"),
              t("operatorCatalogue.listings.table.price"),
              t("operatorCatalogue.listings.table.status"),
              t("operatorCatalogue.listings.table.updated"),
            ]}
          >
            {view.items.map((item) => (
              <tr key={item.id}>
                <th scope="row" className="cell-name">
                  <Link to={`/listings/${item.id}`}>{item.title}</Link>
                  <span className="cell-sub mono">{item.sku}</span>
                </th>
                <td>
                  <Link to={hrefFor({ sellerId: item.sellerId, page: null })} title={t("operatorCatalogue.listings.filterBySeller", { name: item.sellerName })}>
                    {item.sellerName}
                  </Link>
                  {item.sellerStatus !== "active" ? (
                    <span className="cell-sub">
                      <SellerStatusBadge status={item.sellerStatus} />
                    </span>
                  ) : null}
                </td>
                <td>{item.categoryName[locale]}</td>
                <td className="cell-nowrap">{formatMoney(item.listPrice)}</td>
                <td>
                  <ListingStatusBadge status={item.status} />
                </td>
                <td className="cell-nowrap">{formatDate(item.updatedAt)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("operatorCatalogue.listings.pagination")} />
      </Card>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// One listing

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function ListingDetails({ listing }: { listing: ModerationListingView }) {
  const { t, tPlural, locale, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  return (
    <dl className="details">
      <Detail label={t("operatorCatalogue.listing.sku")}>
        <span className="mono">{listing.sku}</span>
      </Detail>
      <Detail label={t("operatorCatalogue.listing.category")}>{listing.category.name[locale]}</Detail>
      <Detail label={t("operatorCatalogue.listing.listPrice")}>{t("operatorCatalogue.listing.pricePerUnit", { price: formatMoney(listing.listPrice), unit: listing.unit })}</Detail>
      <Detail label={t("operatorCatalogue.listing.minOrder")}>{`${listing.minOrderQuantity} ${listing.unit}`}</Detail>
      <Detail label={t("operatorCatalogue.listing.stock")}>{`${listing.stock} ${listing.unit}`}</Detail>
      <Detail label={t("operatorCatalogue.listing.leadTime")}>{tPlural("operatorCatalogue.listing.days", listing.leadTimeDays)}</Detail>
      <Detail label={t("operatorCatalogue.listing.visibility")}>{t(`operatorCatalogue.listing.visibility.${listing.visibility}`)}</Detail>
      <Detail label={t("operatorCatalogue.listing.created")}>{formatDateTime(listing.createdAt)}</Detail>
      <Detail label={t("operatorCatalogue.listing.updated")}>{formatDateTime(listing.updatedAt)}</Detail>
    </dl>
  );
}

function Tiers({ listing }: { listing: ModerationListingView }) {
  const { t, locale } = useI18n();
  const tiers = pairs(listing.tiers);
  if (tiers.length === 0) return <p className="muted">{t("operatorCatalogue.listing.noTiers")}</p>;
  const currency = listing.listPrice.currency;
  const price = (text: string) => {
    const parsed = isCurrency(currency) ? parseMoney(text, currency) : null;
    return parsed ? format(parsed, locale) : `${text} ${currency}`;
  };
  return (
    <DataTable caption={t("operatorCatalogue.listing.tiers")} columns={[t("operatorCatalogue.listing.tierFrom"), t("operatorCatalogue.listing.tierPrice")]}>
      {tiers.map(([quantity, unitPrice]) => (
        <tr key={quantity}>
          <th scope="row">{`${quantity} ${listing.unit}`}</th>
          <td>{price(unitPrice)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function Attributes({ text }: { text: string }) {
  const { t } = useI18n();
  const attributes = pairs(text);
  if (attributes.length === 0) return <p className="muted">{t("operatorCatalogue.listing.noAttributes")}</p>;
  return (
    <dl className="details">
      {attributes.map(([name, value]) => (
        <Detail key={name} label={name}>
          {value}
        </Detail>
      ))}
    </dl>
  );
}

function Images({ listing }: { listing: ModerationListingView }) {
  const { t } = useI18n();
  if (listing.images.length === 0) return <p className="muted">{t("operatorCatalogue.listing.noImages")}</p>;
  return (
    <ul className="listing-gallery">
      {listing.images.map((image) => (
        <li key={image.id}>
          <img src={`/listings/${listing.id}/images/${image.id}`} alt={image.originalName} loading="lazy" className="listing-gallery-image" />
        </li>
      ))}
    </ul>
  );
}

function ModerationForm({ move, failure }: { move: "block" | "unblock"; failure: FormFailure | null }) {
  const { t } = useI18n();
  const mine = failure && failure.values.move === move ? failure : null;
  const formKey = useFailureKey(mine);
  return (
    <Form key={formKey} method="post" className={`decision-form decision-form--${move}`} aria-labelledby={`moderate-${move}-title`}>
      <h3 id={`moderate-${move}-title`} className="decision-title">
        {t(`operatorCatalogue.moderate.${move}.title`)}
      </h3>
      <p className="field-hint">{t(`operatorCatalogue.moderate.${move}.help`)}</p>
      <TextAreaField
        name="reason"
        label={t(`operatorCatalogue.moderate.${move}.field`)}
        required={move === "block"}
        rows={4}
        maxLength={2000}
        defaultValue={valueOf(mine, "reason")}
        errors={errorsOf(mine, "reason")}
      />
      {mine?.formError ? <p className="field-error">{mine.formError}</p> : null}
      {errorsOf(mine, "move") ? <p className="field-error">{errorsOf(mine, "move")?.join(" ")}</p> : null}
      <div>
        <SubmitButton variant={move === "block" ? "danger" : "primary"} name="move" value={move}>
          {t(`operatorCatalogue.moderate.${move}.submit`)}
        </SubmitButton>
      </div>
    </Form>
  );
}

function Moderation({ listing, failure }: { listing: ModerationListingView; failure: FormFailure | null }) {
  const { t } = useI18n();
  // A refusal that matches no form any more (another operator moved the listing meanwhile): shown above.
  const orphan = failure && !listing.availableMoves.includes(failure.values.move as "block" | "unblock") ? failure : null;
  return (
    <Card title={t("operatorCatalogue.moderate.title")} className="decision-card" id="moderate">
      {orphan ? <Alert tone="error">{[orphan.formError, ...Object.values(orphan.fieldErrors).flat()].filter(Boolean).join(" ")}</Alert> : null}
      {listing.availableMoves.length === 0 ? (
        <p className="muted">{t(`operatorCatalogue.moderate.none.${listing.status === "draft" ? "draft" : "other"}`)}</p>
      ) : (
        <div className="decision-list">
          {listing.availableMoves.map((move) => (
            <ModerationForm key={move} move={move} failure={failure} />
          ))}
        </div>
      )}
    </Card>
  );
}

export function ModerationListingPage({ listing, result }: { listing: ModerationListingView; result: FormFailure | null | undefined }) {
  const { t } = useI18n();
  return (
    <div className="stack">
      <p className="back-link">
        <Link to="/listings">{t("operatorCatalogue.listing.back")}</Link>
      </p>
      <PageHeader
        title={
          <>
            {listing.title} <ListingStatusBadge status={listing.status} />
          </>
        }
        description={
          <>
            {t("operatorCatalogue.listing.by")} <Link to={`/sellers/${listing.seller.id}`}>{listing.seller.name}</Link>{" "}
            {listing.seller.status !== "active" ? <SellerStatusBadge status={listing.seller.status} /> : null}
          </>
        }
        actions={
          <>
            <Link to={`/listings?sellerId=${listing.seller.id}`} className={buttonClass("secondary", "button--compact")}>
              {t("operatorCatalogue.listing.sellerListings")}
            </Link>
            <Link to={`/audit?organizationId=${listing.seller.id}&action=listing.*`} className={buttonClass("secondary", "button--compact")}>
              {t("operatorCatalogue.listing.auditLink")}
            </Link>
          </>
        }
      />
      {listing.status === "blocked" && listing.blockedReason ? (
        <Alert tone="error" title={t("operatorCatalogue.listing.blockedReason")}>
          <p className="prewrap">{listing.blockedReason}</p>
        </Alert>
      ) : null}
      <div className="review-layout">
        <div className="stack">
          <Card title={t("operatorCatalogue.listing.details")}>
            <ListingDetails listing={listing} />
          </Card>
          <Card title={t("operatorCatalogue.listing.description")}>
            {listing.description ? <p className="prewrap">{listing.description}</p> : <p className="muted">{t("operatorCatalogue.listing.noDescription")}</p>}
          </Card>
          <Card title={t("operatorCatalogue.listing.attributes")}>
            <Attributes text={listing.attributes} />
          </Card>
          <Card title={t("operatorCatalogue.listing.tiers")}>
            <Tiers listing={listing} />
          </Card>
          <Card title={t("operatorCatalogue.listing.images")}>
            <Images listing={listing} />
          </Card>
        </div>
        <div className="stack">
          <Moderation listing={listing} failure={result ?? null} />
        </div>
      </div>
    </div>
  );
}
