/**
 * EIP-712 usage receipts: what a licensee signs so the model's gateway can meter its use. A receipt authorises a
 * running total (a cap) of credits on a licence until a deadline; the operator settles any total up to it, one
 * receipt per licence per batch (`UsageMeter.settle`), and each receipt supersedes the earlier ones.
 */
import type { Signer, TypedDataDomain } from "ethers";

import type { UsageMeter } from "../types/ethers-contracts/index.ts";

export const USAGE_RECEIPT_TYPES = {
  UsageReceipt: [
    { name: "licenceId", type: "uint256" },
    { name: "cap", type: "uint64" },
    { name: "deadline", type: "uint48" },
  ],
};

/** What the licensee signs: `licenceId` may be charged up to a running total of `cap` credits until `deadline`. */
export interface UsageAuthorisation {
  licenceId: bigint;
  cap: bigint;
  deadline: bigint;
}

/** The argument `UsageMeter.settle` takes for one licence. */
export interface SettlementReceipt extends UsageAuthorisation {
  signer: string;
  total: bigint;
  signature: string;
}

/** The UsageMeter's EIP-712 domain, read from the chain (ERC-5267). */
export async function receiptDomain(meter: UsageMeter): Promise<TypedDataDomain> {
  const d = await meter.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

/**
 * Signs an authorisation; returns it in the shape `settle` takes, charging up to `total` (default: the whole cap).
 */
export async function signReceipt(
  holder: Signer,
  domain: TypedDataDomain,
  authorisation: UsageAuthorisation,
  total: bigint = authorisation.cap,
): Promise<SettlementReceipt> {
  const { licenceId, cap, deadline } = authorisation;
  const signature = await holder.signTypedData(domain, USAGE_RECEIPT_TYPES, { licenceId, cap, deadline });
  return { licenceId, signer: await holder.getAddress(), cap, deadline, total, signature };
}
