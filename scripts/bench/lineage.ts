/**
 * Derivative models (issue #15): what a model's ancestors add to a payment into it. A chain G <- P <- C <- D, each
 * registered as a derivative of the one before through a 10% derivative licence, each taking ETH with the demo's
 * split (20% to a contributor, 50% to holders unlocking over 7 days, 30% to the treasury). A payment sets aside each
 * ancestor's share (passed up the chain in the same transaction) and the ancestor's split runs when its share is
 * collected, so collecting is measured too, next to the plain deposit whose split it repeats. A payment into a model
 * with 0 (an original model, O, configured the same), 1, 2 and 3 ancestors is measured on a live market (earlier
 * payments' holder revenue still unlocking, earlier shares collected); the plain deposit into O is the baseline,
 * and each row names the gas per ancestor over it, against a goal of under 40,000 gas per ancestor (the goal column
 * is that bound as a ratio to the baseline). Also: a licence purchase from a derivative with 1 ancestor next to the
 * same purchase from O, and registering a derivative with 1 parent.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { defaultGovernance, deployProtocol, registerModel } from "../../sdk/index.js";
import { configureRevenue } from "./revenue.js";
import { gasOf, row, type BenchRow } from "./types.js";

const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400n;
const START = 2_000_000_000n;
/** The goal: each ancestor adds less than this to a payment. */
const PER_ANCESTOR_GOAL = 40_000n;
const PRICE = 10n ** 16n;

export async function benchLineage(connection: NetworkConnection): Promise<BenchRow[]> {
  const { ethers, networkHelpers } = connection;
  const [admin, lab, contributor, payer, earlier, buyerO, buyerP] = await ethers.getSigners();
  await networkHelpers.time.increaseTo(START);
  const protocol = await deployProtocol(ethers, admin);
  const { registry, vault, licenses, lineage } = protocol;
  const tick = () => networkHelpers.time.increase(12);
  const offer = (derivative: boolean) => ({
    price: PRICE,
    paymentToken: ETH,
    duration: 365n * DAY,
    credits: 0n,
    cap: 0n,
    transferable: false,
    commercialUse: true,
    derivativesAllowed: derivative,
    onSale: true,
    termsURI: "ipfs://terms",
    termsHash: ethers.id("terms"),
    parentShareBps: derivative ? 1000n : 0n,
    minDerivativePrice: 0n,
  });

  /**
   * A model of `lab`'s; with `parent`, registered as its derivative through a derivative licence `lab` buys first.
   * Then it takes ETH with the demo's split and publishes a licence (offer 1) and a derivative licence (offer 2).
   */
  async function model(name: string, parent?: bigint): Promise<{ modelId: bigint; registerGas: bigint }> {
    let licenceId = 0n;
    if (parent !== undefined) {
      const buy = [parent, 2n, lab.address, PRICE, { value: PRICE }] as const;
      licenceId = await licenses.connect(lab).purchase.staticCall(...buy);
      await (await licenses.connect(lab).purchase(...buy)).wait();
    }
    const { modelId, timelock } = await registerModel(
      ethers,
      registry,
      {
        name,
        symbol: name,
        contentHash: ethers.ZeroHash,
        metadataURI: "",
        members: [{ account: lab.address, amount: 1000n }],
        governance: defaultGovernance(),
      },
      lab,
    );
    const registerGas =
      parent === undefined ? 0n : await gasOf(lineage.connect(lab).registerDerivative(modelId, [licenceId]));
    await configureRevenue(ethers, networkHelpers, protocol, modelId, {
      tokens: [ETH],
      contributorsBps: 2000n,
      holdersBps: 5000n,
      contributors: [contributor.address],
    });
    const treasury = await timelock.getAddress();
    await networkHelpers.impersonateAccount(treasury);
    const asTreasury = await ethers.getSigner(treasury);
    await licenses.connect(asTreasury).addOffer(modelId, offer(false));
    await licenses.connect(asTreasury).addOffer(modelId, offer(true));
    await networkHelpers.stopImpersonatingAccount(treasury);
    return { modelId, registerGas };
  }

  const original = await model("O");
  const g = await model("G");
  const p = await model("P", g.modelId);
  const c = await model("C", p.modelId);
  const d = await model("D", c.modelId);
  const [depth] = await lineage.depthOf(d.modelId);
  if (depth !== 3n) throw new Error(`the chain's last model has ${depth} ancestors, expected 3`);

  // A live market: payments a day apart into O and D (whose ancestors are paid through it), licence sales of O and
  // P, and the ancestors' shares collected after the first day, so every model's holder accumulators are nonzero,
  // the last payments are still unlocking and each ancestor has shares collected and shares waiting.
  const ONE = 10n ** 18n;
  for (let day = 0; day < 2; ++day) {
    for (const m of [original, d]) await vault.connect(payer).deposit(m.modelId, ETH, ONE, { value: ONE });
    for (const m of [original, p]) {
      await licenses.connect(earlier).purchase(m.modelId, 1n, earlier.address, PRICE, { value: PRICE });
    }
    if (day === 0) for (const m of [g, p, c]) await vault.collectFromDerivatives(m.modelId, ETH);
    await networkHelpers.time.increase(DAY);
  }
  const deposits: bigint[] = [];
  for (const m of [original, p, c, d]) {
    await tick();
    deposits.push(await gasOf(vault.connect(payer).deposit(m.modelId, ETH, ONE, { value: ONE })));
  }
  await tick();
  const purchaseOriginal = await gasOf(
    licenses.connect(buyerO).purchase(original.modelId, 1n, buyerO.address, PRICE, { value: PRICE }),
  );
  await tick();
  const purchaseDerivative = await gasOf(
    licenses.connect(buyerP).purchase(p.modelId, 1n, buyerP.address, PRICE, { value: PRICE }),
  );
  await tick();
  const collect = await gasOf(vault.connect(payer).collectFromDerivatives(g.modelId, ETH));

  /** The goal as a ratio to `baseline`: at most `ancestors` x PER_ANCESTOR_GOAL over it (rounded as `row` rounds). */
  const goal = (baseline: bigint, ancestors: number) =>
    Math.round((Number(baseline + BigInt(ancestors) * PER_ANCESTOR_GOAL) / Number(baseline)) * 1000) / 1000;
  const perAncestor = (gas: bigint, baseline: bigint, ancestors: number) =>
    Number((gas - baseline) / BigInt(ancestors)).toLocaleString("en-US");
  const [plain, ...withAncestors] = deposits;
  const depositBaseline = { name: "RevenueVault.deposit (ETH) into an original model", gas: plain };
  return [
    row("RevenueVault.deposit (ETH) into an original model (0 ancestors, later payment)", plain),
    ...withAncestors.map((gas, i) => {
      const n = i + 1;
      return row(
        `RevenueVault.deposit (ETH) into a derivative with ${n} ancestor${n === 1 ? "" : "s"}: ` +
          `+${perAncestor(gas, plain, n)} gas per ancestor (goal: under 40,000)`,
        gas,
        { ...depositBaseline, goal: goal(plain, n) },
      );
    }),
    row(
      "LicenseManager.purchase (ETH, new buyer) from a derivative with 1 ancestor: " +
        `+${perAncestor(purchaseDerivative, purchaseOriginal, 1)} gas (goal: under 40,000)`,
      purchaseDerivative,
      {
        name: "LicenseManager.purchase (ETH, new buyer) from an original model",
        gas: purchaseOriginal,
        goal: goal(purchaseOriginal, 1),
      },
    ),
    row("RevenueVault.collectFromDerivatives (ETH, a parent's shares enter its split)", collect, depositBaseline),
    row("ModelLineage.registerDerivative (1 parent, the parent's first child)", p.registerGas),
  ];
}
