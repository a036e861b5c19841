import { Form, useNavigation } from "@remix-run/react";
import { useId, useRef, type ReactNode } from "react";
import { useI18n } from "../i18n/context";
import type { FormFailure } from "../types";

function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}

interface FieldBaseProps {
  name: string;
  label: string;
  errors?: readonly string[] | undefined;
  hint?: string;
  required?: boolean;
  /** Visually hide the label (it stays for screen readers), e.g. inside a table row. */
  hideLabel?: boolean;
  className?: string;
}

/** The id of a field's control and the aria attributes that tie its hint and error to it. */
function useFieldControl(name: string, hint: string | undefined, errors: readonly string[] | undefined) {
  const id = `${useId()}-${name}`;
  const invalid = Boolean(errors && errors.length > 0);
  return { id, name, "aria-invalid": invalid || undefined, "aria-describedby": describedBy(hint && `${id}-hint`, invalid && `${id}-error`) };
}

/** What every field has around its control: the label (with a note for screen readers when required), the hint and the error. */
function FieldFrame({ id, label, hint, errors, hideLabel, className, requiredNote, children }: {
  id: string;
  label: string;
  hint?: string | undefined;
  errors?: readonly string[] | undefined;
  hideLabel?: boolean | undefined;
  className?: string | undefined;
  requiredNote?: boolean | undefined;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const invalid = Boolean(errors && errors.length > 0);
  return (
    <div className={`field${invalid ? " field--invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id} className={hideLabel ? "visually-hidden" : "field-label"}>
        {label}
        {requiredNote ? <span className="visually-hidden"> ({t("form.required")})</span> : null}
      </label>
      {children}
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p className="field-error" id={`${id}-error`}>
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export interface TextFieldProps extends FieldBaseProps {
  type?: "text" | "email" | "password" | "url" | "date";
  defaultValue?: string | undefined;
  placeholder?: string;
  autoComplete?: string;
  autoFocus?: boolean;
  readOnly?: boolean;
  maxLength?: number;
  minLength?: number;
}

/** A labelled input whose hint and error are wired with aria-describedby and aria-invalid. */
export function TextField({ name, label, errors, hint, required, hideLabel, className, type = "text", ...input }: TextFieldProps) {
  const control = useFieldControl(name, hint, errors);
  return (
    <FieldFrame id={control.id} label={label} hint={hint} errors={errors} hideLabel={hideLabel} className={className} requiredNote={required}>
      <input {...control} type={type} required={required} className="input" {...input} />
    </FieldFrame>
  );
}

export interface TextAreaFieldProps extends FieldBaseProps {
  defaultValue?: string | undefined;
  autoFocus?: boolean;
  maxLength?: number;
  rows?: number;
  /** The id of the form it belongs to, when it stands elsewhere on the page. */
  form?: string;
}

/** A labelled multi-line input, wired like TextField. */
export function TextAreaField({ name, label, errors, hint, required, hideLabel, className, rows = 5, ...textarea }: TextAreaFieldProps) {
  const control = useFieldControl(name, hint, errors);
  return (
    <FieldFrame id={control.id} label={label} hint={hint} errors={errors} hideLabel={hideLabel} className={className} requiredNote={required}>
      <textarea {...control} rows={rows} required={required} className="input textarea" {...textarea} />
    </FieldFrame>
  );
}

export interface SelectFieldProps extends FieldBaseProps {
  options: readonly { value: string; label: string }[];
  defaultValue?: string | undefined;
}

export function SelectField({ name, label, errors, hint, required, hideLabel, className, options, defaultValue }: SelectFieldProps) {
  const control = useFieldControl(name, hint, errors);
  return (
    <FieldFrame id={control.id} label={label} hint={hint} errors={errors} hideLabel={hideLabel} className={className}>
      <select {...control} required={required} defaultValue={defaultValue} className="input select">
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

export function buttonClass(variant: ButtonVariant = "primary", extra?: string): string {
  return `button button--${variant}${extra ? ` ${extra}` : ""}`;
}

/**
 * A submit button that shows it is busy while its form is submitting (with JavaScript). With
 * `name`/`value` it also tells the action which intent was chosen; `form` lets it submit a form
 * that stands elsewhere on the page.
 */
export function SubmitButton({
  children,
  variant = "primary",
  name,
  value,
  form,
  className,
  "aria-label": ariaLabel,
}: {
  children: ReactNode;
  variant?: ButtonVariant;
  name?: string;
  value?: string;
  form?: string;
  className?: string;
  "aria-label"?: string;
}) {
  const navigation = useNavigation();
  const { t } = useI18n();
  const busy =
    navigation.state === "submitting" &&
    (name === undefined || navigation.formData?.get(name) === value);
  return (
    <button type="submit" name={name} value={value} form={form} className={buttonClass(variant, className)} aria-disabled={busy || undefined} aria-label={ariaLabel}>
      {busy ? t("form.submitting") : children}
    </button>
  );
}

/**
 * The button a form submits when Enter is pressed in one of its fields: browsers click the form's
 * first submit button, which in a form whose rows carry their own buttons would be a row's
 * ("Remove"). Placed first in such a form, this one makes Enter do the form's main intent instead.
 * It stays rendered (off-screen, not `display: none`, so every browser uses it) but out of the tab
 * order and of the accessibility tree: the visible button for the same intent stays where it is.
 */
export function DefaultSubmitButton({ name, value, children }: { name: string; value: string; children: ReactNode }) {
  return (
    <button type="submit" name={name} value={value} className="visually-hidden" tabIndex={-1} aria-hidden="true">
      {children}
    </button>
  );
}

/** Error of a field in a failed submission, if any. */
export function errorsOf(failure: FormFailure | null | undefined, field: string): string[] | undefined {
  return failure?.fieldErrors[field];
}

export function valueOf(failure: FormFailure | null | undefined, field: string): string | undefined {
  return failure?.values[field];
}

/**
 * A key that changes with every failed submission. Keying a form with it remounts the form, so
 * that with JavaScript it behaves like the server-rendered page without: fields hold the values the
 * server sent back, and password fields are empty again.
 */
export function useFailureKey(failure: FormFailure | null | undefined): number {
  const seen = useRef<{ failure: FormFailure | null | undefined; key: number }>({ failure, key: 0 });
  if (seen.current.failure !== failure) seen.current = { failure, key: seen.current.key + 1 };
  return seen.current.key;
}

/** The first of `fields` (in form order) that has an error: it gets the focus, so the user lands on it. */
export function firstInvalid(failure: FormFailure | null | undefined, fields: readonly string[]): string | null {
  return fields.find((f) => (failure?.fieldErrors[f]?.length ?? 0) > 0) ?? null;
}

/**
 * A one-file upload (multipart) that works without JavaScript: the file field with its error, and
 * the submit button carrying `intent`. It remounts after a refused upload so the field is emptied.
 */
export function UploadForm({
  failure,
  label,
  accept,
  intent,
  submitLabel,
  variant = "secondary",
  required,
  action,
  children,
}: {
  failure: FormFailure | null | undefined;
  label: ReactNode;
  accept: string;
  intent: string;
  submitLabel: ReactNode;
  variant?: ButtonVariant;
  required?: boolean;
  /** Another route than the page's own. */
  action?: string;
  /** Shown above the field (a form-level alert). */
  children?: ReactNode;
}) {
  const formKey = useFailureKey(failure);
  const fileId = useId();
  const fileErrors = errorsOf(failure, "file");
  return (
    <Form key={formKey} method="post" action={action} encType="multipart/form-data" className="form upload-form" preventScrollReset>
      {children}
      <div className={`field${fileErrors ? " field--invalid" : ""}`}>
        <label htmlFor={fileId} className="field-label">
          {label}
        </label>
        <input
          id={fileId}
          type="file"
          name="file"
          accept={accept}
          required={required}
          className="input file-input"
          autoFocus={Boolean(fileErrors)}
          aria-invalid={fileErrors ? true : undefined}
          aria-describedby={fileErrors ? `${fileId}-error` : undefined}
        />
        {fileErrors ? (
          <p className="field-error" id={`${fileId}-error`}>
            {fileErrors.join(" ")}
          </p>
        ) : null}
      </div>
      <div className="upload-submit">
        <SubmitButton name="intent" value={intent} variant={variant}>
          {submitLabel}
        </SubmitButton>
      </div>
    </Form>
  );
}
