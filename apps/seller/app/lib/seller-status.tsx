import { Alert, useI18n } from "@souk/ui";
import type { ReactNode } from "react";

/** What a seller is told about its organisation's state, on the dashboard and the application page. */
export function SellerStatusAlert({ name, status, pending }: { name: string; status: string; pending: ReactNode }) {
  const { t } = useI18n();
  switch (status) {
    case "pending":
      return (
        <Alert tone="info" title={t("dashboard.seller.pendingTitle")}>
          {pending}
        </Alert>
      );
    case "active":
      return (
        <Alert tone="success" title={t("dashboard.seller.activeTitle")}>
          {t("dashboard.seller.active")}
        </Alert>
      );
    case "rejected":
      return (
        <Alert tone="error" title={t("dashboard.seller.rejectedTitle")}>
          {t("dashboard.seller.rejected", { organization: name })}
        </Alert>
      );
    default:
      return (
        <Alert tone="warning" title={t("dashboard.suspendedTitle")}>
          {t("dashboard.suspended", { organization: name })}
        </Alert>
      );
  }
}
