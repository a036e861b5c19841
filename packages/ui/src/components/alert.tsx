import type { ReactNode } from "react";

export type AlertTone = "info" | "success" | "warning" | "error";

/**
 * A message box. Errors use role="alert" so screen readers announce them when a form comes back
 * with a problem; the other tones are polite status messages.
 */
export function Alert({ tone = "info", title, children, id }: { tone?: AlertTone; title?: ReactNode; children?: ReactNode; id?: string }) {
  return (
    <div className={`alert alert--${tone}`} role={tone === "error" ? "alert" : "status"} id={id}>
      <div className="alert-body">
        {title ? <p className="alert-title">{title}</p> : null}
        {children ? <div className="alert-text">{children}</div> : null}
      </div>
    </div>
  );
}

export function Badge({ tone = "neutral", children }: { tone?: "neutral" | "success" | "warning" | "danger" | "info"; children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}
