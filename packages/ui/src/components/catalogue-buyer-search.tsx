import { Form, Link, useNavigation, useSubmit } from "@remix-run/react";
import type { PriceSourceKind } from "@souk/domain";
import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { useI18n } from "../i18n/context";
import { isMessageKey, type MessageKey } from "../i18n/i18n";
import { Badge } from "./alert";
import { BuyerPrice, type CatalogueMoneyView } from "./catalogue-buyer-price";
import { buttonClass } from "./form";
import { Card, PageHeader } from "./layout";
import { Pagination, useQueryHref } from "./pagination";
import { HitPurchaseControls, type CataloguePurchasingView } from "./purchasing/catalogue-controls";

/**
 * The buyer's catalogue search: a GET form (query box and sort) that works without JavaScript and,
 * with it, searches as the buyer types; facets as links that add or remove one filter each; one
 * page of results, each at the buyer's own price. Client-safe: the shapes are searchCatalogue's.
 */

export type CatalogueSort = "relevance" | "price_asc" | "price_desc" | "lead_time";
export const CATALOGUE_SORTS: readonly CatalogueSort[] = ["relevance", "price_asc", "price_desc", "lead_time"];

export interface CatalogueHitView {
  id: string;
  sku: string;
  title: string;
  sellerName: string;
  categoryPath: { en: readonly string[]; fr: readonly string[] };
  unit: string;
  minOrderQuantity: number;
  leadTimeDays: number;
  inStock: boolean;
  listPrice: CatalogueMoneyView;
  yourPrice: CatalogueMoneyView;
  priceSource: PriceSourceKind;
  /** The quantity the price is for (the minimum order, at least 1). */
  quantityForPrice: number;
}

export interface CatalogueFacetValue {
  value: string;
  count: number;
}

export interface CatalogueFacetsView {
  category: readonly (CatalogueFacetValue & { label: { en: string; fr: string } })[];
  seller: readonly (CatalogueFacetValue & { label: string })[];
  priceBand: readonly CatalogueFacetValue[];
  minOrder: readonly CatalogueFacetValue[];
  leadTime: readonly CatalogueFacetValue[];
  inStock: readonly CatalogueFacetValue[];
}

/** The search as the service understood it: a parameter it could not read is left out (no filter), never an error. */
export interface CatalogueQueryView {
  q?: string | undefined;
  category?: string | undefined;
  seller?: string | undefined;
  priceBand?: string | undefined;
  maxMoq?: number | undefined;
  maxLeadTime?: number | undefined;
  inStock?: boolean | undefined;
  sort: CatalogueSort;
  page: number;
}

export interface CatalogueSearchView {
  hits: readonly CatalogueHitView[];
  total: number;
  page: number;
  pageSize: number;
  facets: CatalogueFacetsView;
  query: CatalogueQueryView;
}

/** The URL parameters of the filters, in the order the active-filter chips show them. */
const FILTER_PARAMS = ["category", "seller", "priceBand", "maxMoq", "maxLeadTime", "inStock"] as const;
type FilterParam = (typeof FILTER_PARAMS)[number];

/** "At most" steps offered for the minimum order and the lead time: the upper ends of the index's buckets. */
const MAX_MOQ_STEPS = [1, 10, 100, 1000] as const;
const MAX_LEAD_TIME_STEPS = [2, 7, 14, 30] as const;

/** Typing pauses this long before the search runs: one request per burst of keys, not per key. */
const TYPING_DELAY_MS = 250;

/**
 * The index counts listings per bucket ("2-10", "1001-plus"); a step "at most N" counts every
 * bucket that ends at or below N. Exact for steps up to the active filter, which is all we show counts for.
 */
function countUpTo(buckets: readonly CatalogueFacetValue[], max: number): number {
  return buckets.reduce((total, bucket) => {
    const upper = bucket.value.endsWith("-plus") ? Number.POSITIVE_INFINITY : Number(bucket.value.split("-").pop());
    return upper <= max ? total + bucket.count : total;
  }, 0);
}

function activeValue(query: CatalogueQueryView, param: FilterParam): string | null {
  const value = query[param];
  if (value === undefined || value === false) return null;
  return String(value);
}

/** The words of a filter value: a category's name, a seller's, a band's. */
function useFilterLabel(view: CatalogueSearchView) {
  const { t, tPlural, locale } = useI18n();
  return (param: FilterParam, value: string): string => {
    switch (param) {
      case "category": {
        const category = view.facets.category.find((c) => c.value === value);
        return category ? category.label[locale] : t("buyerCatalogue.filter.unknownCategory");
      }
      case "seller":
        return view.facets.seller.find((s) => s.value === value)?.label ?? t("buyerCatalogue.filter.unknownSeller");
      case "priceBand": {
        const key = `pricing.facet.priceBand.${value}`;
        return isMessageKey(key) ? t(key) : value;
      }
      case "maxMoq":
        return t("buyerCatalogue.filter.maxMoq", { count: value });
      case "maxLeadTime":
        return tPlural("buyerCatalogue.filter.maxLeadTime", Number(value));
      case "inStock":
        return t("buyerCatalogue.filter.inStockOnly");
    }
  };
}

const FILTER_NAME: Record<FilterParam, MessageKey> = {
  category: "buyerCatalogue.facet.category",
  seller: "buyerCatalogue.facet.seller",
  priceBand: "buyerCatalogue.facet.priceBand",
  maxMoq: "buyerCatalogue.facet.minOrder",
  maxLeadTime: "buyerCatalogue.facet.leadTime",
  inStock: "buyerCatalogue.facet.availability",
};

// ---------------------------------------------------------------------------------------------
// The search form

function SearchForm({ query }: { query: CatalogueQueryView }) {
  const { t } = useI18n();
  const submit = useSubmit();
  const inputRef = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [sort, setSort] = useState<CatalogueSort>(query.sort);
  const q = query.q ?? "";

  useEffect(() => setSort(query.sort), [query.sort]);
  // A navigation that did not come from typing (a facet link, Back): the box shows its query. Not
  // while the buyer types, or an answer to an earlier keystroke would undo the later ones.
  useEffect(() => {
    const input = inputRef.current;
    if (input && document.activeElement !== input) input.value = q;
  }, [q]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  // Replaces the history entry: one Back leaves the search, rather than stepping through every prefix typed.
  const search = (form: HTMLFormElement | null) => {
    if (form) submit(form, { replace: true, preventScrollReset: true });
  };
  const onType = (event: ChangeEvent<HTMLInputElement>) => {
    const form = event.currentTarget.form;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => search(form), TYPING_DELAY_MS);
  };

  return (
    <Form
      method="get"
      action="/catalogue"
      role="search"
      className="catalogue-search"
      aria-label={t("buyerCatalogue.search.label")}
      // Enter or the button searches now: the search still pending from the last keystroke would
      // come after it, and take the buyer back to the results from a listing it has just opened.
      onSubmit={() => {
        if (timer.current) clearTimeout(timer.current);
      }}
    >
      <div className="field catalogue-search-query">
        <label htmlFor="catalogue-q" className="field-label">
          {t("buyerCatalogue.search.query")}
        </label>
        <input
          ref={inputRef}
          id="catalogue-q"
          type="search"
          name="q"
          className="input"
          defaultValue={q}
          maxLength={200}
          autoComplete="off"
          placeholder={t("buyerCatalogue.search.placeholder")}
          onChange={onType}
        />
      </div>
      <div className="field catalogue-search-sort">
        <label htmlFor="catalogue-sort" className="field-label">
          {t("buyerCatalogue.sort.label")}
        </label>
        <select
          id="catalogue-sort"
          name="sort"
          className="input select"
          value={sort}
          onChange={(event) => {
            setSort(event.currentTarget.value as CatalogueSort);
            search(event.currentTarget.form);
          }}
        >
          {CATALOGUE_SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`buyerCatalogue.sort.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {/* A new query keeps the filters; the page starts again at 1. */}
      {FILTER_PARAMS.map((param) => {
        const value = activeValue(query, param);
        return value === null ? null : <input key={param} type="hidden" name={param} value={value} />;
      })}
      <button type="submit" className={buttonClass("primary", "catalogue-search-submit")}>
        {t("buyerCatalogue.search.submit")}
      </button>
    </Form>
  );
}

// ---------------------------------------------------------------------------------------------
// Facets

interface FacetOption {
  key: string;
  label: string;
  /** null: unknown (a step beyond the active filter, whose count the index did not give). */
  count: number | null;
  selected: boolean;
  href: string;
}

function FacetGroup({ title, options }: { title: string; options: readonly FacetOption[] }) {
  const { t } = useI18n();
  if (options.length === 0) return null;
  return (
    <section className="facet">
      <h3 className="facet-title">{title}</h3>
      <ul className="facet-list">
        {options.map((o) => (
          <li key={o.key}>
            <Link to={o.href} className={`facet-option${o.selected ? " facet-option--selected" : ""}`} aria-current={o.selected ? "true" : undefined} preventScrollReset>
              <span className="facet-box" aria-hidden="true" />
              <span className="facet-label">{o.label}</span>
              {o.count !== null ? <span className="facet-count">{o.count}</span> : null}
              {o.selected ? <span className="visually-hidden"> {t("buyerCatalogue.facet.selected")}</span> : null}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Facets({ view }: { view: CatalogueSearchView }) {
  const { t, locale } = useI18n();
  const label = useFilterLabel(view);
  const hrefFor = useQueryHref();
  const { facets, query } = view;
  const option = (param: FilterParam, value: string, label: string, count: number | null): FacetOption => {
    const selected = activeValue(query, param) === value;
    return { key: value, label, count, selected, href: hrefFor({ [param]: selected ? null : value, page: null }) };
  };
  const steps = (param: "maxMoq" | "maxLeadTime", list: readonly number[], buckets: readonly CatalogueFacetValue[]) => {
    const active = query[param];
    return list
      .map((max) => option(param, String(max), label(param, String(max)), active === undefined || max <= active ? countUpTo(buckets, max) : null))
      // A step that keeps every result narrows nothing; one that keeps none leads nowhere.
      .filter((o) => o.selected || o.count === null || (o.count > 0 && o.count < view.total));
  };
  const inStock = facets.inStock.find((f) => f.value === "true")?.count ?? 0;
  return (
    <nav className="facets" aria-label={t("buyerCatalogue.facet.label")}>
      <FacetGroup title={t("buyerCatalogue.facet.category")} options={facets.category.map((c) => option("category", c.value, c.label[locale], c.count))} />
      <FacetGroup title={t("buyerCatalogue.facet.seller")} options={facets.seller.map((s) => option("seller", s.value, s.label, s.count))} />
      <FacetGroup
        title={t("buyerCatalogue.facet.priceBand")}
        options={facets.priceBand.map((b) => option("priceBand", b.value, label("priceBand", b.value), b.count))}
      />
      <FacetGroup title={t("buyerCatalogue.facet.minOrder")} options={steps("maxMoq", MAX_MOQ_STEPS, facets.minOrder)} />
      <FacetGroup title={t("buyerCatalogue.facet.leadTime")} options={steps("maxLeadTime", MAX_LEAD_TIME_STEPS, facets.leadTime)} />
      <FacetGroup
        title={t("buyerCatalogue.facet.availability")}
        options={inStock > 0 || query.inStock ? [option("inStock", "true", t("buyerCatalogue.filter.inStockOnly"), inStock)] : []}
      />
      {facets.priceBand.length > 0 ? <p className="field-hint">{t("buyerCatalogue.facet.priceBandHint")}</p> : null}
    </nav>
  );
}

function ActiveFilters({ view }: { view: CatalogueSearchView }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const label = useFilterLabel(view);
  const active = FILTER_PARAMS.flatMap((param) => {
    const value = activeValue(view.query, param);
    return value === null ? [] : [{ param, value }];
  });
  if (active.length === 0) return null;
  const clearAll = Object.fromEntries([...FILTER_PARAMS, "page"].map((p) => [p, null]));
  return (
    <div className="active-filters" aria-label={t("buyerCatalogue.filter.active")} role="group">
      {active.map(({ param, value }) => (
        <span key={param} className="chip">
          <span>
            <span className="visually-hidden">{t(FILTER_NAME[param])}: </span>
            {label(param, value)}
          </span>
          <Link to={hrefFor({ [param]: null, page: null })} className="chip-remove" aria-label={t("buyerCatalogue.filter.remove", { filter: label(param, value) })} preventScrollReset>
            ×
          </Link>
        </span>
      ))}
      <Link to={hrefFor(clearAll)} className={buttonClass("ghost", "button--compact")}>
        {t("buyerCatalogue.filter.clearAll")}
      </Link>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Results

function Hit({ hit, purchasing, result }: { hit: CatalogueHitView; purchasing?: CataloguePurchasingView | undefined; result?: unknown }) {
  const { t, tPlural, locale } = useI18n();
  return (
    <li className="catalogue-hit">
      <div className="catalogue-hit-main">
        <h2 className="catalogue-hit-title">
          <Link to={`/catalogue/${hit.id}`}>{hit.title}</Link>
        </h2>
        <p className="cell-sub">
          {t("buyerCatalogue.hit.soldBy", { seller: hit.sellerName })}
          {hit.categoryPath[locale].length > 0 ? ` · ${hit.categoryPath[locale].join(" › ")}` : null}
        </p>
        <ul className="catalogue-facts">
          <li>
            <span className="visually-hidden">{t("buyerCatalogue.listing.sku")}: </span>
            <span className="mono">{hit.sku}</span>
          </li>
          <li>{t("buyerCatalogue.hit.minOrder", { count: hit.minOrderQuantity, unit: hit.unit })}</li>
          <li>{hit.leadTimeDays === 0 ? t("buyerCatalogue.leadTime.none") : tPlural("buyerCatalogue.leadTime", hit.leadTimeDays)}</li>
          <li>{hit.inStock ? <Badge tone="success">{t("buyerCatalogue.stock.in")}</Badge> : <Badge tone="warning">{t("buyerCatalogue.stock.out")}</Badge>}</li>
        </ul>
      </div>
      <div className="catalogue-hit-price">
        <BuyerPrice yourPrice={hit.yourPrice} listPrice={hit.listPrice} source={hit.priceSource} unit={hit.unit} />
        {hit.quantityForPrice > 1 ? <p className="cell-sub">{t("buyerCatalogue.price.forQuantity", { count: hit.quantityForPrice, unit: hit.unit })}</p> : null}
        {purchasing ? <HitPurchaseControls hit={hit} purchasing={purchasing} result={result} /> : null}
      </div>
    </li>
  );
}

function Results({ view, purchasing, result }: { view: CatalogueSearchView; purchasing?: CataloguePurchasingView | undefined; result?: unknown }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const filtered = Boolean(view.query.q) || FILTER_PARAMS.some((p) => activeValue(view.query, p) !== null);
  if (view.total === 0 && !filtered) {
    return (
      <div className="empty-state">
        <p className="empty-state-title">{t("buyerCatalogue.empty.title")}</p>
        <p>{t("buyerCatalogue.empty.body")}</p>
      </div>
    );
  }
  // A page beyond the last one: the pagination says so.
  if (view.hits.length === 0 && view.total > 0) return null;
  if (view.hits.length === 0) {
    const withoutFilters = hrefFor(Object.fromEntries([...FILTER_PARAMS, "page"].map((p) => [p, null])));
    return (
      <div className="empty-state">
        <p className="empty-state-title">{view.query.q ? t("buyerCatalogue.noResults.titleQuery", { q: view.query.q }) : t("buyerCatalogue.noResults.title")}</p>
        <p>{t("buyerCatalogue.noResults.body")}</p>
        {FILTER_PARAMS.some((p) => activeValue(view.query, p) !== null) ? (
          <p>
            <Link to={withoutFilters}>{t("buyerCatalogue.noResults.withoutFilters")}</Link>
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <ol className="catalogue-hits">
      {view.hits.map((hit) => (
        <Hit key={hit.id} hit={hit} purchasing={purchasing} result={result} />
      ))}
    </ol>
  );
}

/** `purchasing`: the "Add to cart" / "Add to list" controls of each result, `result` their action's answer. */
export function CatalogueSearchPage({ view, purchasing, result }: { view: CatalogueSearchView; purchasing?: CataloguePurchasingView; result?: unknown }) {
  const { t, tPlural } = useI18n();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/catalogue";
  return (
    <div className="stack">
      <PageHeader title={t("buyerCatalogue.title")} description={t("buyerCatalogue.intro")} />
      <Card>
        <SearchForm query={view.query} />
      </Card>
      <div className="catalogue-layout">
        <aside className="catalogue-aside">
          <Facets view={view} />
        </aside>
        <Card className="catalogue-results">
          <div className="catalogue-results-head">
            {/* Announced when a search as you type brings new results. */}
            <p className="table-summary" role="status" aria-live="polite">
              {searching ? t("buyerCatalogue.search.searching") : tPlural("buyerCatalogue.results", view.total)}
            </p>
            <ActiveFilters view={view} />
          </div>
          <Results view={view} purchasing={purchasing} result={result} />
          <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("buyerCatalogue.pagination")} />
        </Card>
      </div>
    </div>
  );
}
