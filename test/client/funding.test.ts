/**
 * The client's raises and sales (client/raises.ts, client/sales.ts, client/allowlist.ts, client/funding-events.ts)
 * over a plain ethers provider: the treasury runs the calls governance/funding.ts builds (impersonated, instead of a
 * vote), then backers and buyers act only through the client: terms signed with EIP-712 (the digest is the
 * contract's), an allow-list proof the contract's MerkleProof accepts, exact payments, pro rata allocation and the
 * surplus refunded, fractions claimed, a sale bought with its price guard, and every event an indexer reads.
 */
import { expect } from "chai";
import {
  BrowserProvider,
  parseEther,
  verifyTypedData,
  ZeroAddress,
  ZeroHash,
  type Interface,
  type Signer,
} from "ethers";
import hre from "hardhat";

import {
  acceptTermsTypedData,
  backerPosition,
  backRaise,
  buildAllowlist,
  buyFractions,
  claimRaiseFractions,
  connectProtocol,
  finalizeRaise,
  FUNDING_EVENTS,
  fundingEventTopics,
  raiseIds,
  raiseSummary,
  refundRaise,
  saleIds,
  saleSummary,
  signRaiseTerms,
  type Deployment,
  type RaiseTerms,
} from "../../client/index.js";
import { openRaise, openSale, type Proposal } from "../../governance/index.js";
import { deploymentOf, protocolWithModel, timelockSigner } from "../helpers/fixtures.js";

const connection = await hre.network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const f = await protocolWithModel(ethers);
  const timelock = await timelockSigner(connection, f.model.timelock);
  const deployment: Deployment = await deploymentOf(f);
  return { ...f, timelock, deployment, backers: f.signers.slice(6, 9) };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

/** Runs a proposal's calls as the treasury (what executing it does), in order. */
async function asTreasury(f: Fixture, p: Proposal): Promise<void> {
  for (const [i, target] of p.targets.entries()) {
    await (await f.timelock.sendTransaction({ to: target, value: p.values[i], data: p.calldatas[i] })).wait();
  }
}

/** The custom error a refused transaction carries (from ethers' error, at whatever depth the provider put it). */
function revertName(iface: Interface) {
  return (error: unknown): string | undefined => {
    for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 6; depth++) {
      const data = typeof e.data === "string" ? e.data : (e.data as { data?: unknown } | undefined)?.data;
      if (typeof data === "string" && data.length >= 10) return iface.parseError(data)?.name;
      e = (e.error ?? e.info ?? e.cause) as Record<string, unknown> | undefined;
    }
    return undefined;
  };
}

async function now(): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
}

describe("client: raises and fraction sales over a plain ethers provider", function () {
  const provider = () => new BrowserProvider(connection.provider);
  const signer = async (address: string): Promise<Signer> => provider().getSigner(address);

  it("backs an allow-listed ETH raise, finalises it oversubscribed, claims pro rata and refunds the rest", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const [alice, bob, carol] = f.backers;
    const list = buildAllowlist([alice.address, bob.address]);
    const t0 = await now();
    const terms: RaiseTerms = {
      modelId: f.model.modelId,
      token: ZeroAddress,
      price: parseEther("0.01"),
      goal: 50n,
      cap: 100n,
      accountCap: 0n,
      opensAt: t0,
      closesAt: t0 + 7n * 86_400n,
      allowlistRoot: list.root,
      termsHash: ethers.id("raise terms v1"),
      termsURI: "ipfs://raise-terms",
      tranches: [],
      seatPrice: 0n,
      seats: 0n,
      accessDeadline: 0n,
    };
    await asTreasury(f, await openRaise({ shares: f.shares, raises: f.raises, terms, description: "raise" }));
    const c = connectProtocol(f.deployment, provider());
    const raises = c.raises!;
    expect(await raiseIds(raises)).to.deep.equal([1n]);
    expect(await raiseIds(raises, 99n)).to.deep.equal([]);

    // The typed data the client signs is the contract's digest.
    const typed = await acceptTermsTypedData(raises, 1n, alice.address);
    expect(typed.digest).to.equal(await raises.termsDigest(1n, alice.address));
    expect(typed.domain).to.deep.include({ name: "Weightshare Raises", version: "1" });

    const a = await signer(alice.address);
    const before = await ethers.provider.getBalance(alice.address);
    const receipt = await backRaise(raises, a, 1n, { fractions: 80n, proof: list.proof(alice.address) });
    const gas = receipt.gasUsed * receipt.gasPrice;
    expect(await ethers.provider.getBalance(alice.address)).to.equal(before - parseEther("0.8") - gas);
    // A second commitment sends no signature: the terms were accepted once.
    await backRaise(raises, a, 1n, { fractions: 20n, proof: list.proof(alice.address) });
    await backRaise(raises, await signer(bob.address), 1n, { fractions: 100n, proof: list.proof(bob.address) });
    // Carol is not on the list: her own proof does not exist, and Bob's is refused for her.
    const refused = await backRaise(raises, await signer(carol.address), 1n, {
      fractions: 1n,
      proof: list.proof(bob.address),
    }).then(() => "committed", revertName(raises.interface));
    expect(refused).to.equal("RaisesNotAllowed");

    const open = await raiseSummary(raises, 1n);
    expect([open.status, open.state.committed, open.sold, open.raised]).to.deep.equal([
      "Open",
      200n,
      100n,
      parseEther("1"),
    ]);
    expect(open.committedMoney).to.equal(parseEther("2"));
    expect((await backerPosition(raises, 1n, alice.address)).acceptedTerms).to.equal(true);

    await networkHelpers.time.increaseTo(terms.closesAt);
    const treasuryBefore = await ethers.provider.getBalance(await f.model.timelock.getAddress());
    const settled = await finalizeRaise(raises, await signer(carol.address), 1n);
    expect([settled.succeeded, settled.sold, settled.raised]).to.deep.equal([true, 100n, parseEther("1")]);
    expect(await ethers.provider.getBalance(await f.model.timelock.getAddress())).to.equal(
      treasuryBefore + parseEther("1"),
    );

    // Pro rata: each committed 100 of 200 for a cap of 100, so each gets 50 fractions and half its money back.
    const position = await backerPosition(raises, 1n, alice.address);
    expect([position.allocation, position.refundable]).to.deep.equal([50n, parseEther("0.5")]);
    const claimed = await claimRaiseFractions(raises, await signer(carol.address), 1n, alice.address);
    expect(claimed.fractions).to.equal(50n);
    expect(await f.shares.balanceOf(alice.address, f.model.modelId)).to.equal(50n);
    const refund = await refundRaise(raises, a, 1n);
    expect(refund.amount).to.equal(parseEther("0.5"));
    expect((await raiseSummary(raises, 1n)).status).to.equal("Succeeded");
  });

  it("signs terms with a plain signer and buys treasury fractions at a falling price with a max-price guard", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const [alice] = f.backers;
    const c = connectProtocol(f.deployment, provider());
    const t0 = await now();
    await (await f.shares.connect(f.timelock).mint(await f.timelock.getAddress(), f.model.modelId, 100n, "0x")).wait();
    const terms = {
      modelId: f.model.modelId,
      token: ZeroAddress,
      startPrice: parseEther("0.02"),
      endPrice: parseEther("0.01"),
      amount: 60n,
      startsAt: t0,
      endsAt: t0 + 1000n,
    };
    await asTreasury(f, await openSale({ shares: f.shares, sales: f.sales, terms, description: "sale" }));
    const sales = c.sales!;
    expect(await saleIds(sales)).to.deep.equal([1n]);
    await networkHelpers.time.increaseTo(t0 + 500n);
    const s = await saleSummary(sales, 1n);
    expect([s.status, s.left, s.price]).to.deep.equal(["Active", 60n, parseEther("0.015")]);

    const buyer = await signer(alice.address);
    const low = await buyFractions(sales, buyer, 1n, 10n, parseEther("0.01")).then(
      () => "bought",
      revertName(sales.interface),
    );
    expect(low).to.equal("FractionSalesPriceAboveMax");
    const treasury = await f.model.timelock.getAddress();
    const before = await ethers.provider.getBalance(treasury);
    const bought = await buyFractions(sales, buyer, 1n, 10n, parseEther("0.02"));
    expect(bought.cost).to.equal(bought.price * 10n);
    expect(bought.price <= s.price).to.equal(true, "a falling price only falls");
    expect(await ethers.provider.getBalance(treasury)).to.equal(before + bought.cost);
    expect(await f.shares.balanceOf(alice.address, f.model.modelId)).to.equal(10n);
    expect((await saleSummary(sales, 1n)).sold).to.equal(10n);

    // signRaiseTerms works for any ethers signer (here, on a raise that exists only to be signed for).
    const open: RaiseTerms = {
      modelId: f.model.modelId,
      token: ZeroAddress,
      price: 1n,
      goal: 1n,
      cap: 1n,
      accountCap: 0n,
      opensAt: t0,
      closesAt: t0 + 86_400n,
      allowlistRoot: ZeroHash,
      termsHash: ethers.id("terms"),
      termsURI: "ipfs://terms",
      tranches: [],
      seatPrice: 0n,
      seats: 0n,
      accessDeadline: 0n,
    };
    await asTreasury(f, await openRaise({ shares: f.shares, raises: f.raises, terms: open, description: "r" }));
    const signature = await signRaiseTerms(c.raises!, buyer, 1n);
    const { domain, types, message } = await acceptTermsTypedData(c.raises!, 1n, alice.address);
    expect(verifyTypedData(domain, types, message, signature)).to.equal(alice.address);
  });

  it("lists every funding event with its signature and topic, the contracts' own", async function () {
    const topics = fundingEventTopics();
    expect(topics.map((t) => t.name)).to.deep.equal([
      ...FUNDING_EVENTS.raises,
      ...FUNDING_EVENTS.sales,
      ...FUNDING_EVENTS.shares,
    ]);
    const committed = topics.find((t) => t.name === "Committed")!;
    expect(committed.signature).to.equal("Committed(uint256,address,uint256,uint256,uint256,uint256)");
    expect(committed.topic).to.equal(ethers.id(committed.signature));
    const granted = topics.find((t) => t.name === "MintingGranted")!;
    const f = await networkHelpers.loadFixture(fixture);
    expect(f.shares.interface.getEvent("MintingGranted")!.topicHash).to.equal(granted.topic);
    expect(f.raises.interface.getEvent("RaiseOpened")!.topicHash).to.equal(
      topics.find((t) => t.name === "RaiseOpened")!.topic,
    );
  });
});
