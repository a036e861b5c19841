import { Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { Alert, Badge } from "../alert";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { DataTable } from "../table";
import { ConversationMessages, SubjectLabel } from "./conversation-pages";
import type { ModeratedConversationRowView, ModeratedConversationView } from "./views";

function Why({ row }: { row: ModeratedConversationRowView }) {
  const { t, tPlural } = useI18n();
  return (
    <>
      {row.dispute ? <Badge tone={row.dispute.status === "open" ? "warning" : "neutral"}>{t("conversations.moderation.dispute", { status: t(`conversations.moderation.disputeStatus.${row.dispute.status}`) })}</Badge> : null}{" "}
      {row.reportCount > 0 ? <Badge tone="danger">{tPlural("conversations.moderation.reports", row.reportCount, { count: row.reportCount })}</Badge> : null}
    </>
  );
}

/** The operator's list: only threads a dispute or a report involves (moderators). */
export function ModeratedConversationsPage({ list }: { list: { items: readonly ModeratedConversationRowView[]; page: number; pageSize: number; total: number } }) {
  const { t, formatDateTime } = useI18n();
  return (
    <div className="stack">
      <PageHeader title={t("conversations.moderation.title")} description={t("conversations.moderation.intro")} />
      <Card>
        {list.items.length === 0 ? (
          <p>{t("conversations.moderation.none")}</p>
        ) : (
          <DataTable
            caption={t("conversations.moderation.title")}
            columns={[t("conversations.subject"), t("conversations.moderation.buyer"), t("conversations.moderation.seller"), t("conversations.lastMessage"), t("conversations.moderation.why")]}
            actions
          >
            {list.items.map((c) => (
              <tr key={c.id}>
                <th scope="row" className="cell-name">
                  <SubjectLabel subject={c.subject} />
                </th>
                <td>{c.buyer.name}</td>
                <td>{c.seller.name}</td>
                <td className="cell-nowrap">{formatDateTime(c.lastMessageAt)}</td>
                <td>
                  <Why row={c} />
                </td>
                <td className="cell-actions">
                  <Link to={`/conversations/${c.id}`}>{t("conversations.moderation.read")}</Link>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={list.page} pageSize={list.pageSize} total={list.total} label={t("conversations.pagination")} />
      </Card>
    </div>
  );
}

/** One thread as a moderator reads it (the read is audited): messages, files and reports. */
export function ModeratedConversationPage({ conversation }: { conversation: ModeratedConversationView }) {
  const { t, formatDateTime } = useI18n();
  return (
    <div className="stack">
      <p>
        <Link to="/conversations">← {t("conversations.moderation.back")}</Link>
      </p>
      <PageHeader
        title={t("conversations.moderation.threadTitle", { buyer: conversation.buyer.name, seller: conversation.seller.name })}
        description={t("conversations.thread.about", { kind: t(`conversations.kind.${conversation.subject.kind}`), label: conversation.subject.label })}
        actions={conversation.dispute ? <Link to={`/disputes/${conversation.dispute.id}`}>{t("conversations.moderation.openDispute")}</Link> : null}
      />
      <Alert tone="info">{t("conversations.moderation.audited")}</Alert>
      <p>
        <Why row={conversation} />
      </p>
      {conversation.reports.length > 0 ? (
        <Card title={t("conversations.moderation.reportsTitle")}>
          <ul className="stack">
            {conversation.reports.map((r) => (
              <li key={r.id}>
                <p className="muted">{t("conversations.moderation.reportBy", { name: r.reportedBy, date: formatDateTime(r.at) })}</p>
                <p className="prewrap">{r.reason}</p>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <ConversationMessages messages={conversation.messages} viewerSide={null} fileHref={(id) => `/conversations/${conversation.id}/attachments/${id}`} />
      </Card>
    </div>
  );
}
