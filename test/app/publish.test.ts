/**
 * Publishing a version through the gateway from the model page (PublishVersion, AdoptVersion) in Chromium against
 * the shared stack: a holder picks a folder (its top folder dropped, its dotfile left out), signs in and uploads;
 * the page shows version N, which the gateway serves as revision vN while `main` stays the adopted version; the
 * holder then proposes adopting it, and on chain the governor has a Pending proposal whose calls set model 1's URI
 * and content hash to the page's. An account that is neither the creator nor a holder reads the 403 explained and
 * sends nothing. axe-core at desktop and phone width.
 *
 * Shared state this file changes (other files must not rely on it staying as seeded): the seeded `consortium`
 * publishes a new version of Vision-7B (model 1) to the gateway's catalogue (revision `main` is unchanged) and files
 * a Pending proposal on model 1 to adopt it. Test accounts 12-14 are this file's (12 reads only); no other file
 * should use them.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, decodeFunctionData, http, type Address } from "viem";

import { modelGovernorAbi, modelRegistryAbi, modelSharesAbi } from "../../app/src/generated.js";
import { signIn } from "../../gateway/client/sign-in.js";
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

const STRANGER = 12;
const TIMEOUT = 60_000;

describe("app publish a version through the gateway (Chromium, shared stack)", function () {
  let stack: Stack;
  let browser: Browser;
  let app: AppPage | undefined;
  let folder: string;
  screenshotOnFailure(() => app?.page);

  before(async function () {
    await ensureChromium(this);
    this.timeout(900_000);
    stack = await sharedStack();
    browser = await launch();
    folder = await mkdtemp(path.join(tmpdir(), "ws-app-publish-"));
    const model = path.join(folder, "vision-7b-v2");
    await mkdir(path.join(model, "weights"), { recursive: true });
    await writeFile(path.join(model, "README.md"), "---\nlicense: other\n---\n# Vision-7B v2\n\nRetrained.\n");
    await writeFile(path.join(model, "config.json"), JSON.stringify({ model_type: "vit", hidden_size: 64 }));
    await writeFile(path.join(model, "weights", "model.safetensors"), Buffer.alloc(4096, 7));
    await writeFile(path.join(model, ".DS_Store"), "finder junk");
  });
  afterEach(async function () {
    await app?.close();
    app = undefined;
  });
  after(async function () {
    await browser?.close();
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  /** Opens model 1's page with `wallet` connected. */
  async function openModel(wallet: TestWallet): Promise<Page> {
    app = await openApp(browser, stack.appUrl, wallet, { route: "#/models/1" });
    const { page } = app;
    page.setDefaultTimeout(TIMEOUT);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page
      .getByRole("banner")
      .getByRole("button", { name: /^Connect/ })
      .first()
      .click();
    await page.getByLabel("Connected account").waitFor();
    await page.getByRole("heading", { name: "Publish a new version" }).waitFor();
    return page;
  }

  /** The commit the gateway serves as `revision` of model 1, to a Node client signed in as `privateKey`. */
  async function commitOf(privateKey: string, revision: string): Promise<string> {
    const session = await signIn(stack.gatewayUrl, new Wallet(privateKey, new JsonRpcProvider(stack.rpcUrl)));
    const response = await fetch(`${stack.gatewayUrl}/api/models/weightshare/1/revision/${revision}`, {
      headers: { Authorization: `Bearer ${session.token}` },
    });
    expect(response.status, await response.clone().text()).to.equal(200);
    return ((await response.json()) as { sha: string }).sha;
  }

  it("explains the gateway's 403 to an account that neither created the model nor holds votes", async function () {
    this.timeout(300_000);
    const stranger = new TestWallet(testAccount(STRANGER).privateKey, stack.rpcUrl);
    const page = await openModel(stranger);
    await page
      .locator("#publish-files")
      .setInputFiles([{ name: "README.md", mimeType: "text/markdown", buffer: Buffer.from("# mine\n") }]);
    await page.getByText("1 file, 7 B:").waitFor();
    await page.getByRole("button", { name: "Sign in and publish" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "may not publish versions of model #1" });
    await refusal.waitFor();
    expect(await refusal.textContent()).to.match(/The gateway said: .*has 0 votes/);
    expect(stranger.sent).to.deep.equal([]);
    expect(await page.getByRole("button", { name: /^Propose adopting/ }).count()).to.equal(0);
    expect(app!.errors.filter((e) => !e.includes("403"))).to.deep.equal([]);
  });

  it("publishes a holder's folder as version N, main unchanged, then proposes adopting it: the governor has it", async function () {
    this.timeout(300_000);
    const holder = new TestWallet(stack.accounts.consortium.privateKey, stack.rpcUrl);
    const page = await openModel(holder);
    const adopted = await commitOf(stack.accounts.consortium.privateKey, "main");

    await page.locator("#publish-folder").setInputFiles(path.join(folder, "vision-7b-v2"));
    await page.getByText(/^3 files, /).waitFor();
    await page.getByText("Left out (hidden files are never published): .DS_Store").waitFor();
    for (const file of ["README.md", "config.json", "weights/model.safetensors"]) {
      await page
        .getByRole("listitem")
        .filter({ hasText: `${file} (` })
        .waitFor();
    }
    await page.getByRole("button", { name: "Sign in and publish" }).click();
    const done = page.getByText(/^Version \d+ is published through the gateway, but not adopted yet/);
    await done.waitFor();
    const version = Number((await done.textContent())!.match(/^Version (\d+)/)![1]);
    expect(version).to.be.greaterThan(1);
    const facts = async (term: string) =>
      (await page.locator(`dt:text-is("${term}") + dd`).last().textContent())!.trim();
    const metadataURI = await facts("Metadata URI");
    const contentHash = await facts("Content hash");
    const commit = await facts("Revision");
    expect(holder.signedMessages()).to.have.length(1);
    expect(holder.sent).to.deep.equal([]);

    // The gateway has it as vN; main is still the version adopted on chain.
    expect(await commitOf(stack.accounts.consortium.privateKey, `v${version}`)).to.equal(commit);
    expect(await commitOf(stack.accounts.consortium.privateKey, "main")).to.equal(adopted);

    const violations = await axeScan(page);
    expect(violations, describeViolations(violations)).to.deep.equal([]);

    const propose = page.getByRole("button", { name: `Propose adopting version ${version}` });
    await propose.click();
    await page.getByRole("button", { name: "Confirm in wallet" }).click();
    const filed = page.getByText(new RegExp(`Proposal \\d+ to adopt version ${version} is filed`));
    await filed.waitFor({ timeout: 120_000 });
    expect(holder.sent).to.have.length(1);
    const proposalId = BigInt((await filed.textContent())!.match(/Proposal (\d+)/)![1]);

    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const { governor } = await client.readContract({
      address: stack.deployment.registry as Address,
      abi: modelRegistryAbi,
      functionName: "model",
      args: [1n],
    });
    expect(
      await client.readContract({
        address: governor,
        abi: modelGovernorAbi,
        functionName: "state",
        args: [proposalId],
      }),
    ).to.equal(0); // Pending
    const [created] = (
      await client.getContractEvents({
        address: governor,
        abi: modelGovernorAbi,
        eventName: "ProposalCreated",
        fromBlock: 0n,
        strict: true,
      })
    ).filter((e) => e.args.proposalId === proposalId);
    expect(created.args.targets.map((t) => t.toLowerCase())).to.deep.equal([
      stack.deployment.shares.toLowerCase(),
      stack.deployment.registry.toLowerCase(),
    ]);
    const setURI = decodeFunctionData({ abi: modelSharesAbi, data: created.args.calldatas[0] });
    expect([setURI.functionName, ...setURI.args]).to.deep.equal(["setURI", 1n, metadataURI]);
    const setHash = decodeFunctionData({ abi: modelRegistryAbi, data: created.args.calldatas[1] });
    expect([setHash.functionName, ...setHash.args]).to.deep.equal(["setContentHash", 1n, contentHash]);
    expect(created.args.description).to.match(
      new RegExp(`^Adopt version ${version} of model #1: 3 files, .*#proposer=${holder.address}$`, "i"),
    );
    // Until the vote passes and executes, the chain still names the adopted version.
    expect(await commitOf(stack.accounts.consortium.privateKey, "main")).to.equal(adopted);

    await page.setViewportSize(PHONE);
    const phone = await axeScan(page);
    expect(phone, describeViolations(phone)).to.deep.equal([]);
    expect(app!.errors, app!.errors.join("\n")).to.deep.equal([]);
  });
});
