/**
 * A real Safe (@safe-global/safe-smart-account 1.5.0, built through `npmFilesToBuild`) for the tests of `--safe`
 * batches: created as Safe{Wallet} creates one (a proxy of the singleton through SafeProxyFactory, with
 * CompatibilityFallbackHandler so it can receive ERC-1155 fractions), and a Transaction Builder batch executed as its
 * owners execute one: a single transaction called directly, several in one MultiSendCallOnly delegatecall, in both
 * cases one `execTransaction` carrying `threshold` owners' EIP-712 signatures.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { getAddress, solidityPacked, TypedDataEncoder, ZeroAddress, type ContractTransactionReceipt } from "ethers";

import type { Safe } from "../../types/ethers-contracts/index.js";

/** What `ws <task> --safe` prints: Safe Transaction Builder's batch format, version 1.0. */
export interface SafeBatchJson {
  version: string;
  chainId: string;
  createdAt: number;
  meta: { name: string; description: string; createdFromSafeAddress: string };
  transactions: { to: string; value: string; data: string; contractMethod: null; contractInputsValues: null }[];
}

export interface TestSafe {
  safe: Safe;
  address: string;
  /** MultiSendCallOnly, which Safe{Wallet} delegatecalls for a batch of several transactions. */
  multiSend: string;
}

export enum Operation {
  Call = 0,
  DelegateCall = 1,
}

/** Safe's EIP-712 transaction type (SAFE_TX_TYPEHASH in Safe.sol). */
const SAFE_TX_TYPES = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

/** Deploys Safe's singleton, proxy factory, fallback handler and MultiSendCallOnly, and a Safe of these owners. */
export async function deploySafe(ethers: HardhatEthers, owners: string[], threshold: number): Promise<TestSafe> {
  const singleton = await ethers.deployContract("Safe");
  const factory = await ethers.deployContract("SafeProxyFactory");
  const handler = await ethers.deployContract("CompatibilityFallbackHandler");
  const multiSend = await ethers.deployContract("MultiSendCallOnly");
  const initializer = singleton.interface.encodeFunctionData("setup", [
    owners,
    threshold,
    ZeroAddress, // no setup delegatecall
    "0x",
    await handler.getAddress(),
    ZeroAddress, // no payment for the creation
    0,
    ZeroAddress,
  ]);
  const args = [await singleton.getAddress(), initializer, 0n] as const;
  const address = await factory.createProxyWithNonce.staticCall(...args);
  await (await factory.createProxyWithNonce(...args)).wait();
  return { safe: await ethers.getContractAt("Safe", address), address, multiSend: await multiSend.getAddress() };
}

/** MultiSend's packed encoding: per transaction operation (1 byte), to (20), value (32), data length (32), data. */
export function encodeMultiSend(transactions: { to: string; value: string | bigint; data: string }[]): string {
  return `0x${transactions
    .map((t) =>
      solidityPacked(
        ["uint8", "address", "uint256", "uint256", "bytes"],
        [Operation.Call, t.to, BigInt(t.value), (t.data.length - 2) / 2, t.data],
      ).slice(2),
    )
    .join("")}`;
}

/**
 * Executes a Transaction Builder batch through the Safe, as Safe{Wallet} does once enough owners signed: one
 * transaction is called directly, several go through MultiSendCallOnly by delegatecall (all or none). Each owner
 * signs the Safe transaction's EIP-712 hash; the first owner sends `execTransaction`. Throws if the batch was made
 * for another Safe or chain, or if the Safe reports the execution failed.
 */
export async function executeBatch(
  ethers: HardhatEthers,
  test: TestSafe,
  batch: SafeBatchJson,
  owners: HardhatEthersSigner[],
): Promise<ContractTransactionReceipt> {
  const { chainId } = await ethers.provider.getNetwork();
  if (batch.chainId !== String(chainId) || getAddress(batch.meta.createdFromSafeAddress) !== test.address) {
    throw new Error(`batch for Safe ${batch.meta.createdFromSafeAddress} on chain ${batch.chainId}`);
  }
  const single = batch.transactions.length === 1 ? batch.transactions[0] : undefined;
  const tx = {
    to: single?.to ?? test.multiSend,
    value: BigInt(single?.value ?? 0),
    data:
      single?.data ??
      (await ethers.getContractAt("MultiSendCallOnly", test.multiSend)).interface.encodeFunctionData("multiSend", [
        encodeMultiSend(batch.transactions),
      ]),
    operation: single === undefined ? Operation.DelegateCall : Operation.Call,
    // No refund: the executor pays the gas, and the Safe reverts the whole transaction if the call fails.
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: ZeroAddress,
    refundReceiver: ZeroAddress,
    nonce: await test.safe.nonce(),
  };
  const domain = { chainId, verifyingContract: test.address };
  const hash = await test.safe.getTransactionHash(
    tx.to,
    tx.value,
    tx.data,
    tx.operation,
    tx.safeTxGas,
    tx.baseGas,
    tx.gasPrice,
    tx.gasToken,
    tx.refundReceiver,
    tx.nonce,
  );
  if (TypedDataEncoder.hash(domain, SAFE_TX_TYPES, tx) !== hash) throw new Error("Safe transaction hash mismatch");
  // The Safe checks signatures in ascending order of their owners' addresses.
  const sorted = [...owners].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  const signatures = solidityPacked(
    sorted.map(() => "bytes"),
    await Promise.all(sorted.map((owner) => owner.signTypedData(domain, SAFE_TX_TYPES, tx))),
  );
  const response = await test.safe
    .connect(owners[0])
    .execTransaction(
      tx.to,
      tx.value,
      tx.data,
      tx.operation,
      tx.safeTxGas,
      tx.baseGas,
      tx.gasPrice,
      tx.gasToken,
      tx.refundReceiver,
      signatures,
    );
  const receipt = await response.wait();
  if (receipt === null) throw new Error("execTransaction was dropped");
  const failed = receipt.logs.some(
    (log) => log.address === test.address && test.safe.interface.parseLog(log)?.name === "ExecutionFailure",
  );
  if (failed) throw new Error("the Safe executed the batch and it failed");
  return receipt;
}
