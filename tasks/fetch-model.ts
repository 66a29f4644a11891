/**
 * `ws fetch-model --model-id N --gateway URL --out DIR [--revision main|v2|<commit>] [--ipfs-gateway URL]
 * [--deployment FILE] [--signer S] [--json]`: downloads a licensed model version as ciphertext by CID and decrypts it locally
 * (gateway/client/). The signer signs in to the gateway with Ethereum; the SIWE message authorises a fresh
 * ephemeral secp256k1 key (Hardhat signers do not expose private keys) to receive the content key, which the
 * gateway releases sealed to it after checking the licence on chain. Every file's ciphertext size and plaintext
 * SHA-256 are verified against the manifest before it is moved into place; nothing unverified is left in DIR.
 *
 * The gateway checks access and names the model's versions. For `main`, when this network's deployment is known
 * (`--deployment`, or Ignition's record), the released version's content hash must be the registry's, so a gateway
 * cannot pass off another version as the one the DAO voted; without one, that check is skipped and the output says
 * nothing about the chain.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { connectProtocol } from "../client/contracts.js";
import {
  type FetchedFile,
  fetchModel,
  FileVerificationError,
  GatewayError,
  generateReleaseKeyPair,
  KeyReleaseError,
  ManifestVerificationError,
  signIn,
} from "../gateway/client/index.js";
import { action, deployment, output, TaskInputError, uint } from "./lib/cli.js";
import { gatewayUrlArg, signingAccount } from "./lib/gateway.js";
import { sizeText } from "./lib/units.js";

interface Args {
  modelId: string;
  deployment: string;
  gateway: string;
  out: string;
  revision: string;
  ipfsGateway: string;
  signer: string;
  json: boolean;
}

/** Error codes of the file system that point at `--out` rather than at the data fetched. */
const OUT_ERRORS = new Set(["EACCES", "EPERM", "ENOSPC", "EROFS", "ENOTDIR", "EISDIR", "EEXIST", "EDQUOT"]);

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const modelId = uint("model-id", args.modelId);
  const gateway = gatewayUrlArg("gateway", args.gateway, "the gateway's URL, e.g. --gateway http://127.0.0.1:8484");
  const ipfsGateway =
    args.ipfsGateway === "" ? undefined : gatewayUrlArg("ipfs-gateway", args.ipfsGateway, "an IPFS HTTP gateway URL");
  if (args.out.trim() === "")
    throw new TaskInputError("--out: expected the directory to write the model to (e.g. --out ./model)");
  const revision = args.revision === "" ? "main" : args.revision;
  if (!/^(main|HEAD|v[1-9]\d{0,8}|[0-9a-f]{40})$/.test(revision)) {
    throw new TaskInputError(
      `--revision: expected main (the version on chain), v<N> or a version's 40-hex commit, got "${revision}"`,
    );
  }
  const signer = await signingAccount(hre, args.signer);
  // `main` is what the DAO voted: when the chain's deployment is known, the version the gateway calls main must be
  // the one whose manifest hash the registry holds, or nothing is fetched.
  const onChain =
    revision === "main" || revision === "HEAD" ? await chainContentHash(hre, args.deployment, modelId) : null;
  const repo = `weightshare/${modelId}`;
  const source = ipfsGateway === undefined ? "gateway" : "ipfs-gateway";

  const keyPair = generateReleaseKeyPair();
  try {
    const session = await signIn(gateway, signer, { releasePublicKey: keyPair.publicKey }).catch((error: unknown) => {
      throw refusal(error, modelId, signer.address, source);
    });
    const result = await fetchModel({
      gatewayUrl: gateway,
      token: session.token,
      repo,
      revision,
      outDir: args.out,
      releasePrivateKey: keyPair.privateKey,
      ...(ipfsGateway === undefined ? {} : { ipfsGatewayUrl: ipfsGateway }),
      onManifest: (manifest, release) => {
        if (onChain !== null && release.contentHash !== onChain) {
          throw new TaskInputError(
            `--gateway: its main version of model #${modelId} (v${release.version}, content hash ` +
              `${release.contentHash}) is not the one on chain (${onChain}); nothing was fetched`,
          );
        }
        if (args.json) return;
        const total = manifest.files.reduce((sum, f) => sum + f.size, 0);
        console.log(
          `${repo} version ${release.version} (commit ${release.commit}), ${manifest.files.length} files, ` +
            `${sizeText(total)}, as ${signer.address}, into ${args.out}:`,
        );
      },
      onFile: (file: FetchedFile) => {
        if (!args.json) console.log(`  ${file.path}  ${sizeText(file.size)}  sha256 verified`);
      },
    }).catch((error: unknown) => {
      throw refusal(error, modelId, signer.address, source);
    });
    output(
      args.json,
      { ...result, account: signer.address, outDir: args.out },
      () =>
        `done: ${result.files.length} files verified` +
        (onChain === null ? "" : "; the version is the one on chain (content hash matches the registry)"),
    );
  } finally {
    keyPair.privateKey.fill(0);
  }
});

/** One line naming the argument a failure points at. */
function refusal(error: unknown, modelId: bigint, account: string, source: "gateway" | "ipfs-gateway"): Error {
  if (error instanceof GatewayError) {
    if (error.status === 403) {
      return new TaskInputError(
        `--model-id: ${account} has no live licence (or fractions) of model #${modelId}: buy one with ` +
          `\`ws buy --model-id ${modelId} --offer-id <id>\` (or renew a lapsed one with \`ws renew --licence-id <id>\`)`,
      );
    }
    if (error.status === 404) {
      const option = /revision/i.test(error.title) ? "revision" : "model-id";
      return new TaskInputError(`--${option}: ${error.detail}`);
    }
    const where = error.url.includes("/ipfs/") ? source : "gateway";
    return new TaskInputError(`--${where}: ${error.status === 0 ? error.detail : `${error.title}: ${error.detail}`}`);
  }
  if (error instanceof FileVerificationError) {
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    return new TaskInputError(`--${code !== undefined && OUT_ERRORS.has(code) ? "out" : source}: ${error.message}`);
  }
  if (error instanceof ManifestVerificationError) return new TaskInputError(`--${source}: ${error.message}`);
  if (error instanceof KeyReleaseError) return new TaskInputError(`--gateway: ${error.message}`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && OUT_ERRORS.has(code)) return new TaskInputError(`--out: ${(error as Error).message}`);
  return error as Error;
}

/**
 * The content hash the registry holds for `modelId`, read through `--deployment` (or the chain's recorded
 * deployment); null when no deployment is known for this network, so nothing can be checked.
 */
async function chainContentHash(hre: HardhatRuntimeEnvironment, file: string, modelId: bigint): Promise<string | null> {
  const connection = await hre.network.getOrCreate();
  let d;
  try {
    d = await deployment(connection, file, ["shares", "registry"]);
  } catch (error) {
    if (file === "" && error instanceof TaskInputError) return null; // no recorded deployment: nothing to check with
    throw error;
  }
  if ((await connection.ethers.provider.getCode(d.registry)) === "0x") {
    if (file === "") return null;
    throw new TaskInputError(`--deployment: no Weightshare registry at ${d.registry} on this network`);
  }
  const { registry } = connectProtocol(d, connection.ethers.provider);
  try {
    return (await registry.model(modelId)).contentHash;
  } catch {
    throw new TaskInputError(`--model-id: model #${modelId} is not registered on this network`);
  }
}
