/**
 * The real-browser test harness of the app (issue #16, section 4): Debian's Chromium driven by `playwright-core`
 * (never a downloaded browser), pages opened with a test wallet injected (`test-wallet.ts`), axe-core scans, a
 * screenshot of every failed test's page under `.ci/logs/screenshots/`, and the phone-width viewport. No test cases
 * here: test files import what they need.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

import { TestWallet } from "./test-wallet.js";

export { TestWallet, type WalletRequest } from "./test-wallet.js";

/** Where Debian installs Chromium. */
export const CHROMIUM = "/usr/bin/chromium";
/** Where failed tests' screenshots go (the CI log directory). */
export const SCREENSHOT_DIR = path.resolve(fileURLToPath(import.meta.url), "../../../.ci/logs/screenshots");
/** A phone-width viewport (iPhone 12-15 size). */
export const PHONE = { width: 390, height: 844 } as const;
/** The desktop viewport pages open with. */
export const DESKTOP = { width: 1280, height: 900 } as const;

let installing: Promise<string | undefined> | undefined;

/** Installs Chromium with apt-get when it is missing; resolves to why it is unavailable, or undefined when it is. */
export function chromiumProblem(): Promise<string | undefined> {
  installing ??= (async () => {
    if (existsSync(CHROMIUM)) return undefined;
    try {
      await promisify(execFile)("apt-get", ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "chromium"], {
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      const last = (e.stderr ?? e.message).trim().split("\n").slice(-1)[0];
      return `apt-get install -y chromium failed: ${last}`;
    }
    return existsSync(CHROMIUM) ? undefined : `apt-get install -y chromium did not install ${CHROMIUM}`;
  })();
  return installing;
}

/**
 * In a mocha `before` hook: makes sure Chromium is installed (apt-get may take minutes), or skips the suite with a
 * loud reason naming the failure (printed, and added to the suite's title).
 */
export async function ensureChromium(context: Mocha.Context): Promise<void> {
  context.timeout(Math.max(context.timeout(), 600_000));
  const problem = await chromiumProblem();
  if (problem === undefined) return;
  const reason = `SKIPPED: no Chromium for the browser tests (${problem})`;
  console.error(`\n${"!".repeat(100)}\n${reason}\n${"!".repeat(100)}\n`);
  const suite = context.test?.parent;
  if (suite !== undefined) suite.title = `${suite.title} [${reason}]`;
  context.skip();
}

/** Launches Debian's Chromium, headless. */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/** An app page opened by `openApp`. */
export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** The injected wallet, if one was given. */
  wallet?: TestWallet;
  /** Console errors and uncaught page errors, as text, in order. */
  errors: string[];
  /** Closes the page's browser context. */
  close(): Promise<void>;
}

/** What `openApp` takes besides the browser, the URL and the wallet. */
export interface OpenOptions {
  /** The viewport (default DESKTOP). */
  viewport?: { width: number; height: number };
  /** Hash route to open, e.g. "#/models/1" (default: the app's root). */
  route?: string;
}

/**
 * Opens the app at `appUrl` in a fresh browser context (no storage shared with other tests), with `wallet` injected
 * as `window.ethereum` and announced through EIP-6963 (no wallet at all when it is undefined), and waits for the
 * page's load event. Console errors (with the URL they concern) and page errors are collected in `errors`, all but
 * the failure of the favicon request Chromium makes on its own.
 */
export async function openApp(
  browser: Browser,
  appUrl: string,
  wallet?: TestWallet,
  options: OpenOptions = {},
): Promise<AppPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    // Chromium asks for /favicon.ico by itself when a page names no icon: that request is not the app's doing.
    if (new URL(where || "about:blank", "about:blank").pathname === "/favicon.ico") return;
    errors.push(`console: ${message.text()}${where ? ` (${where})` : ""}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  if (wallet !== undefined) await wallet.install(page);
  current = page;
  const url = new URL(appUrl);
  if (options.route !== undefined) url.hash = options.route;
  await page.goto(url.href, { waitUntil: "load" });
  return { page, context, wallet, errors, close: () => context.close() };
}

/** Sets `page` to the phone-width viewport (390x844). */
export async function usePhoneViewport(page: Page): Promise<void> {
  await page.setViewportSize(PHONE);
}

/** An axe-core violation, reduced to what a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Runs axe-core (node_modules/axe-core) on `page`; returns its serious and critical violations. */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<unknown> } };
    const results = (await page.axe.run((globalThis as unknown as { document: unknown }).document, {
      resultTypes: ["violations"],
    })) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? "",
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(" ")),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** One line per violation, for an assertion message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.slice(0, 5).join(", ")})`).join("\n");
}

let current: Page | undefined;

/**
 * Registers a mocha `afterEach` (call it inside a `describe`) that saves a full-page screenshot of the page
 * `page()` returns (default: the last page `openApp` opened) to `.ci/logs/screenshots/<test title>.png` when the
 * test failed.
 */
export function screenshotOnFailure(page: () => Page | undefined = () => current): void {
  afterEach(async function () {
    const test = this.currentTest;
    const open = page();
    if (test?.state !== "failed" || open === undefined || open.isClosed()) return;
    const name = test
      .fullTitle()
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .slice(0, 150);
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    try {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await open.screenshot({ path: file, fullPage: true, timeout: 10_000 });
      console.error(`screenshot of the failed test's page: ${file}`);
    } catch (error) {
      console.error(`could not save a screenshot of the failed test's page: ${(error as Error).message}`);
    }
  });
}
