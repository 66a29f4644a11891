/**
 * The model page in Debian's Chromium against the shared local stack: read with no wallet; a licensee buys Vision-7B's
 * ETH licence and downloads a file through the gateway (a non-licensee reads the refusal); a holder votes For on the
 * Active proposal; a rejected wallet request leaves the page as it was; axe-core at desktop and phone width.
 *
 * Shared state this file changes (other files must not rely on it staying as seeded): the seeded `consortium` votes
 * For on Vision-7B's Active proposal, and test accounts 15 (buys licence of offer 1) and 16, 17 (read only, and a
 * rejected purchase) are used; no other file should use accounts 15-17.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, http, parseEther, type Address } from "viem";

import { licenseManagerAbi, modelGovernorAbi } from "../../app/src/generated.js";
import { tinySafetensors } from "../../scripts/app/model-files.js";
import { sharedStack, testAccount, type Stack } from "../../scripts/app/stack.js";
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

const BUYER = 15;
const STRANGER = 16;
const HESITANT = 17;
const TIMEOUT = 60_000;

describe("app model page (Chromium, shared stack)", function () {
  let stack: Stack;
  let browser: Browser;
  let app: AppPage | undefined;
  screenshotOnFailure(() => app?.page);

  before(async function () {
    await ensureChromium(this);
    this.timeout(900_000);
    stack = await sharedStack();
    browser = await launch();
  });
  afterEach(async function () {
    await app?.close();
    app = undefined;
  });
  after(async function () {
    await browser?.close();
  });

  const chain = () => createPublicClient({ transport: http(stack.rpcUrl) });
  const licenses = () => stack.deployment.licenses as Address;

  /** Opens Vision-7B's page (with `wallet` connected through the header's button when given) once it has loaded. */
  async function openModel(wallet?: TestWallet, viewport?: { width: number; height: number }): Promise<Page> {
    app = await openApp(browser, stack.appUrl, wallet, { route: "#/models/1", viewport });
    const { page } = app;
    page.setDefaultTimeout(TIMEOUT);
    await page.getByRole("heading", { level: 1, name: "Vision-7B" }).waitFor();
    if (wallet !== undefined) {
      // The injected wallet: as "Test Wallet" (EIP-6963) or as the plain injected provider, whichever is offered.
      await page
        .getByRole("banner")
        .getByRole("button", { name: /^Connect/ })
        .first()
        .click();
      await page.getByLabel("Connected account").waitFor();
    }
    await page.getByRole("list", { name: "Offers" }).getByRole("listitem").first().waitFor();
    await page.getByRole("list", { name: "Proposals" }).getByRole("listitem").first().waitFor();
    return page;
  }

  /** Model `id`'s governor, from the indexer. */
  async function governorOf(id: number): Promise<Address> {
    const response = await fetch(`${stack.indexerUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ model(id: "${id}") { governor } }` }),
    });
    const body = (await response.json()) as { data: { model: { governor: Address } } };
    return body.data.model.governor;
  }

  /** Offer `id`'s card. */
  const offerCard = (page: Page, id: number) =>
    page
      .getByRole("list", { name: "Offers" })
      .getByRole("listitem")
      .filter({ hasText: `Offer #${id}` });

  /** The Active proposal's card. */
  const activeCard = (page: Page) =>
    page
      .getByRole("list", { name: "Proposals" })
      .getByRole("listitem")
      .filter({ hasText: stack.seed.activeProposal.description });

  it("shows the seeded model, its offer and its proposals with no wallet", async function () {
    this.timeout(120_000);
    const page = await openModel();
    const main = page.getByRole("main");
    await main.getByText("An image classifier co-owned by two labs").first().waitFor();
    const offer = offerCard(page, stack.seed.offers.licence);
    await offer.getByText("0.1 ETH").waitFor();
    expect(await offer.getByRole("button", { name: "Connect a wallet to buy" }).isDisabled()).to.equal(true);
    const proposal = activeCard(page);
    await proposal.getByText("State: Active").waitFor();
    // What it will execute, decoded from its calldata (story.ts: setUnlockWindow of model 1 to two days).
    await proposal
      .getByRole("list", { name: `Actions of: ${stack.seed.activeProposal.description}` })
      .getByText("Holders' unlock window of model #1 -> 2 days (172800 s).", { exact: true })
      .waitFor();
    expect(await proposal.getByRole("button", { name: "Connect a wallet to vote" }).isDisabled()).to.equal(true);
    expect(await page.getByRole("link", { name: "Propose a change" }).getAttribute("href")).to.equal(
      "#/models/1/propose",
    );
    // The split, contributors, lineage (Vision-7B-Tiny derives from it) and the customer's review.
    await main.getByRole("link", { name: "Vision-7B-Tiny" }).waitFor();
    await main.getByText("Accurate and fast to download.").waitFor();
    await main.getByText("Version 2: its manifest matches the content hash on chain.").waitFor();
    // The models list: every seeded model, with its card summary from IPFS through the gateway.
    await page.goto(`${stack.appUrl}#/`);
    const cards = page.getByRole("list", { name: "Models" }).getByRole("listitem");
    await cards.filter({ hasText: "Climate-3B" }).getByText("A regional weather and climate forecaster.").waitFor();
    // At least the seeded models: other browser tests on the shared stack (consortium.test.ts) register more.
    expect(await cards.count()).to.be.at.least(stack.seed.models.length);
    await page.getByLabel("Search by name").fill("tiny");
    await page.getByText(/^1 of \d+ models match$/).waitFor();
    expect(app!.errors, app!.errors.join("\n")).to.deep.equal([]);
  });

  it("lets a licensee buy a licence and download a file through the gateway; a non-licensee reads the refusal", async function () {
    this.timeout(300_000);
    const buyer = testAccount(BUYER);
    const client = chain();
    const price = BigInt(stack.seed.offers.price);
    expect(price).to.equal(parseEther("0.1"));
    const before = await client.getBalance({ address: buyer.address as Address });
    const licencesBefore = await client.readContract({
      address: licenses(),
      abi: licenseManagerAbi,
      functionName: "balanceOf",
      args: [buyer.address as Address],
    });
    const wallet = new TestWallet(buyer.privateKey, stack.rpcUrl);
    const page = await openModel(wallet);
    const offer = offerCard(page, stack.seed.offers.licence);
    await offer.getByRole("button", { name: "Buy licence" }).click();
    await offer.getByText("This will:").waitFor();
    await offer.getByText("Pay 0.1 ETH to the licence manager", { exact: false }).waitFor();
    await offer.getByRole("button", { name: "Confirm in wallet" }).click();
    await offer.getByText("Licence bought.", { exact: false }).waitFor({ timeout: 120_000 });
    // The page now lists the licence under "Your licences".
    await page.getByRole("list", { name: "Your licences" }).getByText("Valid until", { exact: false }).waitFor();

    // On chain: one more licence NFT, and the price (plus gas) left the buyer's balance.
    expect(wallet.sent).to.have.length(1);
    const receipt = await client.getTransactionReceipt({ hash: wallet.sent[0] as `0x${string}` });
    expect(receipt.status).to.equal("success");
    const gas = receipt.gasUsed * receipt.effectiveGasPrice;
    expect(before - (await client.getBalance({ address: buyer.address as Address }))).to.equal(price + gas);
    const licencesAfter = await client.readContract({
      address: licenses(),
      abi: licenseManagerAbi,
      functionName: "balanceOf",
      args: [buyer.address as Address],
    });
    expect(licencesAfter).to.equal(licencesBefore + 1n);

    // Download: sign in to the gateway (a signature, no transaction), then the weights of version 2.
    await page.getByRole("button", { name: "Sign in to download" }).click();
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download model.safetensors" }).click();
    const stream = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(tinySafetensors("Vision-7B revision 2"))).to.equal(true);
    expect(wallet.sent, "signing in sends no transaction").to.have.length(1);
    await app!.close();

    // A stranger with no licence and no fractions signs in and reads why the gateway refuses.
    const stranger = new TestWallet(testAccount(STRANGER).privateKey, stack.rpcUrl);
    const other = await openModel(stranger);
    await other.getByRole("button", { name: "Sign in to download" }).click();
    await other
      .getByText("has no live licence of model #1 and holds none of its fractions", { exact: false })
      .waitFor();
    expect(await other.getByRole("button", { name: "Download model.safetensors" }).count()).to.equal(0);
    expect(stranger.sent).to.deep.equal([]);
  });

  it("lets a holder vote For on the Active proposal", async function () {
    this.timeout(300_000);
    const consortium = stack.accounts.consortium;
    const proposalId = BigInt(stack.seed.activeProposal.proposalId);
    const wallet = new TestWallet(consortium.privateKey, stack.rpcUrl);
    const page = await openModel(wallet);
    const governor = await governorOf(1);
    const client = chain();
    const hasVoted = () =>
      client.readContract({
        address: governor,
        abi: modelGovernorAbi,
        functionName: "hasVoted",
        args: [proposalId, consortium.address as Address],
      });
    expect(await hasVoted(), "the seeded consortium has not voted yet").to.equal(false);
    const card = activeCard(page);
    await card.getByLabel("Reason (optional)").fill("Two days suits our labs");
    await card.getByRole("button", { name: "Vote For" }).click();
    await card
      .getByText(`Vote For on “${stack.seed.activeProposal.description}” with your 600 votes`, { exact: false })
      .waitFor();
    await card.getByRole("button", { name: "Confirm in wallet" }).click();
    await card.getByText("You voted For with 600 votes: “Two days suits our labs”.").waitFor({ timeout: 120_000 });
    expect(await hasVoted()).to.equal(true);
    const [against, forVotes] = await client.readContract({
      address: governor,
      abi: modelGovernorAbi,
      functionName: "proposalVotes",
      args: [proposalId],
    });
    expect(against).to.equal(0n);
    expect(forVotes).to.equal(1000n); // member's 400, voted in the seeding, and the consortium's 600
  });

  it("leaves the page as it was and says nothing was sent when the wallet rejects", async function () {
    this.timeout(300_000);
    const hesitant = testAccount(HESITANT);
    const client = chain();
    const before = await client.getBalance({ address: hesitant.address as Address });
    const wallet = new TestWallet(hesitant.privateKey, stack.rpcUrl);
    const page = await openModel(wallet);
    const offer = offerCard(page, stack.seed.offers.licence);
    wallet.rejectNext();
    await offer.getByRole("button", { name: "Buy licence" }).click();
    await offer.getByRole("button", { name: "Confirm in wallet" }).click();
    await offer.getByText("You declined the request in your wallet; nothing was sent").waitFor();
    // The Buy button is back, nothing was sent, nothing changed on chain.
    expect(await offer.getByRole("button", { name: "Buy licence" }).isEnabled()).to.equal(true);
    expect(wallet.sent).to.deep.equal([]);
    expect(wallet.requests.some((r) => r.method === "eth_sendTransaction" && r.outcome === "rejected")).to.equal(true);
    expect(await client.getBalance({ address: hesitant.address as Address })).to.equal(before);
    const held = await client.readContract({
      address: licenses(),
      abi: licenseManagerAbi,
      functionName: "balanceOf",
      args: [hesitant.address as Address],
    });
    expect(held).to.equal(0n);
  });

  for (const [name, viewport] of [
    ["desktop", undefined],
    ["phone width", PHONE],
  ] as const) {
    it(`has no serious or critical axe violation on the model page (${name})`, async function () {
      this.timeout(120_000);
      const page = await openModel(undefined, viewport);
      await page.waitForLoadState("networkidle");
      const violations = await axeScan(page);
      expect(violations, describeViolations(violations)).to.deep.equal([]);
    });
  }
});
