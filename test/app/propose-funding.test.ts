/**
 * Proposing to open a sale of treasury fractions from the Propose page, in Debian's Chromium against the shared local
 * stack: a rising price is refused naming its field and nothing is sent; the page shows the proposal decoded (the
 * approval and the sale's terms); on chain the governor has it Pending with calls to ModelShares and FractionSales
 * carrying the entered terms. The attestation actions are offered, the deployment naming the provenance resolver.
 *
 * Shared state this file changes (other files must not rely on it staying as seeded): a Pending proposal to open a
 * sale of Climate-3B's (model 3) treasury fractions is filed by test account 9. Test accounts 9-11 are this file's.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, decodeFunctionData, http, parseEther, type Address } from "viem";

import { fractionSalesAbi, modelGovernorAbi, modelRegistryAbi, modelSharesAbi } from "../../app/src/generated.js";
import { sharedStack, testAccount, type Stack } from "../../scripts/app/stack.js";
import "./stack-fixture.js"; // stops the shared stack when the run ends, even when this file runs alone
import {
  axeScan,
  describeViolations,
  ensureChromium,
  launch,
  openApp,
  screenshotOnFailure,
  TestWallet,
  type AppPage,
} from "./harness.js";

const PROPOSER = 9;
const MODEL = 3n;
const TIMEOUT = 60_000;
const DAY = 86_400n;

/** A chain time as the decoder prints it. */
const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

describe("app propose opening a sale (Chromium, shared stack)", function () {
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

  async function open(route: string, wallet: TestWallet): Promise<Page> {
    app = await openApp(browser, stack.appUrl, wallet, { route });
    const { page } = app;
    page.setDefaultTimeout(TIMEOUT);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page
      .getByRole("banner")
      .getByRole("button", { name: /^Connect/ })
      .first()
      .click();
    await page.getByLabel("Connected account").waitFor();
    return page;
  }

  it("proposes a falling-price sale of Climate-3B's treasury fractions: decoded on the page, Pending on chain", async function () {
    this.timeout(300_000);
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const proposer = new TestWallet(testAccount(PROPOSER).privateKey, stack.rpcUrl);
    const { governor, timelock } = await client.readContract({
      address: stack.deployment.registry as Address,
      abi: modelRegistryAbi,
      functionName: "model",
      args: [MODEL],
    });
    const held = await client.readContract({
      address: stack.deployment.shares as Address,
      abi: modelSharesAbi,
      functionName: "balanceOf",
      args: [timelock, MODEL],
    });
    // Chain times, well after the proposal can run (voting delay + period + timelock delay).
    const now = (await client.getBlock()).timestamp;
    const opensAt = now - (now % DAY) + 30n * DAY;
    const closesAt = opensAt + 60n * DAY;

    const page = await open(`#/models/${MODEL}/propose`, proposer);
    await page.getByRole("heading", { level: 1, name: `Propose a change to model #${MODEL}` }).waitFor();
    // The deployment names EAS and the provenance resolver: the attestation actions are offered.
    for (const id of ["attest-provenance", "revoke-provenance", "set-evaluator", "open-raise"]) {
      expect(await page.locator(`#field-action option[value="${id}"]`).count(), id).to.equal(1);
    }
    await page.getByLabel("Action").selectOption("open-sale");
    await page.getByLabel("Fractions to sell").fill("100");
    await page.getByLabel("Price per fraction").fill("0.02");
    await page.getByLabel("End price").fill("0.03");
    await page.getByLabel("Opens").fill(String(opensAt));
    await page.getByLabel("Closes").fill(String(closesAt));
    await page.getByLabel("Description").fill("Sell 100 Climate-3B fractions");

    // A price that rises is refused, naming the field; nothing is offered to send.
    await page.getByRole("button", { name: "Review proposal" }).click();
    await page
      .getByRole("alert")
      .getByText("End price: a sale's price never rises; expected at most the price (0.02 ETH), got 0.03 ETH")
      .waitFor();
    expect(await page.getByLabel("End price").getAttribute("aria-invalid")).to.equal("true");
    expect(await page.getByRole("button", { name: "Propose", exact: true }).count()).to.equal(0);

    await page.getByLabel("End price").fill("0.01");
    await page.getByRole("button", { name: "Review proposal" }).click();
    const review = page.getByRole("region", { name: "What this proposal does" });
    await review
      .getByText("let the FractionSales contract move the treasury's fractions (only what a sale it opens offers)")
      .waitFor();
    await review
      .getByText(
        `sell 100 treasury fractions of model #${MODEL} at a price falling from 0.02 ETH to 0.01 ETH each, from ${iso(opensAt)} to ${iso(closesAt)}`,
      )
      .waitFor();
    if (held < 100n) {
      await review
        .getByText(`Warning: the treasury holds ${held} fractions of model #${MODEL}`, { exact: false })
        .waitFor();
      await review.getByLabel("I understand; propose it anyway").check();
    }
    const violations = await axeScan(page);
    expect(violations, describeViolations(violations)).to.deep.equal([]);

    await review.getByRole("button", { name: "Propose", exact: true }).click();
    await review.getByRole("button", { name: "Confirm in wallet" }).click();
    await review.getByText(/Proposal \d+ is filed: it is Pending/).waitFor({ timeout: 120_000 });
    expect(proposer.sent).to.have.length(1);
    const proposalId = BigInt((await review.getByText(/Proposal \d+ is filed/).textContent())!.match(/\d+/)![0]);

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
    expect(created.args.targets.map((t) => t.toLowerCase())).to.deep.equal([
      stack.deployment.shares.toLowerCase(),
      stack.deployment.sales!.toLowerCase(),
    ]);
    const approval = decodeFunctionData({ abi: modelSharesAbi, data: created.args.calldatas[0] });
    expect(approval.functionName).to.equal("setApprovalForAll");
    const [operator, approved] = approval.args as readonly [Address, boolean];
    expect([operator.toLowerCase(), approved]).to.deep.equal([stack.deployment.sales!.toLowerCase(), true]);
    const sale = decodeFunctionData({ abi: fractionSalesAbi, data: created.args.calldatas[1] });
    expect(sale.functionName).to.equal("open");
    const [terms] = sale.args as readonly [Record<string, unknown>];
    expect(terms).to.deep.equal({
      modelId: MODEL,
      token: "0x0000000000000000000000000000000000000000",
      startPrice: parseEther("0.02"),
      endPrice: parseEther("0.01"),
      amount: 100n,
      startsAt: Number(opensAt), // uint48: viem decodes it as a number
      endsAt: Number(closesAt),
    });
    expect(created.args.description).to.equal(`Sell 100 Climate-3B fractions#proposer=${proposer.address}`);
    expect(app!.errors, app!.errors.join("\n")).to.deep.equal([]);
  });
});
