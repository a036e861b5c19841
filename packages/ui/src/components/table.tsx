import type { ReactNode } from "react";
import { useI18n } from "../i18n/context";

/**
 * A data table as every list page draws it: scrollable on narrow screens, a caption for screen
 * readers, column headers scoped to their columns and, with `actions`, a last column whose header
 * only screen readers hear. The rows come as children (the body of the table).
 */
export function DataTable({ caption, columns, actions = false, className, children }: {
  caption: string;
  columns: readonly string[];
  actions?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table className={`table${className ? ` ${className}` : ""}`}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((label, index) => (
              <th key={index} scope="col">
                {label}
              </th>
            ))}
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">{t("members.table.actions")}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
