/**
 * Shared fixtures: the protocol deployed as users deploy it (sdk/), with a model of three labs.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

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
