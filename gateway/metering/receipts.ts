/**
 * Usage receipts as the gateway accepts them, before they reach the ledger. A receipt is the licensee's EIP-712
 * `UsageReceipt(licenceId, cap, deadline)` under the UsageMeter's domain (chain id and meter address: a receipt for
 * another chain or deployment does not verify here). It arrives as JSON, in the `X-Weightshare-Receipt` header of a
 * call (exact mode) or the body of `POST /usage/receipts` (capped mode):
 * `{"licenceId":"7","cap":"120","deadline":1767225600,"signature":"0x…"}`.
 *
 * It is accepted when it is signed by the signed-in account (ECDSA, or ERC-1271 for a contract wallet), for a licence
 * that account owns now, of a model this gateway operates (its operator key is the model's operator on chain: a
 * receipt meant for another gateway is refused), with a deadline inside the window the meter will settle
 * (at least `deadlineMargin` ahead of the chain's time, at most `RECEIPT_WINDOW` ahead). A contract wallet's receipt
 * is then recorded on chain before it authorises anything (record-receipt.ts): its signature can be revoked.
 */
import { Contract, Signature, TypedDataEncoder, verifyTypedData, type TypedDataDomain } from "ethers";

import { USAGE_RECEIPT_TYPES } from "../../client/receipts.ts";
import type { StoredReceipt } from "../ledger/ledger.ts";
import type { ChainProvider } from "../server/access.ts";
import { HttpProblem } from "../server/problem.ts";

/** Header carrying a receipt with a call (exact mode). */
export const RECEIPT_HEADER = "x-weightshare-receipt";
/** The meter's RECEIPT_WINDOW: deadlines at most this far ahead (seconds). */
export const RECEIPT_WINDOW = 86_400;
const UINT64_MAX = 2n ** 64n - 1n;
const ERC1271_MAGIC = "0x1626ba7e";

/** A receipt as sent, before verification. */
export interface ReceiptInput {
  licenceId: bigint;
  cap: bigint;
  deadline: number;
  signature: string;
}

/** The 400 for a malformed receipt, naming the field. */
export function badReceipt(field: string, detail: string): HttpProblem {
  return new HttpProblem({
    status: 400,
    title: "Bad usage receipt",
    kind: "bad-receipt",
    detail: `receipt ${field}: ${detail}`,
    extensions: { field },
  });
}

/** Parses a receipt from JSON text (a header) or a parsed body; throws a 400 problem naming the bad field. */
export function parseReceipt(input: unknown): ReceiptInput {
  let value = input;
  if (typeof input === "string") {
    if (input.length > 2048) throw badReceipt("(document)", "longer than 2048 characters");
    try {
      value = JSON.parse(input);
    } catch {
      throw badReceipt("(document)", 'not JSON: expected {"licenceId","cap","deadline","signature"}');
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw badReceipt("(document)", 'expected an object {"licenceId","cap","deadline","signature"}');
  const v = value as Record<string, unknown>;
  const uint = (field: string, max: bigint): bigint => {
    const x = v[field];
    const text = typeof x === "number" && Number.isSafeInteger(x) ? String(x) : x;
    if (typeof text !== "string" || !/^(0|[1-9]\d{0,77})$/.test(text) || BigInt(text) > max)
      throw badReceipt(field, `expected a whole number from 0 to ${max}, got ${JSON.stringify(x)?.slice(0, 80)}`);
    return BigInt(text);
  };
  const licenceId = uint("licenceId", 2n ** 256n - 1n);
  const cap = uint("cap", UINT64_MAX);
  const deadline = Number(uint("deadline", 2n ** 48n - 1n));
  const signature = v.signature;
  if (typeof signature !== "string" || !/^0x([0-9a-fA-F]{2}){1,1024}$/.test(signature))
    throw badReceipt("signature", "expected 0x-prefixed hex bytes");
  return { licenceId, cap, deadline, signature: signature.toLowerCase() };
}

/** A verified receipt, and whether a contract wallet signed it (ERC-1271: the gateway records it on chain). */
export interface VerifiedReceipt extends StoredReceipt {
  contractWallet: boolean;
}

/** What verification needs of the chain. */
export interface ReceiptContext {
  provider: ChainProvider;
  /** The meter's EIP-712 domain (read once from the chain: `receiptDomain`). */
  domain: TypedDataDomain;
  /** The chain's time now (Unix seconds). */
  now: number;
  /** Seconds a deadline must still run (so the settler can settle it). */
  deadlineMargin: number;
}

/**
 * Verifies `receipt` for `account`, whose licence of `modelId` it must be (the caller checked the licence is
 * `account`'s and the model is operated by this gateway). Returns the receipt to store, or throws 400/401.
 */
export async function verifyReceipt(
  receipt: ReceiptInput,
  account: string,
  modelId: bigint,
  context: ReceiptContext,
): Promise<VerifiedReceipt> {
  const { now, deadlineMargin } = context;
  if (receipt.deadline < now + deadlineMargin) {
    throw badReceipt(
      "deadline",
      `${receipt.deadline} is less than ${deadlineMargin} s after the chain's time ${now}: sign one that runs longer`,
    );
  }
  if (receipt.deadline > now + RECEIPT_WINDOW) {
    throw badReceipt(
      "deadline",
      `${receipt.deadline} is more than ${RECEIPT_WINDOW} s after the chain's time ${now}: the meter would refuse it`,
    );
  }
  const message = { licenceId: receipt.licenceId, cap: receipt.cap, deadline: receipt.deadline };
  const how = await signedBy(account, message, receipt.signature, context);
  if (how === undefined) {
    throw new HttpProblem({
      status: 401,
      title: "Receipt not signed by you",
      kind: "receipt-signature",
      detail:
        `the receipt's signature is not ${account}'s over UsageReceipt(licenceId ${receipt.licenceId}, cap ` +
        `${receipt.cap}, deadline ${receipt.deadline}) for chain ${context.domain.chainId} and meter ` +
        `${context.domain.verifyingContract}: sign it with the signed-in account, for this chain and deployment`,
    });
  }
  return {
    licenceId: receipt.licenceId,
    modelId,
    signer: account.toLowerCase(),
    cap: receipt.cap,
    deadline: receipt.deadline,
    signature: receipt.signature,
    contractWallet: how === "erc1271",
  };
}

/**
 * Whether `signature` is an ECDSA signature in the one form the meter's `ECDSA.tryRecoverCalldata` takes: 65 bytes,
 * v 27 or 28, s in the lower half. ethers also accepts 64-byte compact (EIP-2098) signatures and v 0/1, which the
 * chain would refuse: a receipt in those forms would be served and never settle.
 */
export function isChainEcdsa(signature: string): boolean {
  if (signature.length !== 132) return false;
  try {
    const parsed = Signature.from(signature);
    return parsed.serialized.toLowerCase() === signature.toLowerCase() && BigInt(parsed.s) <= SECP256K1_HALF_N;
  } catch {
    return false;
  }
}

const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

async function signedBy(
  account: string,
  message: { licenceId: bigint; cap: bigint; deadline: number },
  signature: string,
  context: ReceiptContext,
): Promise<"ecdsa" | "erc1271" | undefined> {
  try {
    if (
      isChainEcdsa(signature) &&
      verifyTypedData(context.domain, USAGE_RECEIPT_TYPES, message, signature).toLowerCase() === account.toLowerCase()
    )
      return "ecdsa";
  } catch {
    // not an ECDSA signature: maybe a contract wallet's
  }
  if ((await context.provider.getCode(account)) === "0x") return undefined;
  const digest = TypedDataEncoder.hash(context.domain, USAGE_RECEIPT_TYPES, message);
  const wallet = new Contract(
    account,
    ["function isValidSignature(bytes32,bytes) view returns (bytes4)"],
    context.provider,
  );
  try {
    return (await wallet.isValidSignature(digest, signature)) === ERC1271_MAGIC ? "erc1271" : undefined;
  } catch {
    return undefined;
  }
}
