/**
 * `npm run bench:app [-- --loads N] [-- --repeats N] [-- --screenshot FILE]`: the web app's figures on the seeded local
 * stack (scripts/app/stack.ts), as issue #16 section 5 asks. A benchmark, not a test: it prints figures and writes
 * bench/app.json.
 *
 *   1. first load: the JavaScript the model page downloads (every script response, gzip-compressed here at level 9 as
 *      a static host would serve it), and the entry alone (index.html's script and its modulepreloads);
 *   2. time to interactive in Debian's Chromium (playwright-core): N cold loads of `#/models/1` in fresh browser
 *      contexts (no cache), from navigation start to the model page showing its offers and proposals (read from
 *      the indexer) with its controls rendered; first contentful paint beside it;
 *   3. the indexer API's latency for the model page's own queries: the GraphQL requests the page sent, captured from
 *      the browser, each replayed N times in sequence from Node; p50 and p99 per query and over all.
 *
 * With --screenshot FILE it also saves the model page at desktop width (the README's picture). Loopback only; the
 * stack's children are stopped by their own pids.
 */
import { writeFileSync } from "node:fs";
import { existsSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { chromium, type Browser } from "playwright-core";

import { buildApp, root, startStack, type Stack } from "./app/stack.ts";
import { entryScripts, percentile } from "./bench-app/measure.ts";

const CHROMIUM = "/usr/bin/chromium";
const MODEL_PAGE = "#/models/1";

interface Options {
  loads: number;
  repeats: number;
  screenshot?: string;
}

function parse(argv: string[]): Options {
  const options: Options = { loads: 5, repeats: 200 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [key, inline] = arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = inline ?? argv[++i];
    if (key === "--screenshot") {
      if (value === undefined || value === "") fail("--screenshot: expected a file path, e.g. docs/model-page.png");
      options.screenshot = path.resolve(value);
    } else if (key === "--loads" || key === "--repeats") {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 1 || n > 10_000)
        fail(`${key}: expected a whole number 1..10000, got "${value}"`);
      options[key === "--loads" ? "loads" : "repeats"] = n;
    } else {
      fail(`unknown argument ${arg}: expected --loads N, --repeats N or --screenshot FILE`);
    }
  }
  return options;
}

function fail(line: string): never {
  console.error(`error: ${line}`);
  process.exit(1);
}

interface Load {
  interactiveMs: number;
  fcpMs: number | undefined;
  scripts: { url: string; bytes: number; gzip: number }[];
  queries: string[];
}

/** One cold load of the model page in a fresh context: timings, the scripts it fetched and its GraphQL bodies. */
async function coldLoad(browser: Browser, stack: Stack): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const scripts: Load["scripts"] = [];
  const queries: string[] = [];
  const pending: Promise<void>[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().startsWith(`${stack.indexerUrl}/graphql`)) {
      queries.push(request.postData() ?? "");
    }
  });
  page.on("response", (response) => {
    if (!/\.m?js(\?|$)/.test(response.url())) return;
    pending.push(
      response.body().then((body) => {
        scripts.push({ url: response.url(), bytes: body.length, gzip: gzipSync(body, { level: 9 }).length });
      }),
    );
  });
  await page.goto(`${stack.appUrl}/${MODEL_PAGE}`);
  await page.locator('ul[aria-label="Offers"] li').first().waitFor({ timeout: 60_000 });
  await page.locator('ul[aria-label="Proposals"] li').first().waitFor({ timeout: 60_000 });
  const timing = await page.evaluate(() => ({
    now: performance.now(),
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
  }));
  await Promise.all(pending);
  await context.close();
  return { interactiveMs: timing.now, fcpMs: timing.fcp, scripts, queries };
}

/** Replays each distinct query `repeats` times in sequence; latencies in ms per query. */
async function replay(indexerUrl: string, bodies: string[], repeats: number): Promise<Map<string, number[]>> {
  const latencies = new Map<string, number[]>();
  for (const body of new Set(bodies)) {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      const response = await fetch(`${indexerUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const json = (await response.json()) as { errors?: unknown[] };
      if (!response.ok || json.errors !== undefined)
        fail(`the indexer refused a model-page query: ${body.slice(0, 120)}`);
      times.push(performance.now() - start);
    }
    latencies.set(body, times);
  }
  return latencies;
}

function queryName(body: string): string {
  const query = (JSON.parse(body) as { query: string }).query;
  return /(?:query\s+(\w+))|\{\s*(\w+)/.exec(query)?.slice(1).find(Boolean) ?? "query";
}

const options = parse(process.argv.slice(2));
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: apt-get install -y chromium (Debian's Chromium, no download)`);
console.log("building the app and starting the seeded stack…");
await buildApp();
const stack = await startStack({ build: "never", log: (line) => console.log(`  ${line}`) });
let browser: Browser | undefined;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM });
  const entry = entryScripts(path.join(root, "app", "dist"));
  const loads: Load[] = [];
  for (let i = 0; i < options.loads; i++) loads.push(await coldLoad(browser, stack));
  const first = loads[0];
  const interactive = loads.map((l) => l.interactiveMs);
  const fcp = loads.map((l) => l.fcpMs).filter((v): v is number => v !== undefined);
  const latencies = await replay(stack.indexerUrl, first.queries, options.repeats);
  const all = [...latencies.values()].flat();

  const results = {
    date: new Date().toISOString(),
    machine: "2 cores, loopback; app served as static files by scripts/app/static-server.ts",
    firstLoad: {
      entryGzipBytes: entry.gzip,
      entryBytes: entry.bytes,
      modelPageScripts: first.scripts.length,
      modelPageGzipBytes: first.scripts.reduce((sum, s) => sum + s.gzip, 0),
      modelPageBytes: first.scripts.reduce((sum, s) => sum + s.bytes, 0),
    },
    timeToInteractiveMs: { loads: interactive, median: percentile(interactive, 50) },
    firstContentfulPaintMs: { median: fcp.length > 0 ? percentile(fcp, 50) : null },
    api: {
      repeats: options.repeats,
      queries: [...latencies].map(([body, times]) => ({
        name: queryName(body),
        p50Ms: percentile(times, 50),
        p99Ms: percentile(times, 99),
      })),
      p50Ms: percentile(all, 50),
      p99Ms: percentile(all, 99),
    },
  };
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`\nfirst load: entry ${kib(entry.gzip)} gzip (${kib(entry.bytes)} raw)`);
  console.log(
    `model page: ${first.scripts.length} scripts, ${kib(results.firstLoad.modelPageGzipBytes)} gzip ` +
      `(${kib(results.firstLoad.modelPageBytes)} raw)`,
  );
  console.log(
    `time to interactive (model page, ${options.loads} cold loads): median ${ms(results.timeToInteractiveMs.median)}` +
      (fcp.length > 0 ? `; first contentful paint median ${ms(percentile(fcp, 50))}` : ""),
  );
  console.log(`indexer API, the model page's ${latencies.size} queries × ${options.repeats}:`);
  for (const q of results.api.queries) console.log(`  ${q.name.padEnd(24)} p50 ${ms(q.p50Ms)}  p99 ${ms(q.p99Ms)}`);
  console.log(`  ${"all".padEnd(24)} p50 ${ms(results.api.p50Ms)}  p99 ${ms(results.api.p99Ms)}`);
  writeFileSync(path.join(root, "bench", "app.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log("\nwritten to bench/app.json");

  if (options.screenshot !== undefined) {
    // Tall enough to show the card, files, licences and the open proposal.
    const context = await browser.newContext({ viewport: { width: 1280, height: 2000 } });
    const page = await context.newPage();
    await page.goto(`${stack.appUrl}/${MODEL_PAGE}`);
    await page.locator('ul[aria-label="Proposals"] li').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: options.screenshot, fullPage: false });
    await context.close();
    console.log(`screenshot: ${path.relative(root, options.screenshot)}`);
  }
} finally {
  await browser?.close();
  await stack.stop();
}
