/**
 * The raises page in Chromium against the shared stack: a backer commits to Speech-1B's open raise (signing its
 * terms on the first commitment), after refusing once in its wallet; each test checks the page and the chain.
 *
 * Changes shared state: `backer` (which no other browser test uses) commits 3 fractions to raise 1.
 */
import { expect } from "chai";
import { Contract, JsonRpcProvider } from "ethers";
import type { Browser } from "playwright-core";

import { sharedStack, type Stack } from "../../scripts/app/stack.js";
import "./stack-fixture.js"; // stops the shared stack when the run ends, even when this file runs alone
import {
  axeScan,
  describeViolations,
  ensureChromium,
  launch,
  openApp,
  PHONE,
  screenshotOnFailure,
  TestWallet,
  type AppPage,
} from "./harness.js";

const RAISES_ABI = [
  "function raiseState(uint256 raiseId) view returns ((uint64 committed, uint32 seatsSold, bool finalized, bool cancelled, uint8 tranchesReleased, bool milestoneFailed, uint32 accessOfferId, uint256 released, uint256 milestoneRefund))",
  "function accounts(uint256 raiseId) view returns (uint256 inflow, uint256 refunded, uint256 released, uint256 paidForSeats)",
  "function backing(uint256 raiseId, address backer) view returns ((uint64 fractions, uint32 seats, bool acceptedTerms, bool claimed, bool seatsDelivered, bool seatsRefunded, uint128 surplus, uint256 refunded))",
];

describe("app raises page (Chromium, shared stack)", function () {
  this.timeout(180_000);
  let stack: Stack;
  let browser: Browser;
  let provider: JsonRpcProvider;
  let raises: Contract;
  let app: AppPage | undefined;
  screenshotOnFailure(() => app?.page);

  before(async function () {
    await ensureChromium(this);
    this.timeout(900_000);
    stack = await sharedStack();
    browser = await launch();
    provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    raises = new Contract(stack.deployment.raises!, RAISES_ABI, provider);
  });
  afterEach(async function () {
    await app?.close();
    app = undefined;
  });
  after(async function () {
    await browser?.close();
    provider?.destroy();
  });

  /** Opens the raises page, connected as `role` when given, once raise 1's status is read from the chain. */
  async function openRaises(role?: keyof Stack["accounts"], viewport?: { width: number; height: number }) {
    const wallet = role === undefined ? undefined : new TestWallet(stack.accounts[role].privateKey, stack.rpcUrl);
    app = await openApp(browser, stack.appUrl, wallet, { route: "#/raises", viewport });
    const { page } = app;
    if (wallet !== undefined) {
      await page.getByRole("button", { name: "Connect Test Wallet" }).click();
      await page.getByLabel("Connected account").waitFor();
    }
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /^Raise #1:/ }) });
    await card.getByTestId("raise-status").getByText("Open", { exact: true }).waitFor();
    return { ...app, wallet: wallet!, card };
  }

  it("lists every raise with its state, goal, raised amount, deadline and price, with no wallet", async function () {
    const { page, card } = await openRaises();
    await card.getByRole("link", { name: "Speech-1B" }).waitFor();
    await card.getByText("0.01 ETH per fraction").waitFor();
    await card.getByText(/^10 fractions \(0\.1 ETH\), at most 100$/).waitFor();
    const { committed } = (await raises.raiseState(1n)) as { committed: bigint };
    await card
      .getByTestId("raise-committed")
      .getByText(new RegExp(`^${committed} fractions committed`))
      .waitFor();
    await card.getByText("Deadline").waitFor();
    await card.getByText("Connect a wallet to back this raise.").waitFor();
    expect(await page.getByRole("button", { name: "Back" }).count()).to.equal(0);
  });

  it("a backer commits: refused once in the wallet (nothing moves, the input stays), then the raise grows exactly", async function () {
    const { backer } = stack.accounts;
    const { page, wallet, card } = await openRaises("backer");
    const before = (await raises.raiseState(1n)) as { committed: bigint };
    const [inflow] = (await raises.accounts(1n)) as [bigint];
    expect(((await raises.backing(1n, backer.address)) as { fractions: bigint }).fractions).to.equal(0n);
    const balance = await provider.getBalance(backer.address);

    await card.getByLabel("Fractions to commit").fill("3");
    await card.getByText("Cost: 0.03 ETH for 3 fractions at 0.01 ETH").waitFor();
    await card.getByRole("button", { name: "Back", exact: true }).click();
    await card.getByText("Pay exactly 0.03 ETH from your account").waitFor();
    await card.getByText(/Sign the raise's terms \(ipfs:\/\/speech-1b-raise-terms\)/).waitFor();

    // Refused in the wallet (the terms signature): nothing is sent, the form keeps its input.
    wallet.rejectNext(1);
    await card.getByRole("button", { name: "Confirm in wallet" }).click();
    await card.getByText("You declined the request in your wallet; nothing was sent").waitFor({ timeout: 60_000 });
    expect(await card.getByLabel("Fractions to commit").inputValue()).to.equal("3");
    expect(wallet.sent).to.deep.equal([]);
    expect(((await raises.raiseState(1n)) as { committed: bigint }).committed).to.equal(before.committed);
    expect(await provider.getBalance(backer.address)).to.equal(balance);

    await card.getByRole("button", { name: "Back", exact: true }).click();
    await card.getByRole("button", { name: "Confirm in wallet" }).click();
    await card.getByText(/^Backed raise #1\. Transaction/).waitFor({ timeout: 60_000 });
    await card
      .getByTestId("my-backing")
      .getByText(/^You backed 3 fractions \(0\.03 ETH\)/)
      .waitFor();
    await card
      .getByTestId("raise-committed")
      .getByText(new RegExp(`^${before.committed + 3n} fractions committed`))
      .waitFor();

    expect(wallet.sent).to.have.length(1);
    const receipt = (await provider.getTransactionReceipt(wallet.sent[0]))!;
    const cost = 3n * 10n ** 16n;
    expect(((await raises.raiseState(1n)) as { committed: bigint }).committed).to.equal(before.committed + 3n);
    expect(((await raises.accounts(1n)) as [bigint])[0]).to.equal(inflow + cost);
    const position = (await raises.backing(1n, backer.address)) as { fractions: bigint; acceptedTerms: boolean };
    expect(position.fractions).to.equal(3n);
    expect(position.acceptedTerms).to.equal(true);
    expect(await provider.getBalance(backer.address)).to.equal(balance - cost - receipt.gasUsed * receipt.gasPrice);

    // The account page shows the commitment too.
    await page.getByRole("link", { name: "My account" }).click();
    await page.getByTestId("backing-1").getByTestId("backed").getByText("3 fractions (0.03 ETH)").waitFor();
  });

  for (const [name, viewport] of [
    ["desktop", undefined],
    ["phone width", PHONE],
  ] as const) {
    it(`has no serious or critical axe violation (${name})`, async function () {
      const { page, errors, card } = await openRaises("customer", viewport);
      await card.getByLabel("Fractions to commit").waitFor();
      const violations = await axeScan(page);
      expect(violations, describeViolations(violations)).to.deep.equal([]);
      expect(errors, errors.join("\n")).to.deep.equal([]);
    });
  }
});
