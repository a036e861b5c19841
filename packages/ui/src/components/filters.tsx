import { Form, Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/context";
import { Alert } from "./alert";
import { buttonClass, TextField } from "./form";
import { Card } from "./layout";

/** A list page's filters as the URL gave them, and the message of each one the service refused (translated). */
export interface ListFilterState {
  filters: Readonly<Record<string, string>>;
  filterErrors: Readonly<Record<string, string[]>>;
}

/**
 * The filters of a list page: a GET form (each filtered list has its own URL, and works without
 * JavaScript) with apply and clear, and above it the filters the service refused (each field also
 * shows its own error).
 */
export function FilterPanel({ labels, className, clearTo, filterErrors, children }: {
  labels: { form: string; ignored: string; apply: string; clear: string };
  className?: string;
  clearTo: string;
  filterErrors: ListFilterState["filterErrors"];
  children: ReactNode;
}) {
  const location = useLocation();
  return (
    <Card>
      {Object.keys(filterErrors).length > 0 ? (
        <Alert tone="warning" title={labels.ignored}>
          <ul className="plain-list">
            {[...new Set(Object.values(filterErrors).flat())].map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {/* Keyed by the query: with JavaScript, a navigation to other filters shows their values. */}
      <Form key={location.search} method="get" className={`filter-form${className ? ` ${className}` : ""}`} aria-label={labels.form}>
        {children}
        <div className="filter-actions">
          <button type="submit" className={buttonClass("primary")}>
            {labels.apply}
          </button>
          <Link to={clearTo} className={buttonClass("ghost")}>
            {labels.clear}
          </Link>
        </div>
      </Form>
    </Card>
  );
}

/** A day picker (`<input type="date">` sends YYYY-MM-DD; older browsers show a text box that takes the same). */
export function DateField({ name, label, value, errors }: { name: string; label: string; value: string | undefined; errors?: readonly string[] | undefined }) {
  const { t } = useI18n();
  return <TextField name={name} label={label} type="date" defaultValue={value ?? ""} placeholder={t("review.filter.datePlaceholder")} errors={errors} />;
}
