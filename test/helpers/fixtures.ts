/**
 * Shared fixtures: the protocol deployed as users deploy it (sdk/), with a model of three labs.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { ethers } from "ethers";

import type { Deployment } from "../../client/deployment.js";
import type { OfferTerms } from "../../governance/index.js";

import { defaultGovernance, deployProtocol, registerModel, type GovernanceSettings } from "../../sdk/index.js";

export const MEMBER_AMOUNTS = [500n, 300n, 200n] as const;

export async function protocolWithModel(ethers: HardhatEthers, governance: Partial<GovernanceSettings> = {}) {
  const signers = await ethers.getSigners();
  const [admin, labA, labB, labC, outsider, guardian] = signers;
  const protocol = await deployProtocol(ethers, admin);
  const model = await registerModel(ethers, protocol.registry, {
    name: "Vision-7B",
    symbol: "wsVIS",
    contentHash: ethers.id("vision-7b weights v1"),
    metadataURI: "ipfs://vision-7b",
    members: [
      { account: labA.address, amount: MEMBER_AMOUNTS[0] },
      { account: labB.address, amount: MEMBER_AMOUNTS[1] },
      { account: labC.address, amount: MEMBER_AMOUNTS[2] },
    ],
    governance: defaultGovernance(governance),
  });
  return { ...protocol, model, admin, labA, labB, labC, outsider, guardian, signers };
}

/** An offer as the licence tests use it (metered, 30 days, not transferable), with `overrides`. */
export function offerTerms(overrides: Partial<OfferTerms> = {}): OfferTerms {
  return {
    price: ethers.parseEther("0.1"),
    paymentToken: ethers.ZeroAddress,
    duration: 30n * 86400n,
    credits: 1000n,
    cap: 0n,
    transferable: false,
    commercialUse: true,
    derivativesAllowed: false,
    onSale: true,
    termsURI: "ipfs://licence-terms-v1",
    termsHash: ethers.id("licence terms v1"),
    parentShareBps: 0n,
    minDerivativePrice: 0n,
    ...overrides,
  };
}

/**
 * A signer for a model's timelock (impersonated, funded), for tests that exercise what the DAO may do without
 * running a vote for each step.
 */
export async function timelockSigner(
  connection: { ethers: HardhatEthers; networkHelpers: NetworkHelpers },
  timelock: { getAddress(): Promise<string> },
) {
  const address = await timelock.getAddress();
  await connection.networkHelpers.impersonateAccount(address);
  await connection.networkHelpers.setBalance(address, ethers.parseEther("1"));
  return connection.ethers.getSigner(address);
}

/**
 * The deployment record (`client/deployment.ts` shape) of a protocol deployed with the sdk, as `--deployment` and
 * `readDeployment` take it.
 */
export async function deploymentOf(protocol: {
  shares: { getAddress(): Promise<string> };
  registry: { getAddress(): Promise<string> };
  vault: { getAddress(): Promise<string> };
  licenses: { getAddress(): Promise<string> };
  meter: { getAddress(): Promise<string> };
  raises?: { getAddress(): Promise<string> };
  sales?: { getAddress(): Promise<string> };
}): Promise<Deployment> {
  return {
    shares: await protocol.shares.getAddress(),
    registry: await protocol.registry.getAddress(),
    vault: await protocol.vault.getAddress(),
    licenses: await protocol.licenses.getAddress(),
    meter: await protocol.meter.getAddress(),
    ...(protocol.raises === undefined ? {} : { raises: await protocol.raises.getAddress() }),
    ...(protocol.sales === undefined ? {} : { sales: await protocol.sales.getAddress() }),
  };
}
