import { Link, useRouteLoaderData } from "@remix-run/react";
import { can } from "@souk/domain";
import { useI18n } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import type { AppKind, LayoutData } from "../../types";
import { newConversationHref, type ConversationSubjectKind } from "./views";

/**
 * "Message the seller / buyer" from a listing, RFQ or order page: the link to the thread about it
 * (the "new message" page goes to the existing thread if there is one). Shown only to members who
 * may write in threads (the layout's role); the services check again.
 */
export function MessageLink({ app, subject, label, params }: { app: AppKind; subject: { kind: ConversationSubjectKind; id: string; sellerId?: string }; label: MessageKey; params?: Record<string, string> }) {
  const { t } = useI18n();
  const layout = useRouteLoaderData("root") as LayoutData | undefined;
  const role = layout?.organizations.find((o) => o.id === layout.activeOrganizationId)?.role;
  if (!role || app === "operator" || !can(app, role, "write:conversations:org")) return null;
  return (
    <Link to={newConversationHref(subject)} className="button button--secondary button--compact">
      {t(label, params)}
    </Link>
  );
}
