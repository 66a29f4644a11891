/**
 * What the gateway's client tasks (`ws sign-in`, `ws fetch-model`) share: the gateway URL argument and the account
 * that signs in (an index, an address or a signer name), without needing a deployment record: the gateway checks
 * access on chain itself.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { gatewayBase } from "../../gateway/client/index.js";
import { TaskInputError } from "./cli.js";
import { signerIndex, signerNamesOf } from "./signers.js";

/** `--<name>` as a gateway base URL, or a one-line error saying what was `expected`. */
export function gatewayUrlArg(name: string, value: string, expected: string): string {
  if (value.trim() === "") throw new TaskInputError(`--${name}: expected ${expected}`);
  try {
    return gatewayBase(value.trim()).href;
  } catch (error) {
    throw new TaskInputError(`--${name}: ${(error as Error).message}`);
  }
}

/** The configured account `--signer` names (default 0). */
export async function signingAccount(hre: HardhatRuntimeEnvironment, signer: string): Promise<HardhatEthersSigner> {
  const connection = await hre.network.getOrCreate();
  const signers = await connection.ethers.getSigners();
  if (signers.length === 0) throw new TaskInputError("--signer: expected an account configured for this network");
  const index = signerIndex(
    signer,
    signers.map((s) => s.address),
    signerNamesOf(connection.networkName),
  );
  if (typeof index === "string") throw new TaskInputError(`--signer: ${index}`);
  return signers[index];
}
