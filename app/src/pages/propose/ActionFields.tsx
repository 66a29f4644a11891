/** The inputs of one action's form, each with its label and help, marked invalid when the last check named it. */
import { useState } from "react";

import { formatDuration } from "../../format.ts";
import type { FieldSpec, Values } from "./action.ts";
import type { Offer } from "./chain.ts";
import { fileHash } from "./documents.ts";
import type { TokenUnits } from "./fields.ts";
import { formatUnits } from "viem";

export interface ActionFieldsProps {
  fields: FieldSpec[];
  values: Values;
  onChange: (name: string, value: string) => void;
  offers: Offer[];
  tokens: ReadonlyMap<string, TokenUnits>;
  invalid?: string;
  errorId: string;
}

/** One labelled input per field. */
export function ActionFields(props: ActionFieldsProps) {
  return (
    <>
      {props.fields.map((f) => (
        <Field key={f.name} spec={f} {...props} />
      ))}
    </>
  );
}

/** How an offer reads in the menu: `Offer 1: 0.05 ETH, 30 days, on sale`. */
export function offerLabel(offer: Offer, tokens: ReadonlyMap<string, TokenUnits>): string {
  const t = offer.terms;
  const units = tokens.get(t.paymentToken.toLowerCase());
  const price = units === undefined ? `${t.price} units` : `${formatUnits(t.price, units.decimals)} ${units.symbol}`;
  return `Offer ${offer.offerId}: ${price}, ${formatDuration(t.duration)}, ${t.onSale ? "on sale" : "withdrawn"}`;
}

function Field({ spec, values, onChange, offers, tokens, invalid, errorId }: ActionFieldsProps & { spec: FieldSpec }) {
  const id = `field-${spec.name}`;
  const helpId = spec.help === undefined ? undefined : `${id}-help`;
  const isInvalid = invalid === spec.name;
  const describedBy = [helpId, isInvalid ? errorId : undefined].filter(Boolean).join(" ") || undefined;
  const value = values[spec.name] ?? spec.initial ?? "";
  const common = {
    id,
    name: spec.name,
    "aria-describedby": describedBy,
    "aria-invalid": isInvalid || undefined,
  };
  const help =
    spec.help === undefined ? null : (
      <p id={helpId} className="field-help">
        {spec.help}
      </p>
    );
  switch (spec.kind) {
    case "checkbox":
      return (
        <div>
          <label htmlFor={id}>
            <input
              {...common}
              type="checkbox"
              checked={value === "yes"}
              onChange={(e) => onChange(spec.name, e.target.checked ? "yes" : "")}
            />{" "}
            {spec.label}
          </label>
          {help}
        </div>
      );
    case "select":
      return (
        <div>
          <label htmlFor={id}>{spec.label}</label>
          <select {...common} value={value} onChange={(e) => onChange(spec.name, e.target.value)}>
            {spec.options?.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
          {help}
        </div>
      );
    case "offer":
      return (
        <div>
          <label htmlFor={id}>{spec.label}</label>
          <select {...common} value={value} onChange={(e) => onChange(spec.name, e.target.value)}>
            <option value="">Choose an offer</option>
            {offers.map((o) => (
              <option key={String(o.offerId)} value={String(o.offerId)}>
                {offerLabel(o, tokens)}
              </option>
            ))}
          </select>
          {offers.length === 0 && <p className="field-help">This model has no offers yet.</p>}
          {help}
        </div>
      );
    case "textarea":
      return (
        <div>
          <label htmlFor={id}>{spec.label}</label>
          <textarea
            {...common}
            rows={4}
            cols={60}
            value={value}
            onChange={(e) => onChange(spec.name, e.target.value)}
          />
          {help}
        </div>
      );
    case "file-hash":
      return <FileHash spec={spec} value={value} onChange={onChange} common={common} help={help} />;
    default:
      return (
        <div>
          <label htmlFor={id}>{spec.label}</label>
          <input
            {...common}
            type="text"
            size={44}
            autoComplete="off"
            value={value}
            onChange={(e) => onChange(spec.name, e.target.value)}
          />
          {help}
        </div>
      );
  }
}

/** A hash typed in, or computed from a file the user picks (it never leaves the browser). */
function FileHash(props: {
  spec: FieldSpec;
  value: string;
  onChange: (name: string, value: string) => void;
  common: Record<string, unknown>;
  help: React.ReactNode;
}) {
  const { spec, value, onChange, common, help } = props;
  const [hashed, setHashed] = useState<string | null>(null);
  const fileId = `field-${spec.name}-file`;
  return (
    <div>
      <label htmlFor={`field-${spec.name}`}>{spec.label}</label>
      <input
        {...common}
        type="text"
        size={68}
        autoComplete="off"
        placeholder="0x… (optional)"
        value={value}
        onChange={(e) => onChange(spec.name, e.target.value)}
      />
      {help}
      <label htmlFor={fileId}>Or choose the document to hash it</label>
      <input
        id={fileId}
        type="file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file === undefined) return;
          void fileHash(file).then((hash) => {
            onChange(spec.name, hash);
            setHashed(file.name);
          });
        }}
      />
      {hashed !== null && <p className="field-help">Hashed {hashed} in this browser.</p>}
    </div>
  );
}
