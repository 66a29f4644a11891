/**
 * EIP-712 usage receipts: what a licence holder signs so the model's gateway can meter its use and settle many
 * receipts in one transaction (`LicenseManager.settleUsage`).
 */
import type { Signer, TypedDataDomain } from "ethers";

import type { LicenseManager } from "../types/ethers-contracts/index.js";

export const USAGE_RECEIPT_TYPES = {
  UsageReceipt: [
    { name: "licenceId", type: "uint256" },
    { name: "amount", type: "uint64" },
    { name: "nonce", type: "uint32" },
    { name: "deadline", type: "uint48" },
  ],
};

export interface UsageReceipt {
  licenceId: bigint;
  amount: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** The LicenseManager's EIP-712 domain, read from the chain (ERC-5267). */
export async function receiptDomain(licenses: LicenseManager): Promise<TypedDataDomain> {
  const d = await licenses.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

/** Signs a receipt; returns it in the shape `settleUsage` takes. */
export async function signReceipt(holder: Signer, domain: TypedDataDomain, receipt: UsageReceipt) {
  const signature = await holder.signTypedData(domain, USAGE_RECEIPT_TYPES, receipt);
  return { ...receipt, signature };
}
