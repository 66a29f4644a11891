/**
 * Fractions and votes: ModelShares transfers and delegation against OpenZeppelin ERC20Votes and ERC1155,
 * all compiled in this build and measured on the same simulated chain.
 *
 * Every measured transaction runs in a new block with a new timestamp, so on both sides a delegate's vote
 * change writes a new checkpoint (the steady state on a live chain), and every storage access starts cold.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { createModel, deployShares } from "../../sdk/index.js";
import { gasOf, row, type BenchRow } from "./types.js";

export async function benchShares(connection: NetworkConnection): Promise<BenchRow[]> {
  const { ethers, networkHelpers } = connection;
  const [admin, a, b, c, d, treasury] = await ethers.getSigners();
  const tick = () => networkHelpers.time.increase(12);
  // Fixed "fresh" recipients: a random address would change calldata gas from run to run.
  const freshA = "0x00000000000000000000000000000000F2E5A001";
  const freshB = "0x00000000000000000000000000000000F2E5A002";

  // --- OpenZeppelin baselines --------------------------------------------------------------------------------
  const ozVotes = await ethers.deployContract("BaselineERC20Votes");
  const oz1155 = await ethers.deployContract("BaselineERC1155");
  for (const holder of [a, b, c, d]) {
    await ozVotes.mint(holder.address, 1_000_000n);
    for (let id = 1n; id <= 5n; ++id) await oz1155.mint(holder.address, id, 1_000_000n);
  }
  await ozVotes.connect(a).delegate(a.address);
  await ozVotes.connect(b).delegate(b.address);
  // c and d stay undelegated on the baseline.
  await tick();
  const ozDelegated = await gasOf(ozVotes.connect(a).transfer(b.address, 10n));
  await tick();
  const ozUndelegated = await gasOf(ozVotes.connect(c).transfer(d.address, 10n));
  await tick();
  const ozFresh = await gasOf(ozVotes.connect(a).transfer(freshA, 10n));
  await tick();
  const ozDelegate = await gasOf(ozVotes.connect(c).delegate(c.address));
  await tick();
  const oz1155Transfer = await gasOf(oz1155.connect(a).safeTransferFrom(a.address, b.address, 1n, 10n, "0x"));
  await tick();
  const ids = [1n, 2n, 3n, 4n, 5n];
  const tens = ids.map(() => 10n);
  const oz1155Batch = await gasOf(oz1155.connect(a).safeBatchTransferFrom(a.address, b.address, ids, tens, "0x"));

  // --- Weightshare -----------------------------------------------------------------------------------------
  const { shares } = await deployShares(ethers, admin);
  const models = [];
  for (let i = 0; i < 5; ++i) {
    models.push(
      await createModel(ethers, shares, {
        treasury: treasury.address,
        name: `Bench ${i}`,
        symbol: `B${i}`,
        uri: "",
        members: [a, b, c, d].map((h) => ({ account: h.address, amount: 1_000_000n })),
      }),
    );
  }
  const [first] = models;
  // a and b keep their automatic self-delegation; c and d opt out, so they hold fractions without a delegate.
  await first.votes.connect(c).delegate(ethers.ZeroAddress);
  await first.votes.connect(d).delegate(ethers.ZeroAddress);
  await tick();
  const delegated = await gasOf(shares.connect(a).safeTransferFrom(a.address, b.address, first.modelId, 10n, "0x"));
  await tick();
  const undelegated = await gasOf(shares.connect(c).safeTransferFrom(c.address, d.address, first.modelId, 10n, "0x"));
  await tick();
  const fresh = await gasOf(shares.connect(a).safeTransferFrom(a.address, freshB, first.modelId, 10n, "0x"));
  await tick();
  const batch = await gasOf(
    shares.connect(a).safeBatchTransferFrom(
      a.address,
      b.address,
      models.map((m) => m.modelId),
      tens,
      "0x",
    ),
  );
  await tick();
  const delegate = await gasOf(first.votes.connect(c).delegate(c.address));

  return [
    row("ModelShares.safeTransferFrom (both delegated)", delegated, {
      name: "OZ ERC20Votes.transfer (both delegated)",
      gas: ozDelegated,
      goal: 1.15,
    }),
    row("ModelShares.safeTransferFrom (both undelegated)", undelegated, {
      name: "OZ ERC20Votes.transfer (both undelegated)",
      gas: ozUndelegated,
    }),
    row("ModelShares.safeTransferFrom (to a fresh account)", fresh, {
      name: "OZ ERC20Votes.transfer (delegated to a fresh account)",
      gas: ozFresh,
    }),
    row("ModelShares.safeTransferFrom (plain ERC-1155 comparison)", delegated, {
      name: "OZ ERC1155.safeTransferFrom",
      gas: oz1155Transfer,
    }),
    row("ModelShares.safeBatchTransferFrom (5 models, both delegated)", batch, {
      name: "OZ ERC1155.safeBatchTransferFrom (5 ids)",
      gas: oz1155Batch,
    }),
    row("ModelVotes.delegate (self, holder with fractions)", delegate, {
      name: "OZ ERC20Votes.delegate (self, holder with tokens)",
      gas: ozDelegate,
    }),
  ];
}
