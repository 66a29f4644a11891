/**
 * Before a batch is sent, `settle` is simulated (`staticCall` from the operator) so that a receipt the chain would
 * refuse is found for free instead of in a reverted transaction. `settle` reverts as a whole on its first invalid
 * receipt and names it: by index (expired, deadline too far, no authorisation, above cap, signer not holder, bad
 * signature), by model (this gateway is not the model's operator: every licence of that model) or by licence
 * (unknown to the licence manager). Culprits are taken out one after another until the rest simulates cleanly; a
 * revert that names nothing is narrowed down by simulating each receipt alone.
 *
 * A receipt whose signature no longer verifies (a contract wallet revoked it) is tried once more with no signature:
 * the usage meter then settles on the authorisation it kept for the licence, which the gateway recorded on chain when
 * it accepted the wallet's receipt (metering/record-receipt.ts). Only when that fails too is it a culprit.
 */
import { type Interface, isError } from "ethers";

import { LicenseManager__factory } from "../../types/ethers-contracts/factories/contracts/licensing/LicenseManager__factory.ts";
import type { IUsageMeter } from "../../types/ethers-contracts/contracts/usage/UsageMeter.ts";
import type { UsageMeter } from "../../types/ethers-contracts/index.ts";
import type { Batch, BatchItem } from "../ledger/ledger.ts";
import { isRevert } from "./retry.ts";

/** A receipt the chain refuses, and why. */
export interface Culprit {
  item: BatchItem;
  /** The decoded custom error, e.g. `UsageMeterSignerNotHolder(0, 0xab…, 1767225600, 1767139200)`. */
  reason: string;
}

/** What simulating a batch found. */
export type PreflightResult =
  /** `items`: what to send, the batch's items in order (a revoked signature's receipt without it: see above). */
  | { ok: true; items: BatchItem[] }
  /** `culprits`: receipts to leave out (the others simulate cleanly without them). Empty when the revert could not be pinned on any receipt. */
  | { ok: false; culprits: Culprit[]; reason: string };

/** Custom errors of `UsageMeter` whose first argument is the index of the offending receipt. */
const BY_INDEX = new Set([
  "UsageMeterReceiptExpired",
  "UsageMeterDeadlineTooFar",
  "UsageMeterNoAuthorisation",
  "UsageMeterAboveCap",
  "UsageMeterSignerNotHolder",
  "UsageMeterBadSignature",
]);

let licenseManagerInterface: Interface | undefined;

/** The `IUsageMeter.Receipt` that settles one batch item: its stored receipt, charging up to the item's total. */
export function receiptOf(item: BatchItem): IUsageMeter.ReceiptStruct {
  const { receipt } = item;
  return {
    licenceId: item.licenceId,
    signer: receipt.signer,
    cap: receipt.cap,
    deadline: receipt.deadline,
    total: item.total,
    signature: receipt.signature,
  };
}

/** The `settle` argument for a whole batch: one receipt per licence, in the batch's order. */
export function receiptsOf(batch: Pick<Batch, "items">): IUsageMeter.ReceiptStruct[] {
  return batch.items.map(receiptOf);
}

/** A decoded revert: the custom error's name and arguments, from the meter's or the licence manager's ABI. */
export function decodeRevert(meter: UsageMeter, error: unknown): { name: string; args: unknown[]; text: string } {
  const data = isError(error, "CALL_EXCEPTION") ? error.data : undefined;
  if (data) {
    licenseManagerInterface ??= LicenseManager__factory.createInterface();
    for (const iface of [meter.interface as Interface, licenseManagerInterface]) {
      const parsed = iface.parseError(data);
      if (parsed) {
        const args = [...parsed.args];
        return { name: parsed.name, args, text: `${parsed.name}(${args.map(String).join(", ")})` };
      }
    }
  }
  const short = (error as { shortMessage?: string }).shortMessage ?? String(error);
  return { name: "", args: [], text: data ? `${short} (data ${data.slice(0, 74)})` : short };
}

/** Simulates `settle(items)`; undefined when it would succeed, else the decoded revert. Network errors are thrown. */
async function simulate(meter: UsageMeter, items: BatchItem[]) {
  try {
    await meter.settle.staticCall(items.map(receiptOf));
    return undefined;
  } catch (error) {
    if (!isRevert(error)) throw error;
    return decodeRevert(meter, error);
  }
}

/** The items a decoded revert names: by index, by model, or by licence; empty when it names none. */
function named(items: BatchItem[], revert: { name: string; args: unknown[] }): BatchItem[] {
  if (BY_INDEX.has(revert.name)) {
    const item = items[Number(revert.args[0])];
    return item ? [item] : [];
  }
  if (revert.name === "UsageMeterNotOperator") return items.filter((i) => i.modelId === BigInt(String(revert.args[1])));
  if (revert.name === "LicenseManagerUnknownLicence") {
    return items.filter((i) => i.licenceId === BigInt(String(revert.args[0])));
  }
  return [];
}

/**
 * Simulates the batch and, when it would revert, finds every receipt to leave out: repeatedly drops what the revert
 * names and simulates the rest, and when a revert names nothing, simulates each remaining receipt alone. Network
 * errors are thrown (the caller retries); at most `items.length + 1` simulations when the errors name their culprit.
 */
export async function preflight(meter: UsageMeter, batch: Pick<Batch, "items">): Promise<PreflightResult> {
  let rest = [...batch.items];
  const culprits: Culprit[] = [];
  while (rest.length > 0) {
    const revert = await simulate(meter, rest);
    if (!revert) break;
    let bad = named(rest, revert).map((item) => ({ item, reason: revert.text }));
    const revoked = bad.length === 1 && revert.name === "UsageMeterBadSignature" ? bad[0].item : undefined;
    if (revoked !== undefined && revoked.receipt.signature !== "0x") {
      rest = rest.map((item) => (item === revoked ? onKeptAuthorisation(item) : item));
      continue;
    }
    if (bad.length === 0) bad = await aloneFailing(meter, rest);
    if (bad.length === 0) return { ok: false, culprits, reason: revert.text };
    culprits.push(...bad);
    rest = rest.filter((item) => !bad.some((b) => b.item === item));
  }
  if (culprits.length === 0) return { ok: true, items: rest };
  const reason = culprits.map((c) => `licence ${c.item.licenceId}: ${c.reason}`).join("; ");
  return { ok: false, culprits, reason };
}

/** The item settled on the authorisation the usage meter kept for its licence: its receipt without a signature. */
function onKeptAuthorisation(item: BatchItem): BatchItem {
  return { ...item, receipt: { ...item.receipt, signature: "0x" } };
}

/** The items whose receipt reverts when simulated alone. */
async function aloneFailing(meter: UsageMeter, items: BatchItem[]): Promise<Culprit[]> {
  const out: Culprit[] = [];
  for (const item of items) {
    const revert = await simulate(meter, [item]);
    if (revert) out.push({ item, reason: revert.text });
  }
  return out;
}
