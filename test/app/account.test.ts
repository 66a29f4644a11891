/**
 * The account page in Chromium against the shared stack: a holder delegates and claims, a contributor releases, a
 * refused release explains itself in the tasks' sentence and moves nothing; each test checks the page and the chain.
 *
 * Changes shared state, with accounts no other browser test uses for it: `member` delegates its Climate-3B votes
 * (model 3, which no proposal uses) and claims its Vision-7B holder revenue; `contributor` and `coContributor`
 * release their Vision-7B contributor revenue.
 */
import { expect } from "chai";
import { Contract, JsonRpcProvider, Wallet, type TransactionReceipt } from "ethers";
import type { Browser } from "playwright-core";
import { formatEther, zeroAddress } from "viem";

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

const ETH = zeroAddress;
const VAULT_ABI = [
  "function claimable(uint256 modelId, address token, address account) view returns (uint256)",
  "function releasable(uint256 modelId, address token, address account) view returns (uint256)",
  "function unlocking(uint256 modelId, address token) view returns (uint256 locked, uint256 unlockEnd, uint256 window)",
  "function release(uint256 modelId, address token, address account) returns (uint256)",
  "event HolderClaimed(uint256 indexed modelId, address indexed token, address indexed account, uint256 amount)",
  "event ContributorReleased(uint256 indexed modelId, address indexed token, address indexed account, uint256 amount)",
];
const SHARES_ABI = ["function votesOf(uint256 modelId) view returns (address)"];
const VOTES_ABI = [
  "function delegates(address account) view returns (address)",
  "function getVotes(address account) view returns (uint256)",
];

describe("app account page (Chromium, shared stack)", function () {
  this.timeout(180_000);
  let stack: Stack;
  let browser: Browser;
  let provider: JsonRpcProvider;
  let vault: Contract;
  let app: AppPage | undefined;
  screenshotOnFailure(() => app?.page);

  before(async function () {
    await ensureChromium(this);
    this.timeout(900_000);
    stack = await sharedStack();
    browser = await launch();
    provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    vault = new Contract(stack.deployment.vault, VAULT_ABI, provider);
  });
  afterEach(async function () {
    await app?.close();
    app = undefined;
  });
  after(async function () {
    await browser?.close();
    provider?.destroy();
  });

  /** Opens the account page connected as `role` (or with no wallet), once its sections have loaded. */
  async function openAccount(role?: keyof Stack["accounts"], viewport?: { width: number; height: number }) {
    const wallet = role === undefined ? undefined : new TestWallet(stack.accounts[role].privateKey, stack.rpcUrl);
    app = await openApp(browser, stack.appUrl, wallet, { route: "#/account", viewport });
    const { page } = app;
    if (wallet !== undefined) {
      await page.getByRole("button", { name: "Connect Test Wallet" }).click();
      await page.getByLabel("Connected account").waitFor();
      await page.getByRole("heading", { name: "Revenue", level: 2 }).waitFor();
      await page.getByText("Loading…").first().waitFor({ state: "detached" });
    }
    return { ...app, wallet: wallet! };
  }

  /** The receipt of the last transaction `wallet` sent, and its fee in wei. */
  async function lastReceipt(wallet: TestWallet): Promise<{ receipt: TransactionReceipt; fee: bigint }> {
    const receipt = (await provider.getTransactionReceipt(wallet.sent[wallet.sent.length - 1]))!;
    return { receipt, fee: receipt.gasUsed * receipt.gasPrice };
  }

  /** The amount of the vault's `event` in `receipt`. */
  function paid(receipt: TransactionReceipt, event: string): bigint {
    const log = receipt.logs.map((l) => vault.interface.parseLog(l)).find((parsed) => parsed?.name === event);
    expect(log, `${event} in the receipt`).to.not.equal(undefined);
    return log!.args.amount as bigint;
  }

  it("shows 'Connect a wallet' without one and reads any address read-only", async function () {
    const { page } = await openAccount();
    await page.getByText("Connect a wallet to see your account").waitFor();
    await page.getByLabel("View any address (read-only)").fill("0x1234");
    await page.getByRole("button", { name: "View", exact: true }).click();
    await page
      .getByRole("alert")
      .getByText('Address: expected a 0x-prefixed address of 40 hex digits, got "0x1234"')
      .waitFor();
    await page.getByLabel("View any address (read-only)").fill(stack.accounts.customer.address);
    await page.getByRole("button", { name: "View", exact: true }).click();
    await page.getByRole("heading", { name: "Account (read-only)", level: 1 }).waitFor();
    const licence = page.getByTestId("licence-1");
    await licence.getByText("Live").waitFor();
    expect(await licence.getByRole("link", { name: /Renew licence #1/ }).getAttribute("href")).to.equal("#/models/1");
    await page.getByTestId("backing-1").getByText("5 fractions").waitFor();
    expect(await page.getByRole("button", { name: /Claim|Release|Delegate/ }).count()).to.equal(0);
  });

  it("a holder delegates its votes: the page shows the new delegate and delegates() changed on chain", async function () {
    const { member, consortium } = stack.accounts;
    const shares = new Contract(stack.deployment.shares, SHARES_ABI, provider);
    const votes = new Contract(await shares.votesOf(3n), VOTES_ABI, provider);
    const before = (await votes.delegates(member.address)) as string;
    expect(before).to.not.equal(consortium.address);
    const consortiumVotes = (await votes.getVotes(consortium.address)) as bigint;

    const { page } = await openAccount("member");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Climate-3B" }) });
    await card.getByTestId("fractions").getByText("900").waitFor();
    await card.getByLabel("Delegate to (address)").fill(consortium.address);
    await card.getByRole("button", { name: "Delegate", exact: true }).click();
    await card.getByText(/Let 0x.{4}….{4} vote with your 900 fractions of Climate-3B/).waitFor();
    await card.getByRole("button", { name: "Confirm in wallet" }).click();
    await card.getByText(/^Delegated\. Transaction/).waitFor({ timeout: 60_000 });
    await card.getByTestId("delegate").getByText(consortium.address).waitFor();

    expect(await votes.delegates(member.address)).to.equal(consortium.address);
    expect(await votes.getVotes(consortium.address)).to.equal(consortiumVotes + 900n);
  });

  it("a holder claims: the amount leaves claimable on the page and arrives exactly in its account", async function () {
    const { member } = stack.accounts;
    const { page, wallet } = await openAccount("member");
    const row = page.getByTestId(`revenue-1-${ETH}`);
    const before = (await vault.claimable(1n, ETH, member.address)) as bigint;
    expect(before > 0n, "member has holder revenue to claim").to.equal(true);
    await row
      .getByTestId("claimable")
      .getByText(`${formatEther(before)} ETH`, { exact: true })
      .waitFor();
    const balance = await provider.getBalance(member.address);

    await row.getByRole("button", { name: `Claim ${formatEther(before)} ETH` }).click();
    await row.getByRole("button", { name: "Confirm in wallet" }).click();
    await row.getByText(/^Holder revenue of Vision-7B claimed\. Transaction/).waitFor({ timeout: 60_000 });

    const { receipt, fee } = await lastReceipt(wallet);
    const amount = paid(receipt, "HolderClaimed");
    expect(await provider.getBalance(member.address)).to.equal(balance - fee + amount);
    const { locked } = (await vault.unlocking(1n, ETH, { blockTag: receipt.blockNumber - 1 })) as { locked: bigint };
    // Another file's licence purchase may have left holder revenue unlocking: it keeps unlocking until the claim.
    if (locked === 0n) expect(amount).to.equal(before);
    else expect(amount >= before).to.equal(true);
    const now = (await vault.claimable(1n, ETH, member.address)) as bigint;
    await row
      .getByTestId("claimable")
      .getByText(`${formatEther(now)} ETH`, { exact: true })
      .waitFor();
    expect(now < before).to.equal(true);
  });

  it("a contributor releases: releasable drops to zero on the page and the exact amount arrives", async function () {
    const { contributor } = stack.accounts;
    const { page, wallet } = await openAccount("contributor");
    const row = page.getByTestId(`revenue-1-${ETH}`);
    const owed = (await vault.releasable(1n, ETH, contributor.address)) as bigint;
    expect(owed > 0n, "contributor has revenue to release").to.equal(true);
    await row
      .getByTestId("releasable")
      .getByText(`${formatEther(owed)} ETH`, { exact: true })
      .waitFor();
    const balance = await provider.getBalance(contributor.address);

    await row.getByRole("button", { name: `Release ${formatEther(owed)} ETH` }).click();
    await row.getByText(`Pay you your contributor revenue of Vision-7B: exactly ${formatEther(owed)} ETH`).waitFor();
    await row.getByRole("button", { name: "Confirm in wallet" }).click();
    await row.getByText(/^Contributor revenue of Vision-7B released\. Transaction/).waitFor({ timeout: 60_000 });

    const { receipt, fee } = await lastReceipt(wallet);
    expect(paid(receipt, "ContributorReleased")).to.equal(owed);
    expect(await provider.getBalance(contributor.address)).to.equal(balance - fee + owed);
    expect(await vault.releasable(1n, ETH, contributor.address)).to.equal(0n);
    await row.getByTestId("releasable").getByText("0 ETH", { exact: true }).waitFor();
  });

  it("a refused release (already released elsewhere) shows the tasks' sentence and moves nothing", async function () {
    const { coContributor } = stack.accounts;
    const { page, wallet } = await openAccount("coContributor");
    const row = page.getByTestId(`revenue-1-${ETH}`);
    const owed = (await vault.releasable(1n, ETH, coContributor.address)) as bigint;
    expect(owed > 0n).to.equal(true);
    const button = row.getByRole("button", { name: `Release ${formatEther(owed)} ETH` });
    await button.waitFor();

    // The page is now stale: the revenue is released from elsewhere (the command line, another tab).
    const elsewhere = vault.connect(new Wallet(coContributor.privateKey, provider)) as Contract;
    await (await elsewhere.release(1n, ETH, coContributor.address)).wait();
    const balance = await provider.getBalance(coContributor.address);
    const vaultBalance = await provider.getBalance(stack.deployment.vault);
    const head = await provider.getBlockNumber();

    await button.click();
    await row.getByRole("button", { name: "Confirm in wallet" }).click();
    const sentence = `${coContributor.address} has nothing to release of ETH in model #1`;
    await row.getByRole("alert").getByText(sentence, { exact: false }).waitFor({ timeout: 60_000 });

    expect(wallet.sent).to.deep.equal([]);
    expect(await provider.getBlockNumber()).to.equal(head);
    expect(await provider.getBalance(coContributor.address)).to.equal(balance);
    expect(await provider.getBalance(stack.deployment.vault)).to.equal(vaultBalance);
  });

  for (const [name, viewport] of [
    ["desktop", undefined],
    ["phone width", PHONE],
  ] as const) {
    it(`has no serious or critical axe violation (${name})`, async function () {
      const { page, errors } = await openAccount("customer", viewport);
      await page.getByTestId("licence-1").getByText("Live").waitFor();
      const violations = await axeScan(page);
      expect(violations, describeViolations(violations)).to.deep.equal([]);
      expect(errors, errors.join("\n")).to.deep.equal([]);
    });
  }
});
