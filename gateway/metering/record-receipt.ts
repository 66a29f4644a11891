/**
 * Contract wallets' receipts, recorded on chain when the gateway accepts them. A contract wallet (a Safe, any
 * ERC-1271 signer) can revoke its signatures: a receipt it signed stops verifying, and a settlement carrying it
 * reverts. The UsageMeter keeps the widest authorisation it verified per licence and settles up to it with no
 * signature (IUsageMeter), so the gateway records each receipt of a contract wallet before it serves anything on
 * it: a settlement of that receipt charging nothing, sent with the operator key and awaited. The settler then
 * settles on the kept authorisation when the signature no longer verifies (settler/preflight.ts).
 *
 * The chain keeps one authorisation per licence, and a higher cap replaces it even with an earlier deadline, so a
 * contract wallet's receipt may not end before the one in force (the ledger could otherwise fall back on an older
 * receipt the chain no longer keeps).
 */
import { isError } from "ethers";

import type { UsageMeter } from "../../types/ethers-contracts/index.ts";
import type { LicenceState, StoredReceipt } from "../ledger/ledger.ts";
import { HttpProblem } from "../server/problem.ts";
import { badReceipt } from "./receipts.ts";

/** Records a verified receipt on chain (a settlement charging nothing); throws an HttpProblem when it cannot. */
export interface ReceiptRecorder {
  record(receipt: StoredReceipt): Promise<void>;
}

/** A recorder that settles the receipt with `total` 0 through `meter`, connected to the operator's signer. */
export function chainRecorder(meter: UsageMeter): ReceiptRecorder {
  return {
    async record(receipt) {
      const { licenceId, signer, cap, deadline, signature } = receipt;
      let mined;
      try {
        const tx = await meter.settle([{ licenceId, signer, cap, deadline, total: 0n, signature }]);
        mined = await tx.wait();
      } catch (error) {
        const data = isError(error, "CALL_EXCEPTION") && typeof error.data === "string" ? error.data : undefined;
        const reverted = data === undefined ? undefined : meter.interface.parseError(data);
        if (reverted) throw refusedOnChain(receipt, `${reverted.name}(${[...reverted.args].join(", ")})`);
        throw notRecorded(receipt, (error as { shortMessage?: string }).shortMessage ?? String(error));
      }
      if (!mined || mined.status !== 1) throw notRecorded(receipt, `transaction ${mined?.hash ?? "(none)"} failed`);
    },
  };
}

/**
 * Whether the ledger would take `receipt` at all (a cap above the one in force and above what was used), so that a
 * receipt it would refuse costs no transaction; throws the 400 for a deadline earlier than the one in force.
 */
export function worthRecording(receipt: StoredReceipt, state: LicenceState, now: number): boolean {
  const inForce = state.capDeadline >= now;
  if (inForce && receipt.cap <= state.cap) return false;
  if (receipt.cap < state.served + state.reserved) return false;
  if (inForce && receipt.deadline < state.capDeadline) {
    throw badReceipt(
      "deadline",
      `${receipt.deadline} is earlier than ${state.capDeadline}, the deadline of the receipt in force for licence ` +
        `#${receipt.licenceId}: a contract wallet's receipts are recorded on chain, which keeps one per licence, ` +
        `so sign one that runs at least as long`,
    );
  }
  return true;
}

function refusedOnChain(receipt: StoredReceipt, reason: string): HttpProblem {
  return new HttpProblem({
    status: 401,
    title: "Receipt refused on chain",
    kind: "receipt-signature",
    detail:
      `the usage meter refused to record ${receipt.signer}'s receipt for licence #${receipt.licenceId} (cap ` +
      `${receipt.cap}): ${reason}; a contract wallet's receipt must still verify on chain when the gateway records it`,
  });
}

function notRecorded(receipt: StoredReceipt, reason: string): HttpProblem {
  return new HttpProblem({
    status: 503,
    title: "Receipt not recorded",
    kind: "receipt-not-recorded",
    detail:
      `the receipt for licence #${receipt.licenceId} (cap ${receipt.cap}) could not be recorded on chain (${reason}); ` +
      `nothing was authorised: send it again shortly`,
    headers: { "Retry-After": "5" },
  });
}
