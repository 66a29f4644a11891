/**
 * Propose any governed action on a model: pick the action, fill its form, review what the proposal will do (the
 * calls decoded back into the sentences `ws proposal` prints) and whether this account may propose, then file it
 * with the model's governor through a TxButton. The proposal is built by the same governance/ builders the tasks use.
 */
import { useCallback, useMemo, useState } from "react";
import { useAccount } from "wagmi";

import { modelGovernorAbi } from "../generated.ts";
import { href } from "../router.ts";
import { shortAddress } from "../format.ts";
import { TxButton } from "../tx/TxButton.tsx";
import type { Values } from "./propose/action.ts";
import { ActionFields } from "./propose/ActionFields.tsx";
import { ACTIONS, actionById } from "./propose/actions/index.ts";
import { useProposeData, type ProposeData } from "./propose/data.ts";
import { FieldError } from "./propose/fields.ts";
import { DESCRIPTION, proposerProblem, review, type Reviewed } from "./propose/review.ts";

/** The Propose page for model `modelId`. */
export default function ProposePage({ modelId }: { modelId: bigint }) {
  const data = useProposeData(modelId);
  return (
    <>
      <h1>Propose a change to model #{String(modelId)}</h1>
      <p>
        <a href={href({ page: "model", modelId })}>Back to the model</a>
      </p>
      {data.isPending && <p>Loading the model…</p>}
      {data.isError && (
        <p role="alert" className="error">
          {data.error.message}
        </p>
      )}
      {data.data !== undefined && <ProposeForm data={data.data} />}
    </>
  );
}

interface Outcome {
  key: string;
  reviewed: Reviewed;
  problem: string | null;
}

function ProposeForm({ data }: { data: ProposeData }) {
  const { ctx } = data;
  const { address, isConnected } = useAccount();
  const actions = useMemo(() => ACTIONS.filter((a) => a.available?.(ctx.deployment) ?? true), [ctx.deployment]);
  const groups = [...new Set(actions.map((a) => a.group))];
  const [actionId, setActionId] = useState(actions[0].id);
  const [values, setValues] = useState<Values>({});
  const [description, setDescription] = useState("");
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [checking, setChecking] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const [filed, setFiled] = useState<bigint | null>(null);
  const spec = actionById(actionId) ?? actions[0];
  const key = JSON.stringify([actionId, values, description, address ?? ""]);
  const current = outcome !== null && outcome.key === key ? outcome : null;

  const onChange = useCallback((name: string, value: string) => setValues((v) => ({ ...v, [name]: value })), []);

  const onReview = async (event: React.FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setError(null);
    setOutcome(null);
    setAcknowledged(false);
    setFiled(null);
    try {
      const reviewed = await review(ctx, spec, values, description, address);
      const problem = address === undefined ? null : await proposerProblem(ctx, address);
      setOutcome({ key, reviewed, problem });
    } catch (e) {
      if (e instanceof FieldError) setError({ field: e.field, message: e.message });
      else setError({ message: `Could not build the proposal: ${String((e as Error).message ?? e)}` });
    } finally {
      setChecking(false);
    }
  };

  const build = useMemo(() => {
    const p = current?.reviewed.proposal;
    return () => {
      if (p === undefined) throw new Error("Review the proposal first: nothing was sent.");
      return {
        address: ctx.model.governor,
        abi: modelGovernorAbi,
        functionName: "propose",
        args: [p.targets, p.values, p.calldatas, p.description],
      };
    };
  }, [current, ctx.model.governor]);

  const blocked =
    current === null || current.problem !== null || (current.reviewed.warnings.length > 0 && !acknowledged);

  return (
    <>
      <section aria-labelledby="who">
        <h2 id="who">Who may propose</h2>
        <p>
          Model <strong>{ctx.model.name}</strong>: proposing needs {String(data.threshold)} votes (delegated fractions).
          The proposal runs as the model&apos;s treasury ({shortAddress(ctx.model.timelock)}) if the holders pass it.
        </p>
      </section>
      <form onSubmit={(e) => void onReview(e)} noValidate>
        <h2>The proposal</h2>
        <label htmlFor="field-action">Action</label>
        <select
          id="field-action"
          value={actionId}
          onChange={(e) => {
            setActionId(e.target.value);
            setError(null);
          }}
        >
          {groups.map((group) => (
            <optgroup key={group} label={group}>
              {actions
                .filter((a) => a.group === group)
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.label}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
        <fieldset className="panel">
          <legend>{spec.label}</legend>
          {spec.fields.length === 0 && <p className="field-help">This action takes no settings.</p>}
          <ActionFields
            fields={spec.fields}
            values={values}
            onChange={onChange}
            offers={ctx.offers}
            tokens={data.tokens}
            invalid={error?.field}
            errorId="propose-error"
          />
        </fieldset>
        <label htmlFor="field-description">{DESCRIPTION.label}</label>
        <textarea
          id="field-description"
          rows={3}
          cols={60}
          value={description}
          aria-describedby={error?.field === "description" ? "propose-error description-help" : "description-help"}
          aria-invalid={error?.field === "description" || undefined}
          onChange={(e) => setDescription(e.target.value)}
        />
        <p id="description-help" className="field-help">
          What voters read first: why this change, in a sentence or two.
        </p>
        <button type="submit" disabled={checking}>
          {checking ? "Checking…" : "Review proposal"}
        </button>
      </form>
      <div aria-live="polite">
        {error !== null && (
          <p id="propose-error" role="alert" className="error">
            {error.message}
          </p>
        )}
      </div>
      {outcome !== null && current === null && (
        <p className="warn">You changed the form after reviewing it: review it again before proposing.</p>
      )}
      {current !== null && (
        <section aria-labelledby="review-heading" className="panel">
          <h2 id="review-heading">What this proposal does</h2>
          <ol>
            {current.reviewed.calls.map((c, i) => (
              <li key={i}>
                <code>{c.action}</code>: {c.summary}
              </li>
            ))}
          </ol>
          <p className="muted">
            Proposal id <code>{String(current.reviewed.proposalId)}</code>
          </p>
          {current.reviewed.warnings.length > 0 && (
            <div>
              <h3>Before you propose</h3>
              <ul>
                {current.reviewed.warnings.map((w, i) => (
                  <li key={i} className="warn">
                    Warning: {w}
                  </li>
                ))}
              </ul>
              <label htmlFor="field-acknowledge">
                <input
                  id="field-acknowledge"
                  type="checkbox"
                  checked={acknowledged}
                  onChange={(e) => setAcknowledged(e.target.checked)}
                />{" "}
                I understand; propose it anyway
              </label>
            </div>
          )}
          {current.problem !== null && (
            <p role="alert" className="error">
              {current.problem}
            </p>
          )}
          <TxButton
            label={isConnected ? "Propose" : "Connect a wallet to propose"}
            disabled={!isConnected || blocked}
            summary={[
              ...current.reviewed.calls.map((c) => c.summary),
              `file it with the governor of model #${ctx.modelId} (${shortAddress(ctx.model.governor)}) for the holders to vote on`,
            ]}
            build={build}
            success="Proposal filed"
            onDone={() => setFiled(current.reviewed.proposalId)}
          />
          {filed !== null && (
            <p className="ok">
              Proposal <code>{String(filed)}</code> is filed: it is Pending until voting opens.{" "}
              <a href={href({ page: "model", modelId: ctx.modelId })}>See it on the model&apos;s page</a>.
            </p>
          )}
        </section>
      )}
    </>
  );
}
