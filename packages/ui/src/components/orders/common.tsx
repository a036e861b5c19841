import { useI18n } from "../../i18n/context";
import { isMessageKey } from "../../i18n/i18n";
import { Badge } from "../alert";

/*
 * Pieces of the approval and order pages (both apps). Client-safe: the shapes are those of
 * @souk/services' approvals and orders use cases, as the loaders pass them.
 */

/** An amount as services return it: minor units as a decimal string (JSON-safe), and the currency. */
export interface OrderMoneyView {
  amountMinor: string;
  currency: string;
}

export type ApproverRoleView = "admin" | "approver";

export const ORDER_STATUS_VALUES = ["placed", "accepted", "rejected", "shipped", "delivered", "settled", "cancelled"] as const;
/** `withdrawn`: a catalogue purchase its requester took back before anyone decided. */
export const APPROVAL_STATUS_VALUES = ["pending", "approved", "rejected", "withdrawn"] as const;

const ORDER_TONE: Record<string, "neutral" | "success" | "warning" | "danger" | "info"> = {
  placed: "info",
  accepted: "info",
  shipped: "info",
  delivered: "success",
  settled: "success",
  rejected: "danger",
  cancelled: "neutral",
};

export function OrderStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `orders.status.${status}`;
  return <Badge tone={ORDER_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

const APPROVAL_TONE: Record<string, "warning" | "success" | "danger" | "neutral"> = { pending: "warning", approved: "success", rejected: "danger", withdrawn: "neutral" };

export function ApprovalStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `approvals.status.${status}`;
  return <Badge tone={APPROVAL_TONE[status] ?? "warning"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

/** "Administrators" / "Approvers". */
export function useApproverRoleLabel(): (role: string) => string {
  const { t } = useI18n();
  return (role) => {
    const key = `approvalRoles.${role}`;
    return isMessageKey(key) ? t(key) : role;
  };
}
