/**
 * The chain side of the metered-inference rows of `npm run bench:gateway`, run inside `hardhat run` against the
 * bench's `hardhat node`: a protocol deployed apart from the download rows' one, with a model whose published card
 * serves inference from a real ONNX file (a linear layer, built in JavaScript) at 1 credit per call, an operator
 * named on chain by the model's timelock (a fresh key, funded), and a licensee (a fresh key) holding a metered
 * licence of `LICENCE_CREDITS`. The published version lives in `<dir>/data`; the deployment record is written to
 * `<dir>/deployment.json` for the gateways.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { Wallet, type HDNodeWallet, type TypedDataDomain } from "ethers";

import { receiptDomain } from "../../client/receipts.js";
import { publish } from "../../gateway/publish/publish.js";
import { openEmbeddedStore } from "../../gateway/storage/embedded.js";
import { deploymentOf, offerTerms, protocolWithModel, timelockSigner } from "../../test/helpers/fixtures.js";
import { linearModelBytes } from "../../test/helpers/onnx-model.js";

/** Credits of the bench's metered offer (every licence bought here has them). */
export const LICENCE_CREDITS = 10_000_000n;
/** The model card: the ONNX runner (Open Inference Protocol) and, given an upstream, the OpenAI proxy; 1 credit per call. */
const CARD =
  "---\nlicense: other\nweightshare:\n  inference:\n    runtime: onnx\n    file: onnx/model.onnx\n" +
  "    credits_per_call: 1\n---\n# Bench model\n\nA linear layer served for the benchmark.\n";

/** What the setup needs of the Hardhat network connection. */
export interface Connection {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
}

/** The chain side, ready for the gateways. */
export interface InferenceChain {
  protocol: Awaited<ReturnType<typeof protocolWithModel>>;
  modelId: bigint;
  chainId: bigint;
  /** The model's operator (unconnected): its key is the gateways' WEIGHTSHARE_OPERATOR_KEY. */
  operator: HDNodeWallet;
  /** The licensee (unconnected), holding one metered licence. */
  licensee: HDNodeWallet;
  /** The UsageMeter's EIP-712 domain. */
  domain: TypedDataDomain;
  /** The gateways' --deployment. */
  deploymentFile: string;
  /** The gateways' --data-dir (the published model's blocks and catalogue). */
  dataDir: string;
  /** Buys a metered licence of the model for `holder`; returns its id. */
  buyLicence(holder: string): Promise<bigint>;
}

/** Sets up the chain and publishes the model under `dir` with `kek`; see the module comment. */
export async function inferenceChain(connection: Connection, dir: string, kek: Buffer): Promise<InferenceChain> {
  const { ethers, networkHelpers } = connection;
  const protocol = await protocolWithModel(ethers);
  const modelId = protocol.model.modelId;
  const timelock = await timelockSigner(connection, protocol.model.timelock);
  const offer = offerTerms({ credits: LICENCE_CREDITS, duration: 30n * 86400n });
  await (await protocol.vault.connect(timelock).setPaymentToken(modelId, ethers.ZeroAddress, true)).wait();
  await (await protocol.licenses.connect(timelock).addOffer(modelId, offer)).wait();
  const operator = Wallet.createRandom();
  await networkHelpers.setBalance(operator.address, ethers.parseEther("100"));
  await (await protocol.meter.connect(timelock).setOperator(modelId, operator.address)).wait();

  const buyer = protocol.signers[7];
  const buyLicence = async (holder: string): Promise<bigint> => {
    const licences = protocol.licenses.connect(buyer);
    await (await licences.purchase(modelId, 1n, holder, offer.price, { value: offer.price })).wait();
    return protocol.licenses.primaryLicence(modelId, holder);
  };
  const licensee = Wallet.createRandom();
  await buyLicence(licensee.address);

  const modelDir = path.join(dir, "model");
  await mkdir(path.join(modelDir, "onnx"), { recursive: true });
  await writeFile(path.join(modelDir, "README.md"), CARD);
  await writeFile(path.join(modelDir, "onnx", "model.onnx"), linearModelBytes());
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const dataDir = path.join(dir, "data");
  const store = await openEmbeddedStore(path.join(dataDir, "blocks"));
  let metadataURI: string;
  try {
    ({ metadataURI } = await publish({ dir: modelDir, chainId, modelId, store, dataDir, kek }));
  } finally {
    await store.close();
  }
  await (await protocol.shares.connect(timelock).setURI(modelId, metadataURI)).wait();
  const deploymentFile = path.join(dir, "deployment.json");
  await writeFile(deploymentFile, JSON.stringify(await deploymentOf(protocol)));
  return {
    protocol,
    modelId,
    chainId,
    operator,
    licensee,
    domain: await receiptDomain(protocol.meter),
    deploymentFile,
    dataDir,
    buyLicence,
  };
}
