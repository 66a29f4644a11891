/**
 * Raises and treasury fraction sales: a backer's commitment (ETH, ERC-20; the first one carries the terms
 * signature), a refund of a failed raise, the claim of fractions (a mint to the backer), finalisation (the money
 * to the treasury), and a buy from a treasury sale. Molecule's CrowdSale, Party's crowdfunds and Juicebox's
 * MoonDAO raise are not published on npm in a form we can compile here, so no anchor is measured next to them;
 * where an OpenZeppelin primitive does the same transfer (an ERC-20 `transferFrom`, an ERC-1155 mint to a new
 * holder) it is measured in the same run as the baseline.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { defaultGovernance, deployProtocol, registerModel } from "../../sdk/index.js";
import { gasOf, row, type BenchRow } from "./types.js";

const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400n;
const START = 2_000_000_000n;
// Fixed accounts that have never held anything, so every measured claim writes a new balance (cold).
const FRESH = "0x00000000000000000000000000000000F2E5B001";

export async function benchFunding(connection: NetworkConnection): Promise<BenchRow[]> {
  const { ethers, networkHelpers } = connection;
  const [admin, lab, backerA, backerB, backerC] = await ethers.getSigners();
  await networkHelpers.time.increaseTo(START);
  const protocol = await deployProtocol(ethers, admin);
  const { shares, raises, sales } = protocol;
  const model = await registerModel(ethers, protocol.registry, {
    name: "F",
    symbol: "F",
    contentHash: ethers.ZeroHash,
    metadataURI: "",
    members: [{ account: lab.address, amount: 1000n }],
    governance: defaultGovernance(),
  });
  const modelId = model.modelId;
  const timelock = await model.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelock);
  await networkHelpers.setBalance(timelock, 10n ** 18n);
  const asTimelock = await ethers.getSigner(timelock);
  const usd = await ethers.deployContract("TestToken", ["USD", "USD", 6]);
  const usdAddress = await usd.getAddress();
  const raisesAddress = await raises.getAddress();
  const { chainId } = await ethers.provider.getNetwork();

  const terms = (token: string, price: bigint, goal: bigint, opensAt: bigint) => ({
    modelId,
    token,
    price,
    goal,
    cap: 10_000n,
    accountCap: 0n,
    opensAt,
    closesAt: opensAt + 7n * DAY,
    allowlistRoot: ethers.ZeroHash,
    termsHash: ethers.id("raise terms"),
    termsURI: "ipfs://raise-terms",
    tranches: [],
    seatPrice: 0n,
    seats: 0,
    accessDeadline: 0n,
  });
  async function openRaise(token: string, price: bigint, goal: bigint): Promise<bigint> {
    const opensAt = BigInt(await networkHelpers.time.latest()) + 10n;
    await (await shares.connect(asTimelock).grantMinting(modelId, raisesAddress, 10_000n)).wait();
    await (await raises.connect(asTimelock).open(terms(token, price, goal, opensAt))).wait();
    await networkHelpers.time.increaseTo(opensAt);
    return await raises.raiseCount();
  }
  async function sign(signer: typeof backerA, raiseId: bigint): Promise<string> {
    const domain = { name: "Weightshare Raises", version: "1", chainId, verifyingContract: raisesAddress };
    const types = {
      AcceptTerms: [
        { name: "raiseId", type: "uint256" },
        { name: "termsHash", type: "bytes32" },
        { name: "backer", type: "address" },
      ],
    };
    return signer.signTypedData(domain, types, {
      raiseId,
      termsHash: ethers.id("raise terms"),
      backer: signer.address,
    });
  }

  // --- Baselines: the transfers a commitment and a claim contain, as plain OpenZeppelin calls ------------------
  await (await usd.mint(backerC.address, 10n ** 12n)).wait();
  await (await usd.connect(backerC).approve(admin.address, 10n ** 12n)).wait();
  const ozTransferFrom = await gasOf(usd.connect(admin).transferFrom(backerC.address, lab.address, 10n ** 6n));
  const oz1155 = await ethers.deployContract("BaselineERC1155");
  const ozMint = await gasOf(oz1155.mint(FRESH, 1n, 10n));

  // --- A successful ETH raise: commitments, finalisation, claims ------------------------------------------------
  const price = 10n ** 15n;
  const ethRaise = await openRaise(ETH, price, 100n);
  const commitFirst = await gasOf(
    raises.connect(backerA).commit(ethRaise, 100n, 0, [], await sign(backerA, ethRaise), { value: 100n * price }),
  );
  const commitAgain = await gasOf(raises.connect(backerA).commit(ethRaise, 50n, 0, [], "0x", { value: 50n * price }));
  await (
    await raises.connect(backerB).commit(ethRaise, 10n, 0, [], await sign(backerB, ethRaise), { value: 10n * price })
  ).wait();
  await networkHelpers.time.increase(7n * DAY);
  const finalizeEth = await gasOf(raises.finalize(ethRaise));
  const claim = await gasOf(raises.connect(backerA).claimFractions(ethRaise, backerA.address, FRESH));

  // --- A successful ERC-20 raise (6 decimals) ---------------------------------------------------------------------
  const usdRaise = await openRaise(usdAddress, 10n ** 6n, 10n);
  for (const backer of [backerA, backerB]) {
    await (await usd.mint(backer.address, 10n ** 12n)).wait();
    await (await usd.connect(backer).approve(raisesAddress, 10n ** 12n)).wait();
  }
  const commitErc20 = await gasOf(raises.connect(backerA).commit(usdRaise, 20n, 0, [], await sign(backerA, usdRaise)));
  const commitErc20Again = await gasOf(raises.connect(backerA).commit(usdRaise, 5n, 0, [], "0x"));
  await networkHelpers.time.increase(7n * DAY);
  const finalizeErc20 = await gasOf(raises.finalize(usdRaise));

  // --- A failed raise: finalisation and a refund ------------------------------------------------------------------
  const failed = await openRaise(ETH, price, 5_000n);
  await (
    await raises.connect(backerB).commit(failed, 100n, 0, [], await sign(backerB, failed), { value: 100n * price })
  ).wait();
  await networkHelpers.time.increase(7n * DAY);
  const finalizeFailed = await gasOf(raises.finalize(failed));
  const refund = await gasOf(raises.connect(backerB).refund(failed, backerB.address));

  // --- A treasury sale ----------------------------------------------------------------------------------------
  await (await shares.connect(asTimelock).mint(timelock, modelId, 1_000n, "0x")).wait();
  await (await shares.connect(asTimelock).setApprovalForAll(await sales.getAddress(), true)).wait();
  const now = BigInt(await networkHelpers.time.latest());
  const sale = (token: string, startPrice: bigint, endPrice: bigint) => ({
    modelId,
    token,
    startPrice,
    endPrice,
    amount: 500n,
    startsAt: now + 10n,
    endsAt: now + 10n + 7n * DAY,
  });
  await (await sales.connect(asTimelock).open(sale(ETH, 2n * price, price))).wait();
  await (await sales.connect(asTimelock).open(sale(usdAddress, 10n ** 6n, 10n ** 6n))).wait();
  await networkHelpers.time.increaseTo(now + 10n + DAY);
  const buyEth = await gasOf(sales.connect(backerC).buy(1n, 10n, 2n * price, backerC.address, { value: 20n * price }));
  await (await usd.connect(backerC).approve(await sales.getAddress(), 10n ** 12n)).wait();
  const buyErc20 = await gasOf(sales.connect(backerC).buy(2n, 10n, 10n ** 6n, backerC.address));

  return [
    row("raise: commit, ETH, first (with terms signature)", commitFirst),
    row("raise: commit, ETH, again", commitAgain),
    row("raise: commit, ERC-20, first (with terms signature)", commitErc20),
    row("raise: commit, ERC-20, again", commitErc20Again, { name: "OZ ERC20 transferFrom", gas: ozTransferFrom }),
    row("raise: finalize, succeeded (ETH to the treasury)", finalizeEth),
    row("raise: finalize, succeeded (ERC-20 to the treasury)", finalizeErc20),
    row("raise: finalize, failed", finalizeFailed),
    row("raise: refund of a failed raise (ETH)", refund),
    row("raise: claim fractions (mint to a new holder)", claim, { name: "OZ ERC1155 mint, new holder", gas: ozMint }),
    row("treasury sale: buy, ETH, falling price", buyEth),
    row("treasury sale: buy, ERC-20, fixed price", buyErc20),
  ];
}
