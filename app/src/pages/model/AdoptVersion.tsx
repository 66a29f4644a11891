/**
 * After a version is published through the gateway: the proposal that adopts it (the model's metadata URI and
 * content hash set to the version's, built by governance/proposals.ts's `updateMetadata` as the Propose page and
 * `ws publish --propose` build it), whether this account may file it, and a TxButton that files it with the governor.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { keccak256, toBytes, type Address } from "viem";
import { useConfig } from "wagmi";

import { updateMetadata, withProposer } from "../../../../governance/proposals.ts";
import type { ModelRegistry, ModelShares } from "../../../../types/ethers-contracts/index.ts";
import { useAppConfig } from "../../context.tsx";
import { shortAddress } from "../../format.ts";
import { modelGovernorAbi, modelRegistryAbi, modelSharesAbi } from "../../generated.ts";
import type { PublishedVersion } from "../../gateway/publish.ts";
import { TxButton } from "../../tx/TxButton.tsx";
import { handle, read, readModel } from "../propose/chain.ts";
import { proposerProblem } from "../propose/review.ts";

export interface AdoptVersionProps {
  modelId: bigint;
  published: PublishedVersion;
  account: Address;
}

/** The "Propose adopting version N" step. */
export function AdoptVersion({ modelId, published, account }: AdoptVersionProps) {
  const wagmi = useConfig();
  const { chainId, deployment } = useAppConfig();
  const [filed, setFiled] = useState<bigint>();
  const prepared = useQuery({
    queryKey: ["chain", "adopt-version", String(modelId), published.commit, account],
    queryFn: async () => {
      const base = { wagmi, chainId, deployment };
      const model = await readModel(base, modelId);
      const ctx = { ...base, modelId, model, offers: [] };
      const description =
        `Adopt version ${published.version} of model #${modelId}: ${published.files.length} files, ` +
        `manifest ${published.manifestCid}`;
      const proposal = withProposer(
        await updateMetadata({
          shares: handle<ModelShares>(modelSharesAbi, deployment.shares),
          registry: handle<ModelRegistry>(modelRegistryAbi, deployment.registry),
          modelId,
          uri: published.metadataURI,
          contentHash: published.contentHash,
          description,
        }),
        account,
      );
      const proposalId = await read<bigint>(ctx, model.governor, modelGovernorAbi, "getProposalId", [
        proposal.targets,
        proposal.values,
        proposal.calldatas,
        keccak256(toBytes(proposal.description)),
      ]);
      return { proposal, proposalId, governor: model.governor, problem: await proposerProblem(ctx, account) };
    },
    retry: false,
  });

  if (prepared.isPending) return <p className="muted">Preparing the proposal that adopts it…</p>;
  if (prepared.isError) {
    return <p className="error">The adoption proposal could not be prepared: {prepared.error.message}</p>;
  }
  const { proposal, proposalId, governor, problem } = prepared.data;
  return (
    <div>
      {problem !== null && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <TxButton
        label={`Propose adopting version ${published.version}`}
        disabled={problem !== null || filed !== undefined}
        summary={[
          `set model #${modelId}'s metadata URI to ${published.metadataURI}`,
          `set its content hash to ${published.contentHash}`,
          `file it with the governor of model #${modelId} (${shortAddress(governor)}) for the holders to vote on`,
        ]}
        build={() => ({
          address: governor,
          abi: modelGovernorAbi,
          functionName: "propose",
          args: [proposal.targets, proposal.values, proposal.calldatas, proposal.description],
        })}
        success="Proposal filed"
        onDone={() => setFiled(proposalId)}
      />
      {filed !== undefined && (
        <p className="ok">
          Proposal <code>{String(filed)}</code> to adopt version {published.version} is filed: it is Pending until
          voting opens. Once it passes and is executed, the gateway serves version {published.version} as{" "}
          <code>main</code>.
        </p>
      )}
    </div>
  );
}
