/**
 * The client's lineage (client/lineage.ts) over a plain ethers provider: two original models sell derivative
 * licences (by their treasuries, impersonated instead of a vote), a new model's creator buys one of each and registers
 * it as their derivative through the client, a grandchild follows through the derivative's own licence; every
 * refusal `derivativeProblem` foresees is the one the registry makes, and the lineage rebuilt from
 * `DerivativeRegistered` events alone equals the registry's views for every model.
 */
import { expect } from "chai";
import { BrowserProvider, ErrorFragment, Interface, parseEther, ZeroAddress, type Signer } from "ethers";
import hre from "hardhat";

import {
  connectProtocol,
  derivativeProblem,
  lineageFromEvents,
  lineageOf,
  MAX_LINEAGE_DEPTH,
  MAX_LINEAGE_ROUTES,
  MAX_PARENT_SHARE_BPS,
  MAX_PARENTS,
  registerDerivative,
  registerDerivativeCall,
  type Deployment,
  type LineageContracts,
} from "../../client/index.js";
import { addOffer, combine, setPaymentToken, type Proposal } from "../../governance/index.js";
import { defaultGovernance, registerModel } from "../../sdk/index.js";
import { deploymentOf, offerTerms, protocolWithModel, timelockSigner } from "../helpers/fixtures.js";

const connection = await hre.network.create();
const { ethers, networkHelpers } = connection;
const DAY = 86_400n;

async function fixture() {
  const f = await protocolWithModel(ethers);
  const [creator, , , , , , other] = f.signers;
  const register = async (name: string) =>
    (
      await registerModel(
        ethers,
        f.registry,
        {
          name,
          symbol: "wsM",
          contentHash: ethers.id(name),
          metadataURI: `ipfs://${name}`,
          // The creator holds every fraction, so it may register parents alone.
          members: [{ account: creator.address, amount: 100n }],
          governance: defaultGovernance({}),
        },
        creator,
      )
    ).modelId;
  const audio = await register("Audio-3B");
  const deployment: Deployment = { ...(await deploymentOf(f)), lineage: await f.lineage.getAddress() };
  return { ...f, creator, other, audio, register, deployment };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

/** Runs a proposal's calls as `modelId`'s treasury (what executing it does), in order. */
async function asTreasury(f: Fixture, modelId: bigint, p: Proposal): Promise<void> {
  const timelock = await timelockSigner(connection, {
    getAddress: async () => (await f.registry.model(modelId)).timelock,
  });
  for (const [i, target] of p.targets.entries()) {
    await (await timelock.sendTransaction({ to: target, value: p.values[i], data: p.calldatas[i] })).wait();
  }
}

/** `modelId` takes ETH and publishes `offers` (each with its overrides), in one go as its treasury. */
async function sell(f: Fixture, modelId: bigint, offers: Parameters<typeof offerTerms>[0][]): Promise<void> {
  const description = `offers of model #${modelId}`;
  const parts = [await setPaymentToken({ vault: f.vault, modelId, token: ZeroAddress, allowed: true, description })];
  for (const o of offers) {
    parts.push(await addOffer({ licenses: f.licenses, modelId, terms: offerTerms(o), description }));
  }
  await asTreasury(f, modelId, combine(description, parts));
}

/** Buys offer `offerId` of `modelId` for `to` as `buyer`; the licence's id. */
async function buy(f: Fixture, modelId: bigint, offerId: bigint, to: string): Promise<bigint> {
  const [termsId] = await f.licenses.offer(modelId, offerId);
  const { price } = await f.licenses.terms(termsId);
  const receipt = await (
    await f.licenses.connect(f.outsider).purchase(modelId, offerId, to, price, { value: price })
  ).wait();
  const bought = receipt!.logs
    .map((log) => f.licenses.interface.parseLog(log))
    .find((e) => e?.name === "LicencePurchased");
  return bought!.args.licenceId as bigint;
}

/** The errors of the registry and of the licence manager it calls (a refusal of either bubbles up). */
function errorsOf(...interfaces: Interface[]): Interface {
  const bySelector = new Map<string, ErrorFragment>();
  for (const iface of interfaces) {
    for (const fragment of iface.fragments)
      if (fragment instanceof ErrorFragment) bySelector.set(fragment.selector, fragment);
  }
  return new Interface([...bySelector.values()]);
}

/** The custom error a refused transaction carries. */
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

describe("client: derivative models over a plain ethers provider", function () {
  // No cache: ethers reuses an identical read's answer for 250 ms, and the chain changes between reads here.
  const provider = () => new BrowserProvider(connection.provider, undefined, { cacheTimeout: -1 });
  const signer = async (address: string): Promise<Signer> => provider().getSigner(address);
  const contracts = (f: Fixture): LineageContracts => {
    const c = connectProtocol(f.deployment, provider());
    return { registry: c.registry, licenses: c.licenses, vault: c.vault, lineage: c.lineage! };
  };
  const refusal = (f: Fixture) => revertName(errorsOf(f.lineage.interface, f.licenses.interface));

  it("states the registry's caps", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    expect([MAX_PARENTS, MAX_LINEAGE_DEPTH, MAX_LINEAGE_ROUTES]).to.deep.equal([
      Number(await f.lineage.MAX_PARENTS()),
      await f.lineage.MAX_DEPTH(),
      await f.lineage.MAX_ROUTES(),
    ]);
    expect(MAX_PARENT_SHARE_BPS).to.equal(5_000n);
  });

  it("registers a derivative of two models and a grandchild, reads them back, and replays them from events", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const vision = f.model.modelId;
    // Vision: a derivative licence (10%, floor 0.05 ETH) and one that allows none; Audio: 5%, no floor.
    await sell(f, vision, [
      { derivativesAllowed: true, parentShareBps: 1000n, minDerivativePrice: parseEther("0.05") },
      {},
    ]);
    await sell(f, f.audio, [{ price: parseEther("0.2"), derivativesAllowed: true, parentShareBps: 500n }]);
    const c = contracts(f);
    const visionLicence = await buy(f, vision, 1n, f.creator.address);
    const plainLicence = await buy(f, vision, 2n, f.creator.address);
    const audioLicence = await buy(f, f.audio, 1n, f.creator.address);
    const othersLicence = await buy(f, vision, 1n, f.other.address);
    const ft = await f.register("Vision-Audio-ft");

    // Every refusal foreseen is the registry's own.
    const cases: [string, bigint[], string, string][] = [
      [f.other.address, [visionLicence], "account", "ModelLineageNotRegistrant"],
      [f.creator.address, [], "licences", "ModelLineageInvalidParents"],
      [f.creator.address, [visionLicence, 99n], "licences", "LicenseManagerUnknownLicence"],
      [f.creator.address, [othersLicence], "licences", "ModelLineageNotLicenceHolder"],
      [f.creator.address, [plainLicence], "licences", "ModelLineageNotDerivativeLicence"],
    ];
    for (const [account, ids, field, error] of cases) {
      const problem = await derivativeProblem(c, account, ft, ids);
      expect(problem?.[0], `${error}: ${problem?.[1]}`).to.equal(field);
      const refused = await c.lineage
        .connect(await signer(account))
        .registerDerivative.staticCall(ft, ids)
        .then(() => "registered", refusal(f));
      expect(refused).to.equal(error);
    }
    expect(await derivativeProblem(c, f.creator.address, ft, [othersLicence])).to.deep.equal([
      "licences",
      `expected licences you hold; licence #${othersLicence} is held by ${f.other.address}`,
    ]);

    expect(await derivativeProblem(c, f.creator.address, ft, [visionLicence, audioLicence])).to.equal(null);
    const { registration } = await registerDerivative(c.lineage, await signer(f.creator.address), ft, [
      visionLicence,
      audioLicence,
    ]);
    const parents = [
      { modelId: vision, licenceId: visionLicence, shareBps: 1000n },
      { modelId: f.audio, licenceId: audioLicence, shareBps: 500n },
    ];
    const floor = { token: ZeroAddress, price: parseEther("0.05") };
    expect(registration).to.deep.equal({ modelId: ft, registrant: f.creator.address, parents, floor });
    expect(await lineageOf(c.lineage, ft)).to.deep.equal({
      modelId: ft,
      parents,
      children: [],
      depth: 1n,
      routes: 2n,
      parentShareBps: 1500n,
      floor,
    });
    expect((await lineageOf(c.lineage, vision)).children).to.deep.equal([ft]);
    expect(await c.lineage.derivativeOf(visionLicence)).to.equal(ft);

    // Registered once; a used licence registers nothing else.
    expect(await derivativeProblem(c, f.creator.address, ft, [visionLicence])).to.deep.equal([
      "model",
      `expected a model not yet registered as a derivative; model #${ft} is one of #${vision}, #${f.audio}`,
    ]);
    const next = await f.register("Vision-distilled");
    expect(await derivativeProblem(c, f.creator.address, next, [visionLicence])).to.deep.equal([
      "licences",
      `expected unused licences; licence #${visionLicence} registered model #${ft} already`,
    ]);
    // A parent with derivatives is no longer new either.
    expect((await derivativeProblem(c, f.creator.address, vision, [audioLicence]))?.[1]).to.match(
      /^expected a model without derivatives/,
    );

    // The derivative sells at its floor or above; its own derivative licence makes a grandchild.
    const below = await asTreasury(
      f,
      ft,
      await addOffer({
        licenses: f.licenses,
        modelId: ft,
        terms: offerTerms({ price: parseEther("0.04") }),
        description: "below the floor",
      }),
    ).then(() => "published", refusal(f));
    expect(below).to.equal("LicenseManagerBelowDerivativeFloor");
    await sell(f, ft, [{ price: parseEther("0.05"), derivativesAllowed: true, parentShareBps: 2000n }]);
    const grandchild = await f.register("Vision-Audio-ft-quant");
    const ftLicence = await buy(f, ft, 1n, f.creator.address);
    await registerDerivative(c.lineage, await signer(f.creator.address), grandchild, [ftLicence]);
    expect(await lineageOf(c.lineage, grandchild)).to.deep.include({
      depth: 2n,
      routes: 3n,
      parentShareBps: 2000n,
      floor,
    });

    // A derivative sold by its treasury's vote: the same call, built for a proposal.
    const call = registerDerivativeCall(f.deployment.lineage!, next, [audioLicence]);
    expect(call).to.deep.equal({
      to: f.deployment.lineage,
      value: 0n,
      data: (await c.lineage.registerDerivative.populateTransaction(next, [audioLicence])).data,
    });

    // The events alone rebuild what the views say, for every model.
    const logs = await provider().getLogs({ address: f.deployment.lineage, fromBlock: 0 });
    const replayed = lineageFromEvents(logs, f.deployment.lineage!);
    const count = await f.registry.modelCount();
    for (let id = 1n; id <= count; id++) {
      const { modelId, ...viewed } = await lineageOf(c.lineage, id);
      const shown = replayed.models.get(modelId);
      if (shown === undefined) {
        expect(viewed, `model #${id}`).to.deep.equal({
          parents: [],
          children: [],
          depth: 0n,
          routes: 0n,
          parentShareBps: 0n,
          floor: { token: ZeroAddress, price: 0n },
        });
        continue;
      }
      const { registrant, ...rest } = shown;
      expect(rest, `model #${id}`).to.deep.equal(viewed);
      expect(registrant).to.equal(viewed.parents.length === 0 ? null : f.creator.address);
    }
    expect(replayed.models.get(vision)?.children).to.deep.equal([ft]);
    for (const [licenceId, derivative] of replayed.licences) {
      expect(await c.lineage.derivativeOf(licenceId)).to.equal(derivative);
    }
    expect([...replayed.licences.keys()]).to.have.members([visionLicence, audioLicence, ftLicence]);
  });

  it("foresees a model that already sells or takes payments, an expired licence and shares above the cap", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const vision = f.model.modelId;
    await sell(f, vision, [{ derivativesAllowed: true, parentShareBps: 3000n, duration: DAY }]);
    await sell(f, f.audio, [{ derivativesAllowed: true, parentShareBps: 2500n }]);
    const c = contracts(f);
    const a = await buy(f, vision, 1n, f.creator.address);
    const b = await buy(f, f.audio, 1n, f.creator.address);
    const ft = await f.register("Greedy-merge");
    const tooMuch = await derivativeProblem(c, f.creator.address, ft, [a, b]);
    expect(tooMuch).to.deep.equal([
      "licences",
      "expected parents' shares adding up to at most 50% of the derivative's revenue; these licences ask for 55%",
    ]);
    const refused = await c.lineage
      .connect(await signer(f.creator.address))
      .registerDerivative.staticCall(ft, [a, b])
      .then(() => "registered", refusal(f));
    expect(refused).to.equal("ModelLineageShareAboveCap");

    // A model that allowed a payment token has taken payments (or could have): not new.
    await asTreasury(
      f,
      ft,
      await setPaymentToken({ vault: f.vault, modelId: ft, token: ZeroAddress, allowed: true, description: "eth" }),
    );
    expect((await derivativeProblem(c, f.creator.address, ft, [a]))?.[1]).to.equal(
      `expected a new model that has taken no payment yet; model #${ft} has allowed a payment token (its parents would miss what it earned before)`,
    );

    const fresh = await f.register("Late-merge");
    await networkHelpers.time.increase(2n * DAY);
    expect(await derivativeProblem(c, f.creator.address, fresh, [a])).to.deep.equal([
      "licences",
      `expected live licences; licence #${a} has expired or has no credits left (ws renew)`,
    ]);
    const expired = await c.lineage
      .connect(await signer(f.creator.address))
      .registerDerivative.staticCall(fresh, [a])
      .then(() => "registered", refusal(f));
    expect(expired).to.equal("ModelLineageLicenceNotLive");
  });
});
