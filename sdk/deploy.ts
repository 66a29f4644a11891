/**
 * Deploying the protocol from TypeScript: the same code path for tests, the scenario/demo script and the
 * benchmark, so what a test proves is what a user runs. Ignition modules (deploy/) describe the same graph for
 * real networks.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import type { ModelShares, ModelVotes } from "../types/ethers-contracts/index.js";

export interface SharesDeployment {
  shares: ModelShares;
  votesImplementation: ModelVotes;
  sharesImplementation: string;
}

/**
 * Deploys the ModelVotes implementation (cloned per model), the ModelShares implementation and its ERC1967 proxy,
 * initialised with `admin` as protocol admin. `admin` must be a signer: it is granted MODEL_CREATOR_ROLE on
 * `creator` (the registry, or the admin itself when no registry is deployed yet).
 */
export async function deployShares(
  ethers: HardhatEthers,
  admin: HardhatEthersSigner,
  creator: string = admin.address,
): Promise<SharesDeployment> {
  const votesImplementation = await ethers.deployContract("ModelVotes", [], admin);
  const sharesImplementation = await ethers.deployContract("ModelShares", [], admin);
  const init = sharesImplementation.interface.encodeFunctionData("initialize", [
    admin.address,
    await votesImplementation.getAddress(),
  ]);
  const proxy = await ethers.deployContract(
    "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy",
    [await sharesImplementation.getAddress(), init],
    admin,
  );
  const shares = await ethers.getContractAt("ModelShares", await proxy.getAddress(), admin);
  await (await shares.grantRole(await shares.MODEL_CREATOR_ROLE(), creator)).wait();
  return {
    shares,
    votesImplementation,
    sharesImplementation: await sharesImplementation.getAddress(),
  };
}

export interface CreatedModel {
  modelId: bigint;
  votes: ModelVotes;
}

/** Creates a model through `ModelShares.createModel` (caller needs MODEL_CREATOR_ROLE) and returns its votes. */
export async function createModel(
  ethers: HardhatEthers,
  shares: ModelShares,
  params: {
    treasury: string;
    name: string;
    symbol: string;
    uri: string;
    members: { account: string; amount: bigint }[];
  },
): Promise<CreatedModel> {
  const tx = await shares.createModel(
    params.treasury,
    params.name,
    params.symbol,
    params.uri,
    params.members.map((m) => m.account),
    params.members.map((m) => m.amount),
  );
  const receipt = await tx.wait();
  const event = receipt?.logs
    .map((log) => {
      try {
        return shares.interface.parseLog(log);
      } catch {
        return null;
      }
    })
    .find((parsed) => parsed?.name === "ModelCreated");
  if (event === undefined || event === null) throw new Error("createModel: no ModelCreated event in receipt");
  const modelId = event.args.modelId as bigint;
  const votes = await ethers.getContractAt("ModelVotes", event.args.votes as string);
  return { modelId, votes };
}
