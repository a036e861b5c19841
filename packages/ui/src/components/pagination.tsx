import { Link, useLocation } from "@remix-run/react";
import { useI18n } from "../i18n/context";

/** The current URL with `changes` applied to its query (a null value removes the parameter). */
export function useQueryHref(): (changes: Record<string, string | null>) => string {
  const location = useLocation();
  return (changes) => {
    const params = new URLSearchParams(location.search);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === "") params.delete(name);
      else params.set(name, value);
    }
    const query = params.toString();
    return `${location.pathname}${query ? `?${query}` : ""}`;
  };
}

/**
 * "21–40 of 95" with previous and next links that keep the current filters. Plain links: paging
 * works without JavaScript, and each page has its own URL.
 */
export function Pagination({ page, pageSize, total, label }: { page: number; pageSize: number; total: number; label: string }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total === 0) return null;
  const first = Math.min((page - 1) * pageSize + 1, total);
  const last = Math.min(page * pageSize, total);
  return (
    <nav className="pagination" aria-label={label}>
      <p className="pagination-status">{page > pages ? t("pagination.beyond", { pages }) : t("pagination.range", { first, last, total })}</p>
      <div className="pagination-links">
        {page > 1 ? (
          <Link to={hrefFor({ page: page - 1 === 1 ? null : String(Math.min(page - 1, pages)) })} className="button button--secondary button--compact" rel="prev">
            {t("pagination.previous")}
          </Link>
        ) : null}
        <span className="pagination-page">{t("pagination.page", { page: Math.min(page, pages), pages })}</span>
        {page < pages ? (
          <Link to={hrefFor({ page: String(page + 1) })} className="button button--secondary button--compact" rel="next">
            {t("pagination.next")}
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
