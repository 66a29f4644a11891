/**
 * Register a model (a short wizard, as `ws register` does from a members file): 1. name and metadata, 2. the first
 * holders and their fractions, 3. governance settings (defaults shown), then a review and one transaction to
 * `ModelRegistry.registerModel`. Each step is checked before the next, naming the bad field; nothing typed is lost
 * going back, on a rejection or a revert. On success the page links to the new model.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { useAccount, useConfig } from "wagmi";
import { readContract } from "wagmi/actions";

import { useAppConfig } from "../context.tsx";
import { modelRegistryAbi } from "../generated.ts";
import { href } from "../router.ts";
import { TxButton } from "../tx/TxButton.tsx";
import { FieldError } from "./propose/fields.ts";
import {
  checkAll,
  checkBasics,
  checkGovernance,
  checkMembers,
  consortiumThreshold,
  newDraft,
  supplyOf,
  type Draft,
} from "./register/draft.ts";
import { Review, summaryLines, type Checked } from "./register/Review.tsx";
import { BasicsStep, GovernanceStep, MembersStep } from "./register/Steps.tsx";

const STEPS = ["Name and metadata", "First holders", "Governance", "Review"];

/** The registration wizard. */
export default function RegisterPage() {
  const { address, isConnected } = useAccount();
  const wagmi = useConfig();
  const config = useAppConfig();
  const [draft, setDraft] = useState<Draft>(() => newDraft(address));
  const [step, setStep] = useState(0);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [busy, setBusy] = useState(false);
  const [registered, setRegistered] = useState<bigint | null>(null);
  const predicted = useRef<{ modelId: bigint; governor: Address } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [step]);
  // The connected account as the first member, unless one was typed already.
  useEffect(() => {
    if (address !== undefined) {
      setDraft((d) =>
        d.members[0]?.account === ""
          ? { ...d, members: [{ ...d.members[0], account: address }, ...d.members.slice(1)] }
          : d,
      );
    }
  }, [address]);

  const set = useCallback((change: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setChecked(null);
  }, []);

  const supply = (() => {
    try {
      return supplyOf(checkMembers(draft));
    } catch {
      return 0n;
    }
  })();

  const next = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (step === 0) await checkBasics(draft);
      if (step === 1) checkMembers(draft);
      if (step === 2) {
        checkGovernance(draft, supplyOf(checkMembers(draft)));
        setChecked(await checkAll(draft));
      }
      setStep(step + 1);
    } catch (e) {
      if (e instanceof FieldError) setError({ field: e.field, message: e.message });
      else setError({ message: String((e as Error).message ?? e) });
    } finally {
      setBusy(false);
    }
  };

  const build = useCallback(async () => {
    if (checked === null || address === undefined) throw new Error("Review the registration first: nothing was sent.");
    // Where the registry will put this account's next model: its governor is deterministic, so the new model is found
    // by it once mined, whoever else registers meanwhile.
    const [modelId, , governor] = (await readContract(wagmi, {
      address: config.deployment.registry,
      abi: modelRegistryAbi,
      functionName: "predictAddresses",
      args: [address],
      chainId: config.chainId,
    })) as readonly [bigint, Address, Address, Address];
    predicted.current = { modelId, governor };
    return {
      address: config.deployment.registry,
      abi: modelRegistryAbi,
      functionName: "registerModel",
      args: [checked.args],
    };
  }, [address, checked, config, wagmi]);

  const onDone = useCallback(async () => {
    const p = predicted.current;
    if (p === null) return;
    const count = (await readContract(wagmi, {
      address: config.deployment.registry,
      abi: modelRegistryAbi,
      functionName: "modelCount",
      chainId: config.chainId,
    })) as bigint;
    for (let id = p.modelId; id <= count; id++) {
      const record = (await readContract(wagmi, {
        address: config.deployment.registry,
        abi: modelRegistryAbi,
        functionName: "model",
        args: [id],
        chainId: config.chainId,
      })) as { governor: Address };
      if (record.governor.toLowerCase() === p.governor.toLowerCase()) {
        setRegistered(id);
        return;
      }
    }
  }, [config, wagmi]);

  return (
    <>
      <h1>Register a model</h1>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((name, i) => (
          <li key={name} aria-current={i === step ? "step" : undefined}>
            {i === step ? <strong>{name}</strong> : name}
          </li>
        ))}
      </ol>
      <form onSubmit={(e) => void next(e)} noValidate>
        <h2 ref={heading} tabIndex={-1}>
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </h2>
        {step === 0 && <BasicsStep draft={draft} set={set} invalid={error?.field} />}
        {step === 1 && <MembersStep draft={draft} set={set} invalid={error?.field} />}
        {step === 2 && (
          <GovernanceStep
            draft={draft}
            set={set}
            invalid={error?.field}
            defaultThreshold={consortiumThreshold(supply)}
          />
        )}
        {step === 3 && checked !== null && <Review checked={checked} />}
        <div aria-live="polite">
          {error !== null && (
            <p id="register-error" role="alert" className="error">
              {error.message}
            </p>
          )}
        </div>
        <div className="row">
          {step > 0 && (
            <button type="button" onClick={() => (setError(null), setStep(step - 1))}>
              Back
            </button>
          )}
          {step < 3 && (
            <button type="submit" className="primary" disabled={busy}>
              {busy ? "Checking…" : "Next"}
            </button>
          )}
        </div>
      </form>
      {step === 3 && checked !== null && (
        <section aria-labelledby="send-heading">
          <h2 id="send-heading">Register</h2>
          <TxButton
            label={isConnected ? "Register model" : "Connect a wallet to register"}
            disabled={!isConnected}
            summary={summaryLines(checked)}
            build={build}
            success="Model registered"
            onDone={() => void onDone()}
          />
          {registered !== null && (
            <p className="ok">
              Model #{String(registered)} “{checked.registration.name}” is registered.{" "}
              <a href={href({ page: "model", modelId: registered })}>Open model #{String(registered)}</a>
            </p>
          )}
        </section>
      )}
    </>
  );
}
