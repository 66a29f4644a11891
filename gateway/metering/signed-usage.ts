/**
 * The gateway's signed record of each charged call: the operator key signs (EIP-191 `personal_sign`) a canonical JSON
 * statement of the call, so a licensee holds proof of what it was charged and when, and can check it against
 * `GET /usage` and the settlements on chain. Anyone verifies it with `verifyUsageRecord` and the model's operator
 * address (`UsageMeter.operatorOf`).
 */
import { verifyMessage, type Signer } from "ethers";

import type { UsageRecord } from "../ledger/ledger.ts";
import { canonicalJson } from "../publish/manifest.ts";

/** Label of the signed statement's format. */
export const USAGE_RECORD_FORMAT = "weightshare/usage-record/v1";

/** What the gateway signs for one call (decimal strings for credits). */
export function usageStatement(record: UsageRecord, scope: { chainId: bigint; gateway: string }): string {
  return canonicalJson({
    format: USAGE_RECORD_FORMAT,
    chainId: scope.chainId.toString(),
    gateway: scope.gateway,
    callId: record.callId,
    licenceId: record.licenceId.toString(),
    account: record.account.toLowerCase(),
    route: record.route,
    model: record.model,
    cost: record.cost.toString(),
    total: record.total.toString(),
    promptTokens: record.promptTokens,
    completionTokens: record.completionTokens,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  });
}

/** Signs a record's statement with the operator key. */
export function signUsageRecord(
  operator: Signer,
  record: UsageRecord,
  scope: { chainId: bigint; gateway: string },
): Promise<string> {
  return operator.signMessage(usageStatement(record, scope));
}

/** Whether `signature` is `operator`'s over `record`'s statement. */
export function verifyUsageRecord(
  record: UsageRecord,
  signature: string,
  operator: string,
  scope: { chainId: bigint; gateway: string },
): boolean {
  try {
    return verifyMessage(usageStatement(record, scope), signature).toLowerCase() === operator.toLowerCase();
  } catch {
    return false;
  }
}
