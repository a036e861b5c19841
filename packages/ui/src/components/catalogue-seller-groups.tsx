import { Form, Link } from "@remix-run/react";
import { useI18n } from "../i18n/context";
import { Alert } from "./alert";
import { SellerBackLink, SellerConfirmDelete, SellerFormError, sellerFailureOf } from "./catalogue-seller-common";
import { buttonClass, errorsOf, SubmitButton, TextField, useFailureKey, valueOf } from "./form";
import { Card, PageHeader } from "./layout";
import { DataTable } from "./table";

/*
 * The seller's customer groups: buyer organisations it groups to show them restricted listings and
 * to assign them price lists. The shapes are those of @souk/services' listCustomerGroups,
 * getCustomerGroup and findBuyersForGroup.
 */

export interface SellerCustomerGroupRowView {
  id: string;
  name: string;
  memberCount: number;
  listingCount: number;
}

export interface SellerCustomerGroupView {
  id: string;
  name: string;
  /** `active` false: the buyer organisation is suspended or closed, and sees nothing of the seller's meanwhile. */
  members: readonly { buyerId: string; name: string; active: boolean }[];
}

/** The buyer search of the group page (a GET form): what was typed, what it found, what was wrong with it. */
export interface SellerBuyerSearchView {
  email: string;
  /** Null when nothing was searched (or the e-mail was refused). */
  buyers: readonly { buyerId: string; name: string }[] | null;
  errors: readonly string[];
}

export const SELLER_GROUP_INTENT = {
  create: "create",
  rename: "rename",
  addMember: "add-member",
  removeMember: "remove-member",
} as const;

export function SellerCustomerGroupsPage({ groups, result }: { groups: readonly SellerCustomerGroupRowView[]; result: unknown }) {
  const { t } = useI18n();
  const failure = sellerFailureOf(result, [SELLER_GROUP_INTENT.create]);
  const formKey = useFailureKey(failure);
  return (
    <div className="stack">
      <PageHeader title={t("sellerGroups.title")} description={t("sellerGroups.intro")} />
      <Card>
        {groups.length === 0 ? (
          <p className="empty-state">{t("sellerGroups.empty")}</p>
        ) : (
          <DataTable caption={t("sellerGroups.table.caption")} columns={[t("sellerGroups.table.name"), t("sellerGroups.table.members"), t("sellerGroups.table.listings")]}>
            {groups.map((g) => (
              <tr key={g.id}>
                <th scope="row" className="cell-name">
                  <Link to={`/customer-groups/${g.id}`}>{g.name}</Link>
                </th>
                <td>{g.memberCount}</td>
                <td>{g.listingCount}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      <Card title={t("sellerGroups.create.title")}>
        <SellerFormError failure={failure} />
        <Form key={formKey} method="post" className="form form--narrow" noValidate>
          <input type="hidden" name="intent" value={SELLER_GROUP_INTENT.create} />
          <TextField name="name" label={t("sellerGroups.field.name")} hint={t("sellerGroups.field.nameHint")} required maxLength={100} autoFocus={Boolean(errorsOf(failure, "name"))} defaultValue={valueOf(failure, "name")} errors={errorsOf(failure, "name")} />
          <div className="button-row">
            <SubmitButton>{t("sellerGroups.create.submit")}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}

function FindBuyers({ group, search, failure }: { group: SellerCustomerGroupView; search: SellerBuyerSearchView; failure: ReturnType<typeof sellerFailureOf> }) {
  const { t } = useI18n();
  const members = new Set(group.members.map((m) => m.buyerId));
  return (
    <Card title={t("sellerGroups.add.title")} id="add">
      <p className="muted">{t("sellerGroups.add.intro")}</p>
      {failure ? <Alert tone="error">{failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ")}</Alert> : null}
      {/* A GET form: the search has its own URL and runs without JavaScript. */}
      <Form method="get" className="inline-form" key={search.email} preventScrollReset>
        <TextField name="email" type="email" label={t("sellerGroups.add.email")} defaultValue={search.email} maxLength={254} errors={search.errors.length > 0 ? search.errors : undefined} autoComplete="off" />
        <div className="upload-submit">
          <button type="submit" className={buttonClass("secondary")}>
            {t("sellerGroups.add.find")}
          </button>
        </div>
      </Form>
      {search.buyers === null ? null : search.buyers.length === 0 ? (
        <p>{t("sellerGroups.add.none", { email: search.email })}</p>
      ) : (
        <DataTable caption={t("sellerGroups.add.caption", { email: search.email })} columns={[t("sellerGroups.table.buyer")]} actions>
          {search.buyers.map((b) => (
            <tr key={b.buyerId}>
              <th scope="row" className="cell-name">
                {b.name}
              </th>
              <td className="cell-actions">
                {members.has(b.buyerId) ? (
                  <span className="muted">{t("sellerGroups.add.already")}</span>
                ) : (
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="buyerId" value={b.buyerId} />
                    <SubmitButton name="intent" value={SELLER_GROUP_INTENT.addMember} className="button--compact" aria-label={t("sellerGroups.add.buttonLabel", { name: b.name })}>
                      {t("sellerGroups.add.button")}
                    </SubmitButton>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

/** One group: rename it, its members (remove), find a buyer by a contact's e-mail and add it, delete it. */
export function SellerCustomerGroupPage({ group, search, result }: { group: SellerCustomerGroupView; search: SellerBuyerSearchView; result: unknown }) {
  const { t } = useI18n();
  const renameFailure = sellerFailureOf(result, [SELLER_GROUP_INTENT.rename]);
  const memberFailure = sellerFailureOf(result, [SELLER_GROUP_INTENT.removeMember]);
  const addFailure = sellerFailureOf(result, [SELLER_GROUP_INTENT.addMember]);
  const formKey = useFailureKey(renameFailure);
  return (
    <div className="stack">
      <SellerBackLink to="/customer-groups">{t("sellerGroups.back")}</SellerBackLink>
      <PageHeader
        title={group.name}
        description={t("sellerGroups.detail.intro")}
        actions={
          <Link to={`/customer-groups/${group.id}/delete`} className={buttonClass("danger")}>
            {t("sellerGroups.delete.button")}
          </Link>
        }
      />
      <Card title={t("sellerGroups.members.title")} id="members">
        {memberFailure ? <Alert tone="error">{memberFailure.formError ?? Object.values(memberFailure.fieldErrors).flat().join(" ")}</Alert> : null}
        {group.members.length === 0 ? (
          <p className="empty-state">{t("sellerGroups.members.empty")}</p>
        ) : (
          <DataTable caption={t("sellerGroups.members.caption")} columns={[t("sellerGroups.table.buyer")]} actions>
            {group.members.map((m) => (
              <tr key={m.buyerId}>
                <th scope="row" className="cell-name">
                  {m.name}
                  {m.active ? null : <span className="cell-sub">{t("sellerGroups.members.inactive")}</span>}
                </th>
                <td className="cell-actions">
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="buyerId" value={m.buyerId} />
                    <SubmitButton
                      variant="ghost"
                      name="intent"
                      value={SELLER_GROUP_INTENT.removeMember}
                      className="button--compact button--danger-text"
                      aria-label={t("sellerGroups.members.removeLabel", { name: m.name })}
                    >
                      {t("sellerGroups.members.remove")}
                    </SubmitButton>
                  </Form>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      <FindBuyers group={group} search={search} failure={addFailure} />
      <Card title={t("sellerGroups.rename.title")}>
        <SellerFormError failure={renameFailure} />
        <Form key={formKey} method="post" className="form form--narrow" noValidate>
          <input type="hidden" name="intent" value={SELLER_GROUP_INTENT.rename} />
          <TextField name="name" label={t("sellerGroups.field.name")} required maxLength={100} autoFocus={Boolean(errorsOf(renameFailure, "name"))} defaultValue={valueOf(renameFailure, "name") ?? group.name} errors={errorsOf(renameFailure, "name")} />
          <div className="button-row">
            <SubmitButton>{t("sellerGroups.rename.submit")}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}

export function SellerCustomerGroupDeletePage({ group, result }: { group: SellerCustomerGroupRowView; result: unknown }) {
  const { t } = useI18n();
  return (
    <SellerConfirmDelete
      title={t("sellerGroups.delete.title", { name: group.name })}
      confirm={t("sellerGroups.delete.confirm")}
      cancel={t("sellerGroups.delete.cancel")}
      cancelTo={`/customer-groups/${group.id}`}
      result={result}
    >
      <p>{t("sellerGroups.delete.body", { members: group.memberCount })}</p>
      {group.listingCount > 0 ? <Alert tone="warning">{t("sellerGroups.delete.listings", { count: group.listingCount })}</Alert> : null}
    </SellerConfirmDelete>
  );
}
