/**
 * The settler tests' world: the protocol on Hardhat's simulated chain with a model whose timelock named an operator
 * (a wallet with a fixed test key, so every test's snapshot knows it), an offer of 100 credits, and ten licensees
 * who each bought one licence. Per test: an SQLite ledger in a temporary directory (reopened to simulate a restart),
 * the usage meter connected to the operator through any EIP-1193 provider (the chain's, or a hostile stand-in
 * around it), and helpers that serve calls through the ledger API with real receipts signed by the licensees.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { expect } from "chai";
import { BrowserProvider, type Eip1193Provider, id, type Signer, type TypedDataDomain, Wallet } from "ethers";
import { Registry } from "prom-client";

import { receiptDomain, signReceipt } from "../../../client/receipts.js";
import type { Ledger } from "../../../gateway/ledger/ledger.js";
import { openSqliteLedger } from "../../../gateway/ledger/sqlite.js";
import { Settler, type SettlerOptions } from "../../../gateway/settler/settler.js";
import { type UsageMeter, UsageMeter__factory } from "../../../types/ethers-contracts/index.js";
import { offerTerms, protocolWithModel, timelockSigner } from "../../helpers/fixtures.js";

/** What the fixtures need of a Hardhat network connection. */
export interface Connection {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  provider: unknown;
}

/** The operator's key: fixed, so that the chain snapshot and every test agree on its address. */
export const OPERATOR_KEY = id("weightshare settler tests: operator key");
/** Credits of offer 1. */
export const CREDITS = 100n;

/** Deploys the chain side (use through `networkHelpers.loadFixture`). */
export async function settlerChain(connection: Connection) {
  const { ethers, networkHelpers } = connection;
  const protocol = await protocolWithModel(ethers);
  const modelId = protocol.model.modelId;
  const timelock = await timelockSigner(connection, protocol.model.timelock);
  await (await protocol.vault.connect(timelock).setPaymentToken(modelId, ethers.ZeroAddress, true)).wait();
  await (await protocol.licenses.connect(timelock).addOffer(modelId, offerTerms({ credits: CREDITS }))).wait();
  const operator = new Wallet(OPERATOR_KEY);
  await networkHelpers.setBalance(operator.address, ethers.parseEther("10"));
  await (await protocol.meter.connect(timelock).setOperator(modelId, operator.address)).wait();
  const price = offerTerms().price;
  const licensees: HardhatEthersSigner[] = protocol.signers.slice(6, 16);
  const licences: bigint[] = [];
  for (const holder of licensees) {
    const licences_ = protocol.licenses.connect(holder);
    licences.push(await licences_.purchase.staticCall(modelId, 1n, holder.address, price, { value: price }));
    await (await licences_.purchase(modelId, 1n, holder.address, price, { value: price })).wait();
  }
  return { protocol, modelId, timelock, operator: operator.address, licensees, licences };
}
export type SettlerChain = Awaited<ReturnType<typeof settlerChain>>;

/** How `serve` signs: by the holder unless `signer`, for the new running total unless `cap`. */
export interface ServeOptions {
  signer?: Signer;
  cap?: bigint;
  /** When the calls finished (Unix ms; default now). */
  finishedAt?: number;
}

/** A test's world over a chain snapshot: ledger, operator's meter, helpers. */
export interface SettlerWorld {
  chain: SettlerChain;
  ledger: Ledger;
  /** The SQLite file (open a second handle on it to play a second replica). */
  ledgerFile: string;
  provider: BrowserProvider;
  operator: Wallet;
  /** The usage meter connected to the operator. */
  meter: UsageMeter;
  domain: TypedDataDomain;
  /** Every line the settlers built by `settler()` logged. */
  logs: string[];
  /** Records what the chain says of licence `licenceId` in the ledger. */
  sync(licenceId: bigint): Promise<void>;
  /**
   * Serves calls of `costs` credits on licence number `index` (0-9) through the ledger: one receipt signed by the
   * licensee (or `signer`) for the new running total (or `cap`), then reserve + commit per call.
   */
  serve(index: number, costs: bigint[], options?: ServeOptions): Promise<void>;
  /** `serve` for any licence (of any model) held by `holder`. */
  serveLicence(
    licence: { licenceId: bigint; modelId: bigint; holder: Signer },
    costs: bigint[],
    options?: ServeOptions,
  ): Promise<void>;
  /** `UsageMeter.usageOf(licence).settled` and the licence's credits left, on chain. */
  onChain(index: number): Promise<{ settled: bigint; credits: bigint }>;
  /** A settler on this world's ledger and meter, with fast test timings (overridable). */
  settler(overrides?: Partial<SettlerOptions>): Settler;
  /** Closes the ledger and opens the same file again, as a restarted gateway does. */
  reopen(): Promise<Ledger>;
  close(): Promise<void>;
}

/** Builds a test's world on `chain`; `eip1193` is the operator's way to the chain (default: the chain itself). */
export async function settlerWorld(
  connection: Connection,
  chain: SettlerChain,
  eip1193: Eip1193Provider = connection.provider as Eip1193Provider,
): Promise<SettlerWorld> {
  const { networkHelpers } = connection;
  const dir = await mkdtemp(path.join(tmpdir(), "ws-settler-"));
  const ledgerFile = path.join(dir, "ledger.sqlite");
  // No response cache: ethers reuses an answer for 250 ms by default, and the tests poll every 5 ms (a settler
  // polling every 5 s, its default, never sees a cached answer).
  const provider = new BrowserProvider(eip1193, undefined, { cacheTimeout: -1 });
  const operator = new Wallet(OPERATOR_KEY, provider);
  const meter = UsageMeter__factory.connect(await chain.protocol.meter.getAddress(), operator);
  const domain = await receiptDomain(chain.protocol.meter);
  const logs: string[] = [];
  const world: SettlerWorld = {
    chain,
    ledger: await openSqliteLedger(ledgerFile),
    ledgerFile,
    provider,
    operator,
    meter,
    domain,
    logs,
    async sync(licenceId) {
      const { licenses, meter: chainMeter } = chain.protocol;
      const block = await networkHelpers.time.latestBlock();
      const [licence, owner, usage] = await Promise.all([
        licenses.licence(licenceId, { blockTag: block }),
        licenses.ownerOf(licenceId, { blockTag: block }),
        chainMeter.usageOf(licenceId, { blockTag: block }),
      ]);
      await world.ledger.syncChain(licenceId, {
        modelId: licence.modelId,
        holder: owner.toLowerCase(),
        metered: licence.metered,
        credits: licence.credits,
        settled: usage.settled,
        block,
      });
    },
    serve(index, costs, options = {}) {
      const licence = { licenceId: chain.licences[index], modelId: chain.modelId, holder: chain.licensees[index] };
      return world.serveLicence(licence, costs, options);
    },
    async serveLicence({ licenceId, modelId, holder }, costs, options = {}) {
      await world.sync(licenceId);
      const before = (await world.ledger.licence(licenceId))!;
      const now = await networkHelpers.time.latest();
      const cap = options.cap ?? before.served + costs.reduce((a, b) => a + b, 0n);
      const deadline = now + 3600;
      const signer = options.signer ?? holder;
      const caller = (await signer.getAddress()).toLowerCase();
      if (options.signer !== undefined) {
        // A receipt the chain will refuse reaches the ledger only through a replica that believed its signer held
        // the licence (reading a node that lagged behind a transfer): the ledger is told so, at the same block.
        await world.ledger.syncChain(licenceId, {
          modelId,
          holder: caller,
          metered: before.metered,
          credits: before.chainCredits,
          settled: before.chainSettled,
          block: before.chainBlock,
        });
      }
      const signed = await signReceipt(signer, domain, {
        licenceId,
        cap,
        deadline: BigInt(deadline),
      });
      const offered = await world.ledger.addReceipt(
        {
          licenceId,
          modelId,
          signer: signed.signer.toLowerCase(),
          cap,
          deadline,
          signature: signed.signature,
        },
        now,
      );
      expect(offered.accepted, `receipt for licence ${licenceId} accepted`).to.equal(true);
      for (const cost of costs) {
        const callId = randomUUID();
        const reserved = await world.ledger.reserve({
          callId,
          licenceId,
          account: caller,
          route: "oip:infer",
          model: "vision-7b",
          maxCost: cost,
          now,
        });
        expect(reserved.ok, `call on licence ${licenceId} reserved`).to.equal(true);
        await world.ledger.commit({ callId, cost, finishedAt: options.finishedAt ?? Date.now() });
      }
      if (options.signer !== undefined) await world.sync(licenceId); // the chain's holder again
    },
    async onChain(index) {
      const licenceId = chain.licences[index];
      const usage = await chain.protocol.meter.usageOf(licenceId);
      return { settled: usage.settled, credits: (await chain.protocol.licenses.licence(licenceId)).credits };
    },
    settler(overrides = {}) {
      return new Settler({
        ledger: world.ledger,
        meter,
        holder: "replica-a",
        intervalMs: 60_000,
        pollMs: 5,
        confirmTimeoutMs: 30_000,
        retry: { baseMs: 1, maxMs: 20, maxAttempts: 4 },
        registry: new Registry(),
        log: (line) => logs.push(line),
        ...overrides,
      });
    },
    async reopen() {
      await world.ledger.close();
      world.ledger = await openSqliteLedger(ledgerFile);
      await world.ledger.migrate();
      return world.ledger;
    },
    async close() {
      await world.ledger.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await world.ledger.migrate();
  return world;
}

/** The `UsageSettled` events of transaction `hash`, decoded. */
export async function settledEvents(world: SettlerWorld, hash: string) {
  const receipt = await world.provider.getTransactionReceipt(hash);
  expect(receipt, `transaction ${hash} mined`).to.not.equal(null);
  return receipt!.logs
    .map((log) => world.meter.interface.parseLog(log))
    .filter((event) => event?.name === "UsageSettled")
    .map((event) => ({ licenceId: event!.args.licenceId as bigint, charged: event!.args.charged as bigint }));
}

/** The licence ids a settle transaction carried, decoded from its calldata. */
export async function settledLicences(world: SettlerWorld, hash: string): Promise<bigint[]> {
  const tx = await world.provider.getTransaction(hash);
  const call = world.meter.interface.parseTransaction({ data: tx!.data });
  expect(call?.name).to.equal("settle");
  return (call!.args[0] as { licenceId: bigint }[]).map((r) => r.licenceId);
}

/** How many transactions the operator has sent so far. */
export function operatorNonce(world: SettlerWorld): Promise<number> {
  return world.provider.getTransactionCount(world.operator.address, "latest");
}
