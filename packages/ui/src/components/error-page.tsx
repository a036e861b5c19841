import { useI18n } from "../i18n/context";
import type { MessageKey } from "../i18n/i18n";
import { buttonClass } from "./form";

const KNOWN = new Set([403, 404, 410, 500]);

/** The body of the 403/404/410/500 pages; other statuses read as the closest family. */
export function ErrorPage({ status, homeHref = "/", detail }: { status: number; homeHref?: string; detail?: string | null }) {
  const { t } = useI18n();
  const family = KNOWN.has(status) ? status : status === 401 ? 403 : status >= 500 ? 500 : 404;
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">{t("error.status", { status })}</p>
      <h1 id="error-title">{t(`error.${family}.title` as MessageKey)}</h1>
      <p className="lead">{detail ?? t(`error.${family}.body` as MessageKey)}</p>
      <p>
        <a href={homeHref} className={buttonClass("primary")}>
          {t("error.backHome")}
        </a>
      </p>
    </section>
  );
}
