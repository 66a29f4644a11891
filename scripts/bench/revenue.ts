/**
 * Revenue: deposits, contributor releases against OpenZeppelin 4.9.6 PaymentSplitter, holder claims at 10 and
 * 1,000 holders (with 100 models registered), and what each allowed payment token adds to a fraction transfer.
 * The holders' cut of a deposit unlocks linearly over the model's window (7 days by default): holder claims are
 * measured once the window has ended, and a transfer is measured with and without revenue still unlocking.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { NetworkConnection } from "hardhat/types/network";

import { defaultGovernance, deployProtocol, registerModel, type Protocol } from "../../sdk/index.js";
import { gasOf, row, type BenchRow } from "./types.js";

const ETH = "0x0000000000000000000000000000000000000000";
/** The vault's default unlock window, which these models keep. */
const WINDOW = 7 * 86_400;

/** Configures a model's revenue as its timelock would (impersonated on the simulated chain). */
export async function configureRevenue(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  protocol: Protocol,
  modelId: bigint,
  config: { tokens: string[]; contributorsBps: bigint; holdersBps: bigint; contributors: string[] },
): Promise<void> {
  const timelock = await protocol.shares.treasuryOf(modelId);
  await helpers.impersonateAccount(timelock);
  await helpers.setBalance(timelock, 10n ** 18n);
  const vault = protocol.vault.connect(await ethers.getSigner(timelock));
  for (const token of config.tokens) await (await vault.setPaymentToken(modelId, token, true)).wait();
  await (await vault.setSplit(modelId, config.contributorsBps, config.holdersBps)).wait();
  if (config.contributors.length > 0) {
    await (
      await vault.setContributors(
        modelId,
        config.contributors,
        config.contributors.map(() => 1n),
      )
    ).wait();
  }
  await helpers.stopImpersonatingAccount(timelock);
}

/**
 * A model with `holders` holders (the signer `seller` plus fresh addresses), `models` models registered in all,
 * one ETH deposit, and a claimer who holds fractions, claiming once the deposit has unlocked: what a claim and a
 * release cost must not depend on `holders` or `models`.
 */
export async function holderScale(
  connection: NetworkConnection,
  holders: number,
  models: number,
): Promise<{ claim: bigint; release: bigint }> {
  const { ethers, networkHelpers } = connection;
  const [admin, seller, contributor] = await ethers.getSigners();
  const protocol = await deployProtocol(ethers, admin);
  const members = [{ account: seller.address, amount: 1_000_000n }];
  for (let i = 1; i < models; ++i) {
    await registerModel(ethers, protocol.registry, {
      name: `Filler ${i}`,
      symbol: "F",
      contentHash: ethers.ZeroHash,
      metadataURI: "",
      members,
      governance: defaultGovernance(),
    });
  }
  const model = await registerModel(ethers, protocol.registry, {
    name: "Scale",
    symbol: "S",
    contentHash: ethers.ZeroHash,
    metadataURI: "",
    members,
    governance: defaultGovernance(),
  });
  await configureRevenue(ethers, networkHelpers, protocol, model.modelId, {
    tokens: [ETH],
    contributorsBps: 1000n,
    holdersBps: 5000n,
    contributors: [contributor.address],
  });
  for (let i = 1; i < holders; ++i) {
    const to = ethers.getAddress(`0x${(0xc1a1000000n + BigInt(i)).toString(16).padStart(40, "0")}`);
    await protocol.shares.connect(seller).safeTransferFrom(seller.address, to, model.modelId, 10n, "0x");
  }
  await networkHelpers.time.increase(12);
  await protocol.vault.deposit(model.modelId, ETH, 10n ** 18n, { value: 10n ** 18n });
  await networkHelpers.time.increase(WINDOW);
  const claim = await gasOf(protocol.vault.connect(seller).claim(model.modelId, ETH));
  await networkHelpers.time.increase(12);
  const release = await gasOf(protocol.vault.release(model.modelId, ETH, contributor.address));
  return { claim, release };
}

/**
 * Gas of a fraction transfer between two delegated holders when the model accepts `tokenCount` payment tokens that
 * all carry holder revenue:
 * - `first`: the first move after revenue has unlocked (each party's correction entry is created);
 * - `steady`: a later move, after more revenue has unlocked (entries exist, nothing left unlocking);
 * - `unlocking`: a later move halfway through a deposit's unlock window (the move first unlocks what is due).
 * A third holder's claims end each window's unlocking, so a measured move never pays for it.
 */
async function transferWithTokens(
  connection: NetworkConnection,
  tokenCount: number,
): Promise<{ first: bigint; steady: bigint; unlocking: bigint }> {
  const { ethers, networkHelpers } = connection;
  const [admin, a, b, c] = await ethers.getSigners();
  const protocol = await deployProtocol(ethers, admin);
  const model = await registerModel(ethers, protocol.registry, {
    name: "T",
    symbol: "T",
    contentHash: ethers.ZeroHash,
    metadataURI: "",
    members: [
      { account: a.address, amount: 1_000n },
      { account: b.address, amount: 1_000n },
      { account: c.address, amount: 1_000n },
    ],
    governance: defaultGovernance(),
  });
  const tokens = tokenCount > 0 ? [ETH] : [];
  for (let i = 1; i < tokenCount; ++i) {
    tokens.push(await (await ethers.deployContract("TestToken", ["T", "T", 18])).getAddress());
  }
  if (tokenCount > 0) {
    await configureRevenue(ethers, networkHelpers, protocol, model.modelId, {
      tokens,
      contributorsBps: 0n,
      holdersBps: 10_000n,
      contributors: [],
    });
  }
  const depositAll = async () => {
    for (const token of tokens) {
      if (token === ETH) {
        await protocol.vault.deposit(model.modelId, ETH, 3000n, { value: 3000n });
      } else {
        const t = await ethers.getContractAt("TestToken", token);
        await t.mint(admin.address, 3000n);
        await t.approve(await protocol.vault.getAddress(), 3000n);
        await protocol.vault.deposit(model.modelId, token, 3000n);
      }
    }
  };
  /** A deposit in every token, unlocked in full (c's claims end the window for every token). */
  const unlockedRevenue = async () => {
    await depositAll();
    await networkHelpers.time.increase(WINDOW);
    if (tokenCount > 0) {
      await protocol.vault.connect(c).claimMany(
        tokens.map(() => model.modelId),
        tokens,
      );
    }
    await networkHelpers.time.increase(12);
  };
  const move = () => protocol.shares.connect(a).safeTransferFrom(a.address, b.address, model.modelId, 10n, "0x");
  await unlockedRevenue();
  const first = await gasOf(move());
  await unlockedRevenue();
  const steady = await gasOf(move());
  await depositAll();
  await networkHelpers.time.increase(WINDOW / 2);
  const unlocking = await gasOf(move());
  return { first, steady, unlocking };
}

export async function benchRevenue(connection: NetworkConnection): Promise<BenchRow[]> {
  const { ethers, networkHelpers } = connection;
  const [admin, a, b, c1, c2, payer] = await ethers.getSigners();
  const tick = () => networkHelpers.time.increase(12);

  // --- OZ 4.9.6 PaymentSplitter: two payees, one payment, first and later release ---------------------------
  const splitter = await ethers.deployContract("BaselinePaymentSplitter", [
    [c1.address, c2.address],
    [1n, 1n],
  ]);
  await payer.sendTransaction({ to: await splitter.getAddress(), value: 10n ** 18n });
  await tick();
  const ozFirst = await gasOf(splitter["release(address)"](c1.address));
  await tick();
  const ozLater = await gasOf(splitter["release(address)"](c2.address));

  // --- Weightshare vault: same payees, same payment, through a model ---------------------------------------
  const protocol = await deployProtocol(ethers, admin);
  const model = await registerModel(ethers, protocol.registry, {
    name: "R",
    symbol: "R",
    contentHash: ethers.ZeroHash,
    metadataURI: "",
    members: [
      { account: a.address, amount: 600n },
      { account: b.address, amount: 400n },
    ],
    governance: defaultGovernance(),
  });
  const usd = await ethers.deployContract("TestToken", ["USD", "USD", 6]);
  await configureRevenue(ethers, networkHelpers, protocol, model.modelId, {
    tokens: [ETH, await usd.getAddress()],
    contributorsBps: 2000n,
    holdersBps: 5000n,
    contributors: [c1.address, c2.address],
  });
  await usd.mint(payer.address, 10n ** 12n);
  await usd.connect(payer).approve(await protocol.vault.getAddress(), 10n ** 12n);
  await tick();
  const depositEth = await gasOf(
    protocol.vault.connect(payer).deposit(model.modelId, ETH, 10n ** 18n, { value: 10n ** 18n }),
  );
  await tick();
  const depositErc20 = await gasOf(
    protocol.vault.connect(payer).deposit(model.modelId, await usd.getAddress(), 10n ** 9n),
  );
  // One more payment in each token (the first to unlock anything, so the holder accumulators become nonzero):
  // a later deposit then finds earlier holder revenue still unlocking, as on a live market.
  await tick();
  await protocol.vault.connect(payer).deposit(model.modelId, ETH, 10n ** 18n, { value: 10n ** 18n });
  await protocol.vault.connect(payer).deposit(model.modelId, await usd.getAddress(), 10n ** 9n);
  await tick();
  const depositEthLater = await gasOf(
    protocol.vault.connect(payer).deposit(model.modelId, ETH, 10n ** 18n, { value: 10n ** 18n }),
  );
  await tick();
  const depositErc20Later = await gasOf(
    protocol.vault.connect(payer).deposit(model.modelId, await usd.getAddress(), 10n ** 9n),
  );
  await tick();
  const releaseFirst = await gasOf(protocol.vault.release(model.modelId, ETH, c1.address));
  await tick();
  const releaseLater = await gasOf(protocol.vault.release(model.modelId, ETH, c2.address));
  // Holders claim once the deposits' unlock window has ended (the claim ends the unlocking itself).
  await networkHelpers.time.increase(WINDOW);
  const claim = await gasOf(protocol.vault.connect(a).claim(model.modelId, ETH));
  await protocol.vault.connect(payer).deposit(model.modelId, ETH, 10n ** 18n, { value: 10n ** 18n });
  await tick();
  const releaseAgain = await gasOf(protocol.vault.release(model.modelId, ETH, c2.address));
  await networkHelpers.time.increase(WINDOW);
  const claimAgain = await gasOf(protocol.vault.connect(a).claim(model.modelId, ETH));
  // The same for OZ: a second payment, then the later payee releases again.
  await payer.sendTransaction({ to: await splitter.getAddress(), value: 10n ** 18n });
  await tick();
  const ozAgain = await gasOf(splitter["release(address)"](c2.address));

  // --- Scale: 10 vs 1,000 holders (100 models registered) -----------------------------------------------------
  const { network } = await import("hardhat");
  const small = await holderScale(await network.create(), 10, 1);
  const large = await holderScale(await network.create(), 1000, 100);

  // --- A fraction transfer with 0..3 payment tokens -----------------------------------------------------------
  const transfers: { first: bigint; steady: bigint; unlocking: bigint }[] = [];
  for (let n = 0; n <= 3; ++n) transfers.push(await transferWithTokens(await network.create(), n));
  const ozVotes = await ethers.deployContract("BaselineERC20Votes");
  await ozVotes.mint(a.address, 1000n);
  await ozVotes.mint(b.address, 1000n);
  await ozVotes.connect(a).delegate(a.address);
  await ozVotes.connect(b).delegate(b.address);
  await tick();
  const ozTransfer = await gasOf(ozVotes.connect(a).transfer(b.address, 10n));

  return [
    row("RevenueVault.deposit (ETH, first for the model)", depositEth),
    row("RevenueVault.deposit (ERC-20, first for the model)", depositErc20),
    row("RevenueVault.deposit (ETH, later, earlier revenue still unlocking)", depositEthLater),
    row("RevenueVault.deposit (ERC-20, later, earlier revenue still unlocking)", depositErc20Later),
    row("RevenueVault.release (first payee)", releaseFirst, {
      name: "OZ 4.9.6 PaymentSplitter.release (first payee)",
      gas: ozFirst,
      goal: 1.0,
    }),
    row("RevenueVault.release (later payee)", releaseLater, {
      name: "OZ 4.9.6 PaymentSplitter.release (later payee)",
      gas: ozLater,
      goal: 1.0,
    }),
    row("RevenueVault.release (payee releasing again)", releaseAgain, {
      name: "OZ 4.9.6 PaymentSplitter.release (payee releasing again)",
      gas: ozAgain,
      goal: 1.0,
    }),
    row("RevenueVault.claim (holder, ETH, first, after the unlock window)", claim),
    row("RevenueVault.claim (holder, ETH, again, after the next window)", claimAgain),
    row("RevenueVault.claim with 1,000 holders, 100 models (after the unlock window)", large.claim, {
      name: "RevenueVault.claim with 10 holders, 1 model",
      gas: small.claim,
      goal: 1.01,
    }),
    row("RevenueVault.release with 1,000 holders, 100 models", large.release, {
      name: "RevenueVault.release with 10 holders, 1 model",
      gas: small.release,
      goal: 1.01,
    }),
    ...transfers.flatMap(({ first, steady, unlocking }, n) => {
      const tokens = `${n} payment token${n === 1 ? "" : "s"}`;
      const op = (state: string) => `ModelShares.safeTransferFrom (both delegated, ${tokens}${state})`;
      const baseline = { name: "OZ ERC20Votes.transfer (both delegated)", gas: ozTransfer };
      if (n === 0) return [row(op(""), steady, baseline)];
      const rows = [
        row(op(", first move after revenue"), first, baseline),
        row(op(", steady state"), steady, { ...baseline, goal: n === 1 ? 1.3 : undefined }),
      ];
      if (n === 1) {
        rows.push(
          row(op(", steady state"), steady, { name: "goal: under 160,000 gas", gas: 160_000n, goal: 1.0 }),
          row(op(", while revenue unlocks"), unlocking, baseline),
        );
      }
      return rows;
    }),
  ];
}
