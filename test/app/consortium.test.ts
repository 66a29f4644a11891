/**
 * A consortium in Debian's Chromium against the shared local stack: registers a model through the wizard (the page
 * links to the new model; on chain the registry has it with its name and the holders their fractions), proposes a
 * price change on Vision-7B's licence offer (the page shows the proposal; on chain the governor has it Pending, its
 * calldata `updateOffer` with the new price); bad inputs name their field and send nothing; an account without votes
 * is told before sending; axe-core at desktop and phone width on both pages.
 *
 * Shared state this file changes (other files must not rely on it staying as seeded): a fifth model, "Consortium
 * Atlas", is registered (by test account 18, held by 18 and 19), and a Pending proposal to re-price Vision-7B's offer 1
 * is filed on model 1 (by account 18). Test accounts 18-20 are this file's; no other file should use them.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, decodeFunctionData, http, parseEther, type Address } from "viem";

import { licenseManagerAbi, modelGovernorAbi, modelRegistryAbi, modelSharesAbi } from "../../app/src/generated.js";
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

const FOUNDER = 18;
const PARTNER = 19;
const OUTSIDER = 20;
const TIMEOUT = 60_000;
const MODEL_NAME = "Consortium Atlas";

describe("app register and propose (Chromium, shared stack)", function () {
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

  /** Opens `route` with `wallet` connected through the header's button (none when undefined). */
  async function open(route: string, wallet?: TestWallet, viewport?: { width: number; height: number }): Promise<Page> {
    app = await openApp(browser, stack.appUrl, wallet, { route, viewport });
    const { page } = app;
    page.setDefaultTimeout(TIMEOUT);
    await page.getByRole("heading", { level: 1 }).waitFor();
    if (wallet !== undefined) {
      // The injected wallet, whether listed by its EIP-6963 name or as the injected one.
      await page
        .getByRole("banner")
        .getByRole("button", { name: /^Connect/ })
        .first()
        .click();
      await page.getByLabel("Connected account").waitFor();
    }
    return page;
  }

  const wallet = (index: number) => new TestWallet(testAccount(index).privateKey, stack.rpcUrl);

  it("registers a model through the wizard: the page links to it, the registry has it, the holders their fractions", async function () {
    this.timeout(300_000);
    const founder = wallet(FOUNDER);
    const partner = testAccount(PARTNER).address as Address;
    const page = await open("#/register", founder);
    await page.getByRole("heading", { name: "Step 1 of 4: Name and metadata" }).waitFor();

    // An empty name is refused, naming the field; the wizard stays on step 1.
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("alert").getByText("Name: expected a non-empty name").waitFor();
    expect(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).to.equal("true");
    await page.getByLabel("Name", { exact: true }).fill(MODEL_NAME);
    await page.getByRole("button", { name: "Next" }).click();

    await page.getByRole("heading", { name: "Step 2 of 4: First holders" }).waitFor();
    expect(await page.getByLabel("Member 1 account").inputValue()).to.equal(founder.address);
    await page.getByLabel("Member 1 fractions").fill("600");
    await page.getByRole("button", { name: "Add a member" }).click();
    // A bad address names the member and the field.
    await page.getByLabel("Member 2 account").fill("0x1234");
    await page.getByLabel("Member 2 fractions").fill("400");
    await page.getByRole("button", { name: "Next" }).click();
    await page
      .getByRole("alert")
      .getByText('Member 2 account: expected a 0x-prefixed 20-byte address, got "0x1234"')
      .waitFor();
    await page.getByLabel("Member 2 account").fill(partner);
    await page.getByRole("button", { name: "Next" }).click();

    // Governance defaults are shown; a bare number for a time is refused (2 would mean 2 seconds).
    await page.getByRole("heading", { name: "Step 3 of 4: Governance" }).waitFor();
    expect(await page.getByLabel("Voting period").inputValue()).to.equal("3d");
    expect(await page.getByLabel("Quorum (percent)").inputValue()).to.equal("20");
    await page.getByLabel("Timelock delay").fill("2");
    await page.getByRole("button", { name: "Next" }).click();
    await page
      .getByRole("alert")
      .getByText(
        'Timelock delay: expected a duration with its unit for timelockDelay, such as 2d, 12h or 3600s, got "2"',
      )
      .waitFor();
    await page.getByLabel("Timelock delay").fill("2d");
    await page.getByRole("button", { name: "Next" }).click();

    await page.getByRole("heading", { name: "Step 4 of 4: Review" }).waitFor();
    await page.getByRole("cell", { name: partner }).waitFor();
    await page.getByText("10 votes").waitFor(); // 1% of 1,000 fractions
    expect(founder.sent).to.have.length(0);
    const violations = await axeScan(page);
    expect(violations, describeViolations(violations)).to.deep.equal([]);

    await page.getByRole("button", { name: "Register model" }).click();
    await page.getByText(`register model "${MODEL_NAME}" (WS) with no metadata yet`).waitFor();
    await page.getByRole("button", { name: "Confirm in wallet" }).click();
    const link = page.getByRole("link", { name: /^Open model #\d+$/ });
    await link.waitFor({ timeout: 120_000 });
    await page.getByText("Model registered").waitFor();
    expect(founder.sent).to.have.length(1);
    const modelId = BigInt((await link.textContent())!.replace(/\D/g, ""));

    const client = chain();
    const record = await client.readContract({
      address: stack.deployment.registry as Address,
      abi: modelRegistryAbi,
      functionName: "model",
      args: [modelId],
    });
    expect(record.name).to.equal(MODEL_NAME);
    expect(record.creator).to.equal(founder.address);
    const balance = (account: Address) =>
      client.readContract({
        address: stack.deployment.shares as Address,
        abi: modelSharesAbi,
        functionName: "balanceOf",
        args: [account, modelId],
      });
    expect(await balance(founder.address as Address)).to.equal(600n);
    expect(await balance(partner)).to.equal(400n);
    const threshold = await client.readContract({
      address: record.governor,
      abi: modelGovernorAbi,
      functionName: "proposalThreshold",
    });
    expect(threshold).to.equal(10n);

    expect(app!.errors, app!.errors.join("\n")).to.deep.equal([]);

    // The link opens the new model's page.
    await link.click();
    await page.getByRole("heading", { level: 1, name: MODEL_NAME }).waitFor();
  });

  it("proposes a price change on Vision-7B's offer: the page shows it decoded, the governor has it Pending", async function () {
    this.timeout(300_000);
    const founder = wallet(FOUNDER);
    const page = await open("#/models/1/propose", founder);
    await page.getByRole("heading", { level: 1, name: "Propose a change to model #1" }).waitFor();
    await page.getByLabel("Action").selectOption("set-price");
    await page.getByLabel("Offer", { exact: true }).selectOption(String(stack.seed.offers.licence));
    await page.getByLabel("Description").fill("Vision-7B's licence at 0.25 ETH");

    // A price with too many decimals names the field; nothing is offered to send.
    await page.getByLabel("New price").fill("0.1234567890123456789");
    await page.getByRole("button", { name: "Review proposal" }).click();
    await page
      .getByRole("alert")
      .getByText(
        'New price: expected an amount of ETH with at most 18 decimals, such as 12.5, got "0.1234567890123456789"',
      )
      .waitFor();
    expect(await page.getByRole("button", { name: "Propose", exact: true }).count()).to.equal(0);

    await page.getByLabel("New price").fill("0.25");
    await page.getByRole("button", { name: "Review proposal" }).click();
    const review = page.getByRole("region", { name: "What this proposal does" });
    await review.getByText("price of offer 1 of model #1 -> 0.25 ETH").waitFor();
    const violations = await axeScan(page);
    expect(violations, describeViolations(violations)).to.deep.equal([]);

    await review.getByRole("button", { name: "Propose", exact: true }).click();
    await review.getByRole("button", { name: "Confirm in wallet" }).click();
    await review.getByText(/Proposal \d+ is filed: it is Pending/).waitFor({ timeout: 120_000 });
    expect(founder.sent).to.have.length(1);
    const proposalId = BigInt((await review.getByText(/Proposal \d+ is filed/).textContent())!.match(/\d+/)![0]);

    const client = chain();
    const governor = (
      await client.readContract({
        address: stack.deployment.registry as Address,
        abi: modelRegistryAbi,
        functionName: "model",
        args: [1n],
      })
    ).governor;
    expect(
      await client.readContract({
        address: governor,
        abi: modelGovernorAbi,
        functionName: "state",
        args: [proposalId],
      }),
    ).to.equal(0); // Pending
    const [created] = await client
      .getContractEvents({
        address: governor,
        abi: modelGovernorAbi,
        eventName: "ProposalCreated",
        fromBlock: 0n,
        args: {},
        strict: true,
      })
      .then((events) => events.filter((e) => e.args.proposalId === proposalId));
    expect(created.args.targets.map((t) => t.toLowerCase())).to.deep.equal([stack.deployment.licenses.toLowerCase()]);
    const call = decodeFunctionData({ abi: licenseManagerAbi, data: created.args.calldatas[0] });
    expect(call.functionName).to.equal("updateOffer");
    const [modelId, offerId, terms] = call.args as readonly [bigint, bigint, { price: bigint }];
    expect([modelId, offerId, terms.price]).to.deep.equal([1n, 1n, parseEther("0.25")]);
    expect(created.args.description).to.equal(`Vision-7B's licence at 0.25 ETH#proposer=${founder.address}`);
    expect(app!.errors, app!.errors.join("\n")).to.deep.equal([]);
  });

  it("refuses a split over 10,000 bps and tells an account without votes before it sends anything", async function () {
    this.timeout(300_000);
    const outsider = wallet(OUTSIDER);
    // The model registered above needs 10 votes to propose; find it by name in the indexer.
    const response = await fetch(`${stack.indexerUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ models(where: { name: "${MODEL_NAME}" }) { items { id } } }` }),
    });
    const items = ((await response.json()) as { data: { models: { items: { id: string }[] } } }).data.models.items;
    expect(items, "the model the first test registers").to.have.length(1);
    const page = await open(`#/models/${items[0].id}/propose`, outsider);
    await page.getByLabel("Action").selectOption("set-split");
    await page.getByLabel("Contributors (bps)").fill("6000");
    await page.getByLabel("Holders (bps)").fill("5000");
    await page.getByLabel("Description").fill("A split that does not fit");
    await page.getByRole("button", { name: "Review proposal" }).click();
    await page
      .getByRole("alert")
      .getByText("Holders (bps): contributors + holders must not exceed 10,000 bps, got 6000 + 5000")
      .waitFor();

    await page.getByLabel("Holders (bps)").fill("4000");
    await page.getByRole("button", { name: "Review proposal" }).click();
    const review = page.getByRole("region", { name: "What this proposal does" });
    await review.getByText(`Your account ${outsider.address} has 0 votes; proposing needs 10.`).waitFor();
    expect(await review.getByRole("button", { name: "Propose", exact: true }).isDisabled()).to.equal(true);
    expect(outsider.sent).to.have.length(0);
  });

  it("has no serious axe-core violations on both pages at phone width, with no wallet", async function () {
    this.timeout(120_000);
    for (const [route, heading] of [
      ["#/register", "Register a model"],
      ["#/models/1/propose", "Propose a change to model #1"],
    ]) {
      const page = await open(route, undefined, PHONE);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      if (route.endsWith("propose")) await page.getByLabel("Action").waitFor();
      const violations = await axeScan(page);
      expect(violations, `${route}:\n${describeViolations(violations)}`).to.deep.equal([]);
      await app!.close();
      app = undefined;
    }
  });
});
