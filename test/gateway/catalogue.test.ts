/**
 * The gateway's catalogue of published versions (issue #12, gateway/catalogue.ts): one JSON file per model,
 * ascending versions, look-ups by number, commit and metadata URI, refusal of duplicate or skipped versions.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { DuplicateVersionError, openCatalogue, type PublishedVersion } from "../../gateway/catalogue.js";

function entry(version: number, modelId = "7"): PublishedVersion {
  const hex = String(version).padStart(2, "0");
  return {
    chainId: "31337",
    modelId,
    version,
    manifestCid: `bafkreimanifest${hex}`,
    metadataCid: `bafkreimetadata${hex}`,
    metadataURI: `ipfs://bafkreimetadata${hex}`,
    contentHash: "0x" + hex.repeat(32),
    commit: hex.repeat(20),
    wrappedKey: `wsk1.key${hex}`,
    publishedAt: "2026-12-02T07:00:00.000Z",
  };
}

describe("gateway/catalogue", function () {
  let dataDir: string;

  beforeEach(async function () {
    dataDir = await mkdtemp(path.join(tmpdir(), "ws-catalogue-"));
  });

  afterEach(async function () {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("is empty for a model never published", async function () {
    const catalogue = openCatalogue(dataDir);
    expect(await catalogue.versions(31337, 7)).to.deep.equal([]);
    expect(await catalogue.version(31337n, 7n, 1)).to.equal(undefined);
    expect(await catalogue.latest("31337", "7")).to.equal(undefined);
  });

  it("records versions in one file per model and finds them by number, commit and metadata URI", async function () {
    const catalogue = openCatalogue(dataDir);
    await catalogue.record(entry(1));
    await catalogue.record(entry(2));
    await catalogue.record(entry(1, "8"));
    const file = path.join(dataDir, "catalogue", "31337", "7.json");
    const stored = JSON.parse(await readFile(file, "utf8")) as { versions: PublishedVersion[] };
    expect(stored.versions.map((v) => v.version)).to.deep.equal([1, 2]);
    expect(await readdir(path.join(dataDir, "catalogue", "31337"))).to.deep.equal(["7.json", "8.json"]);

    const reopened = openCatalogue(dataDir);
    expect((await reopened.versions(31337n, 7n)).map((v) => v.version)).to.deep.equal([1, 2]);
    expect(await reopened.version(31337, 7, 2)).to.deep.equal(entry(2));
    expect(await reopened.byCommit(31337, 7, "01".repeat(20))).to.deep.equal(entry(1));
    expect(await reopened.byCommit(31337, 7, "01".repeat(20).toUpperCase())).to.deep.equal(entry(1));
    expect(await reopened.byMetadataURI(31337, 7, "ipfs://bafkreimetadata02")).to.deep.equal(entry(2));
    expect(await reopened.byMetadataURI(31337, 7, "ipfs://other")).to.equal(undefined);
    expect((await reopened.latest(31337, 7))?.version).to.equal(2);
    expect((await reopened.versions(31337, 8)).length).to.equal(1);
  });

  it("refuses a duplicate or skipped version number, naming the next one, and leaves the file as it was", async function () {
    const catalogue = openCatalogue(dataDir);
    await catalogue.record(entry(1));
    for (const version of [1, 3]) {
      try {
        await catalogue.record(entry(version));
        expect.fail("recorded a bad version");
      } catch (error) {
        expect(error).to.be.instanceOf(DuplicateVersionError);
        expect((error as Error).message)
          .to.contain(`version ${version}`)
          .and.contain("next version is 2");
      }
    }
    expect((await catalogue.versions(31337, 7)).length).to.equal(1);
    const files = await readdir(path.join(dataDir, "catalogue", "31337"));
    expect(files).to.deep.equal(["7.json"]);
  });

  it("serialises concurrent records: one of two racing version-1 records wins", async function () {
    const catalogue = openCatalogue(dataDir);
    const results = await Promise.allSettled([catalogue.record(entry(1)), catalogue.record(entry(1))]);
    expect(results.map((r) => r.status).sort()).to.deep.equal(["fulfilled", "rejected"]);
  });

  it("serialises records across catalogue instances (as across processes) with a lock file", async function () {
    const results = await Promise.allSettled([
      openCatalogue(dataDir).record(entry(1)),
      openCatalogue(dataDir).record(entry(1)),
      openCatalogue(dataDir).record(entry(1)),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal(["fulfilled", "rejected", "rejected"]);
    expect((await openCatalogue(dataDir).versions(31337, 7)).length).to.equal(1);
    expect(await readdir(path.join(dataDir, "catalogue", "31337"))).to.deep.equal(["7.json"]);
  });

  it("takes over a lock abandoned more than a minute ago", async function () {
    const lock = path.join(dataDir, "catalogue", "31337", "7.json.lock");
    await mkdir(path.dirname(lock), { recursive: true });
    await writeFile(lock, "12345\n");
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    await openCatalogue(dataDir).record(entry(1));
    expect(await readdir(path.dirname(lock))).to.deep.equal(["7.json"]);
  });

  it("refuses ids that are not decimal integers (they become file names)", async function () {
    const catalogue = openCatalogue(dataDir);
    try {
      await catalogue.versions(31337, "../7");
      expect.fail("accepted a path as a model id");
    } catch (error) {
      expect((error as Error).message).to.equal('modelId must be a decimal integer, got "../7"');
    }
  });

  it("names a corrupt catalogue file", async function () {
    const catalogue = openCatalogue(dataDir);
    await catalogue.record(entry(1));
    const file = path.join(dataDir, "catalogue", "31337", "7.json");
    await import("node:fs/promises").then((fs) => fs.writeFile(file, "{not json"));
    try {
      await catalogue.versions(31337, 7);
      expect.fail("read a corrupt file");
    } catch (error) {
      expect((error as Error).message)
        .to.contain(file)
        .and.contain("not valid JSON");
    }
  });
});
