/** The wizard's three form steps: name and metadata, the first holders, the governance settings. */
import type { ReactNode } from "react";

import { FIELDS, memberFields, type Draft } from "./draft.ts";
import type { Named } from "../propose/fields.ts";
import { fileHash } from "../propose/documents.ts";

export interface StepProps {
  draft: Draft;
  set: (change: Partial<Draft>) => void;
  invalid?: string;
}

const ERROR_ID = "register-error";

/** A labelled text input bound to the draft. */
function Text(props: {
  field: Named;
  value: string;
  onChange: (v: string) => void;
  invalid?: string;
  help?: ReactNode;
  size?: number;
  placeholder?: string;
}) {
  const id = `field-${props.field.name}`;
  const bad = props.invalid === props.field.name;
  const described = [props.help === undefined ? undefined : `${id}-help`, bad ? ERROR_ID : undefined]
    .filter(Boolean)
    .join(" ");
  return (
    <div>
      <label htmlFor={id}>{props.field.label}</label>
      <input
        id={id}
        type="text"
        autoComplete="off"
        size={props.size ?? 44}
        placeholder={props.placeholder}
        value={props.value}
        aria-invalid={bad || undefined}
        aria-describedby={described || undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.help !== undefined && (
        <p id={`${id}-help`} className="field-help">
          {props.help}
        </p>
      )}
    </div>
  );
}

/** Step 1: name, symbol, metadata URI and its content hash. */
export function BasicsStep({ draft, set, invalid }: StepProps) {
  return (
    <>
      <Text field={FIELDS.name} value={draft.name} onChange={(name) => set({ name })} invalid={invalid} />
      <Text
        field={FIELDS.symbol}
        value={draft.symbol}
        onChange={(symbol) => set({ symbol })}
        invalid={invalid}
        size={10}
        help="A short ticker for the model's fractions."
      />
      <Text
        field={FIELDS.metadataURI}
        value={draft.metadataURI}
        onChange={(metadataURI) => set({ metadataURI })}
        invalid={invalid}
        help="The model card (ipfs://… or https://…); optional, and a vote can change it later."
      />
      <Text
        field={FIELDS.contentHash}
        value={draft.contentHash}
        onChange={(contentHash) => set({ contentHash })}
        invalid={invalid}
        size={68}
        placeholder="0x… (optional)"
        help="keccak256 of the metadata document: read from the URI when this browser can, or choose the file below."
      />
      <label htmlFor="field-metadata-file">Or choose the metadata document to hash it</label>
      <input
        id="field-metadata-file"
        type="file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file !== undefined) void fileHash(file).then((contentHash) => set({ contentHash }));
        }}
      />
    </>
  );
}

/** Step 2: the members and the fractions each receives. */
export function MembersStep({ draft, set, invalid }: StepProps) {
  const update = (i: number, change: Partial<Draft["members"][number]>) =>
    set({ members: draft.members.map((m, j) => (j === i ? { ...m, ...change } : m)) });
  return (
    <>
      <p className="field-help">
        Each member receives fractions (votes and a share of the holders&apos; revenue). Every address once.
      </p>
      <ol className="members">
        {draft.members.map((m, i) => {
          const f = memberFields(i);
          return (
            <li key={i} className="row">
              <Text
                field={f.account}
                value={m.account}
                onChange={(account) => update(i, { account })}
                invalid={invalid}
              />
              <Text
                field={f.amount}
                value={m.amount}
                onChange={(amount) => update(i, { amount })}
                invalid={invalid}
                size={12}
              />
              {draft.members.length > 1 && (
                <button type="button" onClick={() => set({ members: draft.members.filter((_, j) => j !== i) })}>
                  Remove member {i + 1}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => set({ members: [...draft.members, { account: "", amount: "" }] })}>
        Add a member
      </button>
    </>
  );
}

/** Step 3: the governance settings, pre-filled with `ws register`'s defaults. */
export function GovernanceStep({ draft, set, invalid, defaultThreshold }: StepProps & { defaultThreshold: bigint }) {
  const f = FIELDS;
  return (
    <>
      <p className="field-help">
        Defaults as <code>ws register</code> applies them. Times take their unit: 3d, 12h, 90m, 3600s.
      </p>
      <Text
        field={f.votingDelay}
        value={draft.votingDelay}
        onChange={(votingDelay) => set({ votingDelay })}
        invalid={invalid}
        size={10}
        help="From a proposal to the opening of its vote (at most 30 days)."
      />
      <Text
        field={f.votingPeriod}
        value={draft.votingPeriod}
        onChange={(votingPeriod) => set({ votingPeriod })}
        invalid={invalid}
        size={10}
        help="How long a vote lasts (1 hour to 90 days)."
      />
      <Text
        field={f.proposalThreshold}
        value={draft.proposalThreshold}
        onChange={(proposalThreshold) => set({ proposalThreshold })}
        invalid={invalid}
        size={12}
        placeholder={String(defaultThreshold)}
        help={`Votes needed to propose; empty is 1% of the fractions (${defaultThreshold}).`}
      />
      <Text
        field={f.quorumNumerator}
        value={draft.quorumNumerator}
        onChange={(quorumNumerator) => set({ quorumNumerator })}
        invalid={invalid}
        size={6}
        help="Percent of the votes that must take part (1 to 100)."
      />
      <Text
        field={f.lateQuorumExtension}
        value={draft.lateQuorumExtension}
        onChange={(lateQuorumExtension) => set({ lateQuorumExtension })}
        invalid={invalid}
        size={10}
        help="How long a vote is extended when quorum is reached late (at most the voting period)."
      />
      <Text
        field={f.timelockDelay}
        value={draft.timelockDelay}
        onChange={(timelockDelay) => set({ timelockDelay })}
        invalid={invalid}
        size={10}
        help="From a passed vote to its execution (1 hour to 30 days)."
      />
      <Text
        field={f.guardian}
        value={draft.guardian}
        onChange={(guardian) => set({ guardian })}
        invalid={invalid}
        help="May cancel proposals; empty for none."
      />
    </>
  );
}
