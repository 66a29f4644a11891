/**
 * What metering reads from the chain for one call, at the chain's head and cached for that block (through the access
 * checker's per-block cache): the caller's primary licence of the model, its terms in force (expiry, credits,
 * metered), its owner, what the usage meter settled of it, the model's operator, and the head's timestamp.
 */
import type { LicenseManager, UsageMeter } from "../../types/ethers-contracts/index.ts";
import type { ChainUsage } from "../ledger/ledger.ts";
import type { AccessChecker, ChainProvider } from "../server/access.ts";

/** The caller's licence of a model, as the chain has it now. */
export interface LicenceAtHead extends ChainUsage {
  licenceId: bigint;
  /** Expiry in Unix seconds (0: perpetual). */
  expiry: number;
  /** The head block's timestamp, Unix seconds: "now" for receipts and expiry. */
  now: number;
}

/** Typed reads for metering, cached per head block. */
export class MeteringChain {
  private readonly access: AccessChecker;
  private readonly provider: ChainProvider;
  private readonly licenses: LicenseManager;
  private readonly meter: UsageMeter;

  /**
   * @param access the gateway's access checker (its head and per-block cache)
   * @param provider the chain
   * @param licenses the LicenseManager and @param meter the UsageMeter, connected to `provider`
   */
  constructor(access: AccessChecker, provider: ChainProvider, licenses: LicenseManager, meter: UsageMeter) {
    this.access = access;
    this.provider = provider;
    this.licenses = licenses;
    this.meter = meter;
  }

  /** The head block's timestamp (Unix seconds). */
  async now(): Promise<number> {
    return this.access.atHead("head-timestamp", async (block) => {
      const header = await this.provider.getBlock(block);
      if (header === null) throw new Error(`block ${block} not found`);
      return header.timestamp;
    });
  }

  /** The model's operator (`UsageMeter.operatorOf`), lowercase. */
  async operatorOf(modelId: bigint): Promise<string> {
    const operator = await this.access.atHead(`operator:${modelId}`, (block) =>
      this.meter.operatorOf(modelId, { blockTag: block }),
    );
    return operator.toLowerCase();
  }

  /**
   * `account`'s primary licence of `modelId` with its state, or undefined when it has none it still owns. Reads
   * `primaryLicence`, then the licence, its owner and its settled usage at one block.
   */
  async licenceOf(modelId: bigint, account: string): Promise<LicenceAtHead | undefined> {
    const who = account.toLowerCase();
    const id = await this.access.atHead(`primary:${modelId}:${who}`, (block) =>
      this.licenses.primaryLicence(modelId, who, { blockTag: block }),
    );
    if (id === 0n) return undefined;
    const state = await this.licence(id);
    return state.holder === who && state.modelId === modelId ? state : undefined;
  }

  /** Licence `licenceId` as the chain has it at the head. */
  async licence(licenceId: bigint): Promise<LicenceAtHead> {
    const [now, read] = await Promise.all([
      this.now(),
      this.access.atHead(`licence:${licenceId}`, async (block) => {
        const blockTag = { blockTag: block };
        const [licence, owner, usage] = await Promise.all([
          this.licenses.licence(licenceId, blockTag),
          this.licenses.ownerOf(licenceId, blockTag),
          this.meter.usageOf(licenceId, blockTag),
        ]);
        return { licence, owner, settled: usage.settled, block };
      }),
    ]);
    return {
      licenceId,
      modelId: read.licence.modelId,
      holder: read.owner.toLowerCase(),
      metered: read.licence.metered,
      credits: read.licence.credits,
      settled: read.settled,
      block: read.block,
      expiry: Number(read.licence.expiry),
      now,
    };
  }
}
