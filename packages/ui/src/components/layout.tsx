import type { ReactNode } from "react";

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description ? <p className="lead">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Card({ title, children, footer, headingLevel = 2, className, id }: { title?: ReactNode; children: ReactNode; footer?: ReactNode; headingLevel?: 2 | 3; className?: string; id?: string }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className={`card${className ? ` ${className}` : ""}`} id={id}>
      {title ? <Heading className="card-title">{title}</Heading> : null}
      <div className="card-body">{children}</div>
      {footer ? <div className="card-footer">{footer}</div> : null}
    </section>
  );
}

/** The narrow centred column of sign-in, sign-up and invitation pages. */
export function AuthLayout({ title, intro, children, footer }: { title: ReactNode; intro?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="auth-layout">
      <section className="card auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{title}</h1>
        {intro ? <p className="lead">{intro}</p> : null}
        {children}
      </section>
      {footer ? <p className="auth-footer">{footer}</p> : null}
    </div>
  );
}
