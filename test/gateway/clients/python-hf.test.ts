/**
 * The real Python `huggingface_hub` 2.x client (unmodified: `HF_ENDPOINT` at the in-process gateway, `HF_TOKEN` the
 * SIWE bearer token) downloads a licensed model with `hf_hub_download` and `snapshot_download`, byte-identical; a
 * non-licensee gets a 403 (GatedRepoError). Issue #12.
 *
 * The package is installed, when not there yet, into `cache/python-hf/` (gitignored) with
 * `python3 -m pip install --target cache/python-hf huggingface_hub==2.0.0`, with `PIP_INDEX_URL` set to the first
 * local package index `pip config list` names (`file://…` or loopback; the public PyPI is unreachable here and pip
 * would spend minutes retrying it). Without python3 or the package the suite is skipped, saying so in a line that
 * starts `python huggingface_hub:`; it prints `python huggingface_hub: ran` when it ran.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { signIn } from "../../../gateway/client/index.js";
import type { GatewayWorld } from "../server/fixture.js";
import { clientWorld } from "../client/world.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const TARGET = path.join(ROOT, "cache", "python-hf");
const VERSION = "2.0.0";
const SCRIPT = path.join(import.meta.dirname, "hf_download.py");

const connection = await hre.network.create();

/** The Python interpreter and whether `huggingface_hub==VERSION` imports from TARGET, or why not. */
function pythonReady(): { ok: true; python: string } | { ok: false; reason: string } {
  const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
  if (python.error !== undefined || python.status !== 0) {
    return { ok: false, reason: "python3 is not installed (or does not run)" };
  }
  const version = `${python.stdout}${python.stderr}`.trim();
  if (importedVersion() === VERSION) return { ok: true, python: version };
  const env = { ...process.env, ...localIndex() };
  const install = spawnSync(
    "python3",
    [
      "-m",
      "pip",
      "install",
      "--quiet",
      "--disable-pip-version-check",
      "--target",
      TARGET,
      `huggingface_hub==${VERSION}`,
    ],
    { encoding: "utf8", env, timeout: 300_000 },
  );
  if (install.status !== 0) {
    const why = install.error?.message ?? install.stderr.trim().split("\n").slice(-1)[0] ?? "";
    return {
      ok: false,
      reason: `pip could not install huggingface_hub==${VERSION} into ${TARGET} (${why.slice(0, 200)}; index ${env.PIP_INDEX_URL ?? "PyPI"})`,
    };
  }
  const imported = importedVersion();
  if (imported !== VERSION) {
    return {
      ok: false,
      reason: `huggingface_hub ${VERSION} does not import from ${TARGET} (got ${imported ?? "nothing"})`,
    };
  }
  return { ok: true, python: version };
}

function importedVersion(): string | undefined {
  if (!existsSync(TARGET)) return undefined;
  const r = spawnSync("python3", ["-c", "import huggingface_hub; print(huggingface_hub.__version__)"], {
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: TARGET },
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** `PIP_INDEX_URL` = the first local index (file:// or loopback) among those `pip config list` names, if any. */
function localIndex(): Record<string, string> {
  if (process.env.PIP_INDEX_URL) return {};
  const r = spawnSync("python3", ["-m", "pip", "config", "list"], { encoding: "utf8" });
  const urls = [...(r.stdout ?? "").matchAll(/index-url='([^']*)'/g)].flatMap((m) => m[1].split(/\s+/));
  const local = urls.filter((u) => /^(file:\/\/|https?:\/\/(127\.0\.0\.1|localhost)[:/])/.test(u));
  return local.length === 0 ? {} : { PIP_INDEX_URL: local[0] };
}

/**
 * Runs the script as a user would: HF_ENDPOINT and HF_TOKEN in the environment, a private HF_HOME. Asynchronously:
 * the gateway answering it runs in this process.
 */
async function runPython(
  world: GatewayWorld,
  token: string,
  mode: "download" | "refused",
  out: string,
): Promise<Record<string, unknown>> {
  const env = {
    ...process.env,
    PYTHONPATH: TARGET,
    HF_ENDPOINT: world.url,
    HF_TOKEN: token,
    HF_HOME: path.join(out, "hf-home"),
    HF_HUB_DISABLE_TELEMETRY: "1",
    HF_HUB_DISABLE_PROGRESS_BARS: "1",
  };
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      "python3",
      [SCRIPT, mode, `weightshare/${world.modelId}`, out],
      { encoding: "utf8", timeout: 120_000, env },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`hf_download.py ${mode} failed: ${error.message}\n${stderr.slice(-2000)}`))
          : resolve(stdout),
    );
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

describe("gateway: the Python huggingface_hub client", function () {
  this.timeout(600_000);
  let world: GatewayWorld | undefined;
  let out: string;

  before(async function () {
    const ready = pythonReady();
    if (!ready.ok) {
      console.log(`python huggingface_hub: SKIPPED — ${ready.reason}`);
      this.skip();
    }
    console.log(`python huggingface_hub: ran (huggingface_hub ${VERSION}, ${ready.python})`);
    world = await clientWorld(connection);
  });
  beforeEach(async function () {
    out = await mkdtemp(path.join(tmpdir(), "ws-python-hf-"));
  });
  afterEach(async function () {
    if (out !== undefined) await rm(out, { recursive: true, force: true });
  });
  after(async function () {
    await world?.close();
  });

  it("downloads byte-identical files with hf_hub_download and snapshot_download", async function () {
    const w = world!;
    const { token } = await signIn(w.url, w.licensee);
    const r = await runPython(w, token, "download", out);
    expect(r.version).to.equal(VERSION);
    expect(await readFile(r.single as string)).to.deep.equal(w.files.get("config.json"));
    expect(await readFile(r.nested as string)).to.deep.equal(w.files.get("onnx/model.onnx"));
    expect(r.nested as string).to.include(path.join("snapshots", w.published.commit, "onnx", "model.onnx"));
    for (const [name, bytes] of w.files) {
      expect(await readFile(path.join(r.snapshot as string, name)), name).to.deep.equal(bytes);
    }
  });

  it("refuses a non-licensee with 403 (GatedRepoError)", async function () {
    const w = world!;
    const { token } = await signIn(w.url, w.outsider);
    const r = await runPython(w, token, "refused", out);
    expect(r.status).to.equal(403);
    expect(r.classes).to.include("GatedRepoError");
    expect(existsSync(path.join(out, "refused", "config.json"))).to.equal(false);
  });
});
