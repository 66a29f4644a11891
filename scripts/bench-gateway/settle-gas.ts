/**
 * Settlement gas per licence per batch, for the metered-inference rows of `npm run bench:gateway`: real
 * `UsageMeter.settle` transactions sent by the model's operator on the bench's `hardhat node`, one receipt per
 * licence (signed by its holder, as the ledger would batch it), for batches of 1, 10 and 100 licences, each licence
 * held by a fresh key. Every batch is sent twice: its licences' first settlement (their usage slots written from
 * zero) and the next one (updated), which is what a licence settled every interval costs from then on.
 */
import { JsonRpcProvider, Wallet } from "ethers";

import { signReceipt } from "../../client/receipts.js";
import { measureSettleGas } from "../../gateway/settler/batch.js";
import { UsageMeter__factory } from "../../types/ethers-contracts/index.js";
import type { InferenceChain } from "./inference-chain.js";
import { reported, type InferenceRow } from "./rows.js";

/** Batch sizes measured. */
export const SETTLE_BATCH_SIZES = [1, 10, 100];

/** Measures the rows (see the module comment); `rpcUrl` is the chain the operator sends to. */
export async function settlementGasRows(chain: InferenceChain, rpcUrl: string): Promise<InferenceRow[]> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const operator = new Wallet(chain.operator.privateKey, provider);
    const meter = UsageMeter__factory.connect(await chain.protocol.meter.getAddress(), operator);
    const rows: InferenceRow[] = [];
    const later: InferenceRow[] = [];
    for (const size of SETTLE_BATCH_SIZES) {
      const holders = Array.from({ length: size }, () => Wallet.createRandom());
      const licences: bigint[] = [];
      for (const holder of holders) licences.push(await chain.buyLicence(holder.address));
      const settleUpTo = async (total: bigint) => {
        const deadline = BigInt((await provider.getBlock("latest"))!.timestamp + 3600);
        const receipts = await Promise.all(
          holders.map((holder, i) =>
            signReceipt(holder, chain.domain, { licenceId: licences[i], cap: total, deadline }),
          ),
        );
        return Number(await measureSettleGas(meter, receipts)) / size;
      };
      const first = await settleUpTo(2n);
      const next = await settleUpTo(4n);
      const batch = `batch of ${size} licence${size === 1 ? "" : "s"}`;
      const note =
        size === 1 ? "the settle transaction's gasUsed (21,000 base and calldata included) / licences" : undefined;
      rows.push(
        reported(`settlement gas per licence, ${batch}, first settlement of each (gas)`, first, "reported", note),
      );
      later.push(reported(`settlement gas per licence, ${batch}, next settlement (gas)`, next));
    }
    return [...rows, ...later];
  } finally {
    provider.destroy();
  }
}
