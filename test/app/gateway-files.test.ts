/**
 * The model page's gateway files (GatewayFiles) in Chromium against the shared stack, with the injected test
 * wallet: a sign-in the user rejects loses nothing and can be retried; an account without access reads why; a
 * holder of Vision-7B's fractions lists the adopted version's files and downloads one, byte for byte what the
 * gateway serves a Node client.
 */
import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import type { Browser } from "playwright-core";

import { signIn } from "../../gateway/client/sign-in.js";
import { sharedStack, type Stack } from "../../scripts/app/stack.js";
import { ensureChromium, launch, openApp, screenshotOnFailure, TestWallet, type AppPage } from "./harness.js";

describe("app GatewayFiles (Chromium, shared stack, test wallet)", function () {
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

  /** Opens model 1's page as `role`'s wallet and connects it. */
  async function openModelAs(role: keyof Stack["accounts"]): Promise<AppPage> {
    const wallet = new TestWallet(stack.accounts[role].privateKey, stack.rpcUrl);
    app = await openApp(browser, stack.appUrl, wallet, { route: "#/models/1" });
    await app.page
      .getByRole("button", { name: /^Connect/ })
      .first()
      .click();
    await app.page.getByLabel("Connected account").waitFor();
    return app;
  }

  it("keeps the sign-in offer after the user rejects the signature, and explains a refusal to an account without access", async function () {
    const { page, wallet } = await openModelAs("licensee");
    const signInButton = page.getByRole("button", { name: "Sign in to download" });
    wallet!.rejectNext();
    await signInButton.click();
    await page.getByRole("alert").filter({ hasText: "You declined the signature" }).waitFor();
    expect(wallet!.requests.filter((r) => r.method === "personal_sign").map((r) => r.outcome)).to.deep.equal([
      "rejected",
    ]);
    await signInButton.click();
    const refusal = page.getByRole("alert").filter({ hasText: "has no live licence of model #1" });
    await refusal.waitFor();
    expect(await refusal.textContent()).to.contain("The gateway said:");
    const [message] = wallet!.signedMessages();
    expect(message).to.match(/^127\.0\.0\.1:\d+ wants you to sign in with your Ethereum account:\n0x/);
    expect(message).to.contain(`\nChain ID: ${stack.chainId}\n`);
    expect(app!.errors.filter((e) => !e.includes("403"))).to.deep.equal([]);
  });

  it("lists the adopted version's files to a holder and downloads one, byte for byte what the gateway serves", async function () {
    const { page } = await openModelAs("member");
    await page.getByRole("button", { name: "Sign in to download" }).click();
    const button = page.getByRole("button", { name: "Download README.md" });
    await button.waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).to.equal("README.md");
    const saved = await readFile((await download.path())!);

    const member = new Wallet(stack.accounts.member.privateKey, new JsonRpcProvider(stack.rpcUrl));
    const session = await signIn(stack.gatewayUrl, member);
    const direct = await fetch(`${stack.gatewayUrl}/weightshare/1/resolve/main/README.md`, {
      headers: { Authorization: `Bearer ${session.token}` },
    });
    expect(direct.status).to.equal(200);
    expect(saved.equals(Buffer.from(await direct.arrayBuffer()))).to.equal(true);
    await page.getByRole("status").filter({ hasText: "Saved README.md." }).waitFor();
    expect(app!.errors).to.deep.equal([]);
  });
});
