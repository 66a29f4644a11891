/**
 * The app in Debian's Chromium against the shared local stack (chain, indexer, gateway, built app): the model list
 * loads with no wallet connected, with no console error, and axe-core finds no serious or critical violation on it
 * at desktop and at phone width.
 */
import { expect } from "chai";
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
  type AppPage,
} from "./harness.js";

describe("app smoke (Chromium, shared stack)", function () {
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

  /** Opens the model list with no wallet and waits for the header and the page's heading. */
  async function openModels(viewport?: { width: number; height: number }): Promise<AppPage> {
    app = await openApp(browser, stack.appUrl, undefined, { viewport });
    const { page } = app;
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.waitForLoadState("networkidle");
    return app;
  }

  for (const [name, viewport] of [
    ["desktop", undefined],
    ["phone width", PHONE],
  ] as const) {
    it(`loads the model list with no wallet, no console error and no serious axe violation (${name})`, async function () {
      const { page, errors } = await openModels(viewport);
      const nav = page.getByRole("navigation", { name: "Main" });
      for (const link of ["Models", "Raises", "Register", "My account"]) {
        expect(await nav.getByRole("link", { name: link, exact: true }).count(), link).to.equal(1);
      }
      expect(await nav.getByRole("link", { name: "Models" }).getAttribute("aria-current")).to.equal("page");
      // No wallet is injected: nothing is connected, and reading needs none.
      expect(await page.getByLabel("Connected account").count()).to.equal(0);
      const violations = await axeScan(page);
      expect(violations, describeViolations(violations)).to.deep.equal([]);
      expect(errors, errors.join("\n")).to.deep.equal([]);
    });
  }
});
