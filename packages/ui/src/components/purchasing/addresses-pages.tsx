import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isFormFailure, type FormFailure } from "../../types";
import { Alert, Badge } from "../alert";
import { SellerBackLink, SellerConfirmDelete, SellerFormError } from "../catalogue-seller-common";
import { errorsOf, SubmitButton, TextField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";
import { AddressLines, failureFor, PURCHASING_INTENT, type AddressPageView } from "./common";

/** The organisation's address book (listAddresses, saveAddress, makeDefaultAddress, deleteAddress). */

export interface AddressBookPageView {
  items: readonly AddressPageView[];
  canManage: boolean;
  max: number;
}

function AddressFields({ failure, address }: { failure: FormFailure | null; address: AddressPageView | null }) {
  const { t } = useI18n();
  const value = (field: keyof AddressPageView & string) => valueOf(failure, field) ?? (address ? String(address[field]) : undefined);
  return (
    <div className="form-grid">
      <TextField name="label" label={t("addresses.field.label")} hint={t("addresses.field.labelHint")} required maxLength={100} defaultValue={value("label")} errors={errorsOf(failure, "label")} />
      <TextField name="recipient" label={t("addresses.field.recipient")} required maxLength={200} defaultValue={value("recipient")} errors={errorsOf(failure, "recipient")} autoComplete="name" />
      <TextField name="line1" label={t("addresses.field.line1")} required maxLength={200} defaultValue={value("line1")} errors={errorsOf(failure, "line1")} autoComplete="address-line1" />
      <TextField name="line2" label={t("addresses.field.line2")} maxLength={200} defaultValue={value("line2")} errors={errorsOf(failure, "line2")} autoComplete="address-line2" />
      <TextField name="postalCode" label={t("addresses.field.postalCode")} required maxLength={20} defaultValue={value("postalCode")} errors={errorsOf(failure, "postalCode")} autoComplete="postal-code" />
      <TextField name="city" label={t("addresses.field.city")} required maxLength={100} defaultValue={value("city")} errors={errorsOf(failure, "city")} autoComplete="address-level2" />
      <TextField name="country" label={t("addresses.field.country")} hint={t("addresses.field.countryHint")} required maxLength={2} defaultValue={value("country")} errors={errorsOf(failure, "country")} autoComplete="country" />
      <label className="checkbox">
        <input type="checkbox" name="makeDefault" value="on" defaultChecked={(valueOf(failure, "makeDefault") ?? "") !== "" || Boolean(address?.isDefault)} />
        <span>{t("addresses.field.makeDefault")}</span>
      </label>
    </div>
  );
}

export function AddressesPage({ book, result }: { book: AddressBookPageView; result: unknown }) {
  const { t } = useI18n();
  const createFailure = failureFor(result, [PURCHASING_INTENT.create]);
  const defaultFailure = failureFor(result, [PURCHASING_INTENT.makeDefault]);
  const formKey = useFailureKey(createFailure);
  return (
    <div className="stack">
      <PageHeader title={t("addresses.title")} description={t("addresses.intro")} />
      <Card>
        {/* The address is a hidden field of the row's button: its error is shown here. */}
        {defaultFailure ? errorsOf(defaultFailure, "addressId") ? <Alert tone="error">{errorsOf(defaultFailure, "addressId")?.join(" ")}</Alert> : <SellerFormError failure={defaultFailure} /> : null}
        {book.items.length === 0 ? (
          <p className="empty-state">{t("addresses.empty")}</p>
        ) : (
          <DataTable caption={t("addresses.table.caption")} columns={[t("addresses.table.address"), t("addresses.table.default")]} actions={book.canManage}>
            {book.items.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <AddressLines address={a} />
                </th>
                <td>{a.isDefault ? <Badge tone="success">{t("addresses.default")}</Badge> : null}</td>
                {book.canManage ? (
                  <td className="cell-actions">
                    <Link to={`/addresses/${a.id}`} className="button button--ghost button--compact" aria-label={t("addresses.editLabel", { label: a.label })}>
                      {t("addresses.edit")}
                    </Link>
                    {!a.isDefault ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="addressId" value={a.id} />
                        <SubmitButton name="intent" value={PURCHASING_INTENT.makeDefault} variant="ghost" className="button--compact" aria-label={t("addresses.makeDefaultLabel", { label: a.label })}>
                          {t("addresses.makeDefault")}
                        </SubmitButton>
                      </Form>
                    ) : null}
                    <Link to={`/addresses/${a.id}/delete`} className="button button--ghost button--compact button--danger-text" aria-label={t("addresses.deleteLabel", { label: a.label })}>
                      {t("addresses.delete")}
                    </Link>
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      {book.canManage ? (
        <Card title={t("addresses.add.title")}>
          <SellerFormError failure={createFailure} />
          <Form key={formKey} method="post" className="form" noValidate>
            <AddressFields failure={createFailure} address={null} />
            <div className="button-row">
              <SubmitButton name="intent" value={PURCHASING_INTENT.create}>
                {t("addresses.add.submit")}
              </SubmitButton>
            </div>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}

export function AddressEditPage({ address, result }: { address: AddressPageView; result: unknown }) {
  const { t } = useI18n();
  const failure = isFormFailure(result) ? result : null;
  const formKey = useFailureKey(failure);
  return (
    <div className="stack">
      <SellerBackLink to="/addresses">{t("addresses.back")}</SellerBackLink>
      <PageHeader title={t("addresses.editTitle", { label: address.label })} description={t("addresses.editIntro")} />
      <Card>
        <SellerFormError failure={failure} />
        <Form key={formKey} method="post" className="form" noValidate>
          <AddressFields failure={failure} address={address} />
          <div className="button-row">
            <SubmitButton>{t("addresses.save")}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}

export function AddressDeletePage({ address, result }: { address: AddressPageView; result: unknown }) {
  const { t } = useI18n();
  return (
    <div className="stack">
      <SellerBackLink to="/addresses">{t("addresses.back")}</SellerBackLink>
      <SellerConfirmDelete title={t("addresses.deleteTitle", { label: address.label })} confirm={t("addresses.deleteConfirm")} cancel={t("addresses.deleteCancel")} cancelTo="/addresses" result={result}>
        <AddressLines address={address} />
        <p>{t("addresses.deleteBody")}</p>
      </SellerConfirmDelete>
    </div>
  );
}
