import { useNavigation } from "@remix-run/react";
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

function FieldMessages({ id, hint, errors }: { id: string; hint?: string | undefined; errors?: readonly string[] | undefined }) {
  return (
    <>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors && errors.length > 0 ? (
        <p className="field-error" id={`${id}-error`}>
          {errors.join(" ")}
        </p>
      ) : null}
    </>
  );
}

export interface TextFieldProps extends FieldBaseProps {
  type?: "text" | "email" | "password" | "url";
  defaultValue?: string | undefined;
  autoComplete?: string;
  autoFocus?: boolean;
  readOnly?: boolean;
  maxLength?: number;
  minLength?: number;
}

/** A labelled input whose hint and error are wired with aria-describedby and aria-invalid. */
export function TextField({ name, label, errors, hint, required, hideLabel, className, type = "text", ...input }: TextFieldProps) {
  const id = `${useId()}-${name}`;
  const invalid = Boolean(errors && errors.length > 0);
  const { t } = useI18n();
  return (
    <div className={`field${invalid ? " field--invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id} className={hideLabel ? "visually-hidden" : "field-label"}>
        {label}
        {required ? <span className="visually-hidden"> ({t("form.required")})</span> : null}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        required={required}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(hint && `${id}-hint`, invalid && `${id}-error`)}
        className="input"
        {...input}
      />
      <FieldMessages id={id} hint={hint} errors={errors} />
    </div>
  );
}

export interface SelectFieldProps extends FieldBaseProps {
  options: readonly { value: string; label: string }[];
  defaultValue?: string | undefined;
}

export function SelectField({ name, label, errors, hint, required, hideLabel, className, options, defaultValue }: SelectFieldProps) {
  const id = `${useId()}-${name}`;
  const invalid = Boolean(errors && errors.length > 0);
  return (
    <div className={`field${invalid ? " field--invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id} className={hideLabel ? "visually-hidden" : "field-label"}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        required={required}
        defaultValue={defaultValue}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(hint && `${id}-hint`, invalid && `${id}-error`)}
        className="input select"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessages id={id} hint={hint} errors={errors} />
    </div>
  );
}

type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

export function buttonClass(variant: ButtonVariant = "primary", extra?: string): string {
  return `button button--${variant}${extra ? ` ${extra}` : ""}`;
}

/**
 * A submit button that shows it is busy while its form is submitting (with JavaScript). With
 * `name`/`value` it also tells the action which intent was chosen.
 */
export function SubmitButton({
  children,
  variant = "primary",
  name,
  value,
  className,
  "aria-label": ariaLabel,
}: {
  children: ReactNode;
  variant?: ButtonVariant;
  name?: string;
  value?: string;
  className?: string;
  "aria-label"?: string;
}) {
  const navigation = useNavigation();
  const { t } = useI18n();
  const busy =
    navigation.state === "submitting" &&
    (name === undefined || navigation.formData?.get(name) === value);
  return (
    <button type="submit" name={name} value={value} className={buttonClass(variant, className)} aria-disabled={busy || undefined} aria-label={ariaLabel}>
      {busy ? t("form.submitting") : children}
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
