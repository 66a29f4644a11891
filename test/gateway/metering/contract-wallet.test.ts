/**
 * Metered inference for a licence held by a contract wallet (ERC-1271): contracts/mocks/RevocableWallet, whose owner
 * approves digests on chain and can revoke every approval at once (as a Safe can by changing owners). It signs in
 * with Ethereum through ERC-1271, authorises a running-total cap with an ERC-1271 receipt, is served, and the
 * settler settles it on chain. Once the wallet revokes its signatures, a new receipt is refused (401) and nothing is
 * served beyond the cap the gateway accepted, and what it accepted is still settled: the gateway recorded each of
 * the wallet's receipts on chain when it accepted it (IUsageMeter's kept authorisation), and the settler falls back
 * on that record when the wallet's signature no longer verifies.
 */
import { expect } from "chai";
import { BrowserProvider, hashMessage } from "ethers";
import hre from "hardhat";

import { Settler } from "../../../gateway/settler/settler.js";
import type { RevocableWallet } from "../../../types/ethers-contracts/index.js";
import { offerTerms } from "../../helpers/fixtures.js";
import { inferenceWorld, type InferenceWorld } from "../inference/world.js";
import { nonce, postSignIn, problemOf, siweMessage } from "../server/fixture.js";

const connection = await hre.network.create();

/** What a RevocableWallet "signs" with: it ignores the bytes and checks the digest was approved. */
const WALLET_SIGNATURE = "0x01";

describe("metering: a licence held by a contract wallet (ERC-1271)", function () {
  this.timeout(120_000);
  let world: InferenceWorld;
  let wallet: RevocableWallet;
  let address: string;
  let owner: Awaited<ReturnType<typeof connection.ethers.getSigners>>[number];
  let licenceId: bigint;
  let token: string;

  /** A receipt the wallet's owner approved on chain: `{licenceId, cap, deadline, signature}` as the gateway takes it. */
  async function walletReceipt(cap: bigint, deadline?: number) {
    const d = deadline ?? (await connection.networkHelpers.time.latest()) + 3600;
    await (await wallet.connect(owner).approve(await world.protocol.meter.receiptDigest(licenceId, cap, d))).wait();
    return { licenceId: licenceId.toString(), cap: cap.toString(), deadline: d, signature: WALLET_SIGNATURE };
  }

  async function figures() {
    const state = (await world.ledger.licence(licenceId))!;
    const onChain = await world.protocol.meter.usageOf(licenceId);
    return { served: state.served, settled: state.settled, cap: state.cap, chainSettled: onChain.settled };
  }

  /** One settler pass with the operator's key, over a JSON-RPC provider as in production (reverts carry their data). */
  function settle() {
    const provider = new BrowserProvider(world.eip1193, undefined, { cacheTimeout: -1 });
    const meter = world.protocol.meter.connect(world.operator.connect(provider));
    return new Settler({ ledger: world.ledger, meter, holder: "test", log: () => {} }).runOnce();
  }

  beforeEach(async function () {
    // Every request reads the chain's head, so a revocation shows on the very next one.
    world = await inferenceWorld(connection, { gateway: { blockPollMs: 0 } });
    await connection.networkHelpers.setBalance(world.operator.address, 10n ** 19n);
    owner = world.protocol.signers[12];
    wallet = (await connection.ethers.deployContract("RevocableWallet", [owner.address])) as unknown as RevocableWallet;
    address = await wallet.getAddress();
    const price = offerTerms().price;
    const { licenses } = world.protocol;
    await (await licenses.connect(world.licensee).purchase(world.modelId, 1n, address, price, { value: price })).wait();
    licenceId = await licenses.primaryLicence(world.modelId, address);
    // Sign in with Ethereum: the owner approves the EIP-191 digest of the message (ERC-1271 isValidSignature).
    const message = siweMessage(world, address, await nonce(world));
    await (await wallet.connect(owner).approve(hashMessage(message))).wait();
    const response = await postSignIn(world, message, WALLET_SIGNATURE);
    const session = (await response.json()) as { token: string; address: string };
    expect(response.status, JSON.stringify(session)).to.equal(200);
    expect(session.address).to.equal(address);
    token = session.token;
  });

  afterEach(async function () {
    await world?.close();
  });

  it("signs in (SIWE via ERC-1271), authorises a cap with an ERC-1271 receipt, is served, and is settled on chain", async function () {
    const receipt = await walletReceipt(6n);
    expect((await world.authorise(receipt, token)).status).to.equal(200);
    // Recorded on chain when accepted (a settlement charging nothing): the meter keeps the authorisation.
    const kept = await world.protocol.meter.usageOf(licenceId);
    expect([kept.settled, kept.cap, kept.capDeadline]).to.deep.equal([0n, 6n, BigInt(receipt.deadline)]);
    // An externally owned account's receipt is not: its signature cannot be revoked.
    expect((await world.authorise(await world.receipt(world.licensee, world.licenceId, 6n))).status).to.equal(200);
    expect((await world.protocol.meter.usageOf(world.licenceId)).cap).to.equal(0n);
    for (let i = 0; i < 3; i++) expect((await world.infer({ token })).status).to.equal(200);
    await problemOf(await world.infer({ token }), 402); // the cap is used up
    const report = await settle();
    expect(report.batches.map((b) => b.status)).to.deep.equal(["confirmed"]);
    expect(await figures()).to.deep.equal({ served: 6n, settled: 6n, cap: 6n, chainSettled: 6n });
    expect((await world.protocol.licenses.licence(licenceId)).credits).to.equal(1000n - 6n);
  });

  it("refuses a wallet's receipt ending before the one in force (400): the chain keeps one authorisation per licence", async function () {
    const now = await connection.networkHelpers.time.latest();
    expect((await world.authorise(await walletReceipt(4n, now + 3600), token)).status).to.equal(200);
    const shorter = await problemOf(await world.authorise(await walletReceipt(8n, now + 1800), token), 400);
    expect(shorter).to.include({ field: "deadline" });
    expect(String(shorter.detail)).to.contain(`earlier than ${now + 3600}`);
    expect((await world.protocol.meter.usageOf(licenceId)).cap).to.equal(4n);
    expect((await world.authorise(await walletReceipt(8n, now + 3600), token)).status).to.equal(200);
    expect((await world.protocol.meter.usageOf(licenceId)).cap).to.equal(8n);
  });

  it("two receipts sent at once are taken one at a time: what the ledger authorises is what the chain kept", async function () {
    const now = await connection.networkHelpers.time.latest();
    const wide = await walletReceipt(9n, now + 2000); // the wider cap, the earlier deadline
    const long = await walletReceipt(5n, now + 3600); // a narrower cap running longer
    const answers = await Promise.all([world.authorise(wide, token), world.authorise(long, token)]);
    const statuses = answers.map((a) => a.status).sort();
    // Whichever comes first, the ledger never holds a receipt the chain did not keep as the authorisation in force.
    expect(statuses.filter((s) => s === 200)).to.have.length.within(1, 2);
    const kept = await world.protocol.meter.usageOf(licenceId);
    const state = (await world.ledger.licence(licenceId))!;
    expect([state.cap, BigInt(state.capDeadline)]).to.deep.equal([kept.cap, kept.capDeadline]);
  });

  it("after the wallet revokes its signatures: a new receipt is refused (401), nothing is served beyond the cap accepted, and the accepted usage is still settled", async function () {
    expect((await world.authorise(await walletReceipt(4n), token)).status).to.equal(200);
    expect((await world.infer({ token })).status).to.equal(200);
    await settle();
    expect((await world.authorise(await walletReceipt(10n), token)).status).to.equal(200);
    expect((await world.infer({ token })).status).to.equal(200);
    // Approved before the revocation, offered after it.
    const late = await walletReceipt(20n);
    await (await wallet.connect(owner).revokeAll()).wait();

    expect((await problemOf(await world.authorise(late, token), 401)).type).to.match(/receipt-signature$/);
    expect((await problemOf(await world.infer({ token, receipt: late }), 401)).type).to.match(/receipt-signature$/);
    // The cap accepted before the revocation (10) is honoured, and nothing beyond it.
    for (let i = 0; i < 3; i++) expect((await world.infer({ token })).status).to.equal(200);
    expect((await problemOf(await world.infer({ token }), 402)).type).to.match(/authorisation-exhausted$/);
    expect((await figures()).served).to.equal(10n);

    // The wallet's signature no longer verifies on chain, but the authorisation recorded when the gateway accepted
    // the receipt does: the settler settles all that was served.
    const report = await settle();
    expect(report.quarantined.map(String), report.batches.map((b) => b.error).join("; ")).to.deep.equal([]);
    expect(report.batches.map((b) => b.status)).to.deep.equal(["confirmed"]);
    expect(await figures()).to.deep.equal({ served: 10n, settled: 10n, cap: 10n, chainSettled: 10n });
  });
});
