/**
 * The demo's inference part: the licensee calls Vision-7B's classification head through the gateway (the built-in
 * ONNX runner, Open Inference Protocol), signing for each call a usage receipt for the running total; the credits it
 * has left fall call by call in the gateway's ledger; then the settler settles the three calls on chain in one batch
 * (one receipt for the licence), and the licence's credits fall by exactly what was served. The credits were paid for
 * with the licence, whose price the vault split at purchase: contributors and holders draw it as shown.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { formatEther } from "ethers";
import type { FastifyInstance } from "fastify";

import { receiptDomain } from "../../client/receipts.js";
import { inferTensors, quoteUsage, signIn, type MeteredSession } from "../../gateway/client/index.js";
import type { Ledger } from "../../gateway/ledger/ledger.js";
import { Settler } from "../../gateway/settler/settler.js";
import { table } from "../../sdk/index.js";
import type { LicenseManager, RevenueVault, UsageMeter } from "../../types/ethers-contracts/index.js";

/** What the inference part needs. */
export interface InferenceDemo {
  url: string;
  gateway: FastifyInstance;
  ledger: Ledger;
  licenses: LicenseManager;
  meter: UsageMeter;
  vault: RevenueVault;
  modelId: bigint;
  licensee: HardhatEthersSigner;
  operator: HardhatEthersSigner;
  contributor: HardhatEthersSigner;
  holder: HardhatEthersSigner;
  check(what: string, actual: unknown, expected: unknown): void;
  say(text: string): void;
}

const CLASSES = ["cat", "dog", "bird"];
const IMAGES = [
  [0.9, 0.1, 0.2, 0.0],
  [0.1, 0.8, 0.3, 0.4],
  [0.2, 0.1, 0.9, 0.1],
];

/** Runs the part (see the module comment). */
export async function inferenceDemo(d: InferenceDemo): Promise<void> {
  const { token } = await signIn(d.url, d.licensee);
  const session: MeteredSession = { gateway: d.url, token, signer: d.licensee, domain: await receiptDomain(d.meter) };
  const licenceId = await d.licenses.primaryLicence(d.modelId, d.licensee.address);
  const creditsBefore = (await d.licenses.licence(licenceId)).credits;
  const rows: string[][] = [];
  for (const [i, features] of IMAGES.entries()) {
    const answer = await inferTensors<{ outputs: Array<{ data: number[] }> }>(session, d.modelId, {
      inputs: [{ name: "features", shape: [1, 4], datatype: "FP32", data: features }],
    });
    const logits = answer.body.outputs[0].data;
    const best = logits.indexOf(Math.max(...logits));
    const quote = await quoteUsage(session, d.modelId);
    rows.push([
      `call ${i + 1}`,
      CLASSES[best],
      String(answer.charged),
      quote.licence.used,
      String(quote.licence.creditsLeft),
    ]);
    d.check(`call ${i + 1} is charged 1 credit (the published rate)`, answer.charged, 1n);
    d.check(`credits left after call ${i + 1}`, quote.licence.creditsLeft, String(creditsBefore - BigInt(i + 1)));
  }
  d.say(
    `The licensee called weightshare/${d.modelId}'s classifier through the gateway's ONNX runner (Open Inference` +
      " Protocol), signing for each call a receipt for its running total; the credits it has left fell call by call" +
      " in the gateway's ledger (on chain nothing has moved yet):",
  );
  console.log(table(["call", "class", "charged", "used (running total)", "credits left"], rows));
  d.check(
    "on chain, nothing is settled before the batch",
    (await d.licenses.licence(licenceId)).credits,
    creditsBefore,
  );

  const settler = new Settler({ ledger: d.ledger, meter: d.meter.connect(d.operator), holder: "demo", log: () => {} });
  const report = await settler.runOnce();
  const [batch] = report.batches;
  d.check("the settler sent one batch", report.batches.length, 1);
  d.check("one receipt for the licence", batch?.licences, 1);
  d.check("the batch is confirmed", batch?.status, "confirmed");
  const creditsAfter = (await d.licenses.licence(licenceId)).credits;
  d.check("3 credits spent on chain", creditsBefore - creditsAfter, 3n);
  d.check("settled running total on chain", (await d.meter.usageOf(licenceId)).settled, 3n);
  const eth = "0x0000000000000000000000000000000000000000";
  d.say(
    `The settler (the operator's key, which the DAO named in vote 1) settled the 3 calls in one batch with one receipt` +
      ` for licence #${licenceId} (${batch?.gasUsed ?? "?"} gas): its credits on chain fell from ${creditsBefore} to` +
      ` ${creditsAfter}. Those credits were paid for with the licence, whose price the vault split at purchase: the` +
      ` labeller can release ${formatEther(await d.vault.releasable(d.modelId, eth, d.contributor.address))} ETH` +
      ` and Lab A claim ${formatEther(await d.vault.claimable(d.modelId, eth, d.holder.address))} ETH of it.`,
  );
}
