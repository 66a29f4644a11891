/**
 * Reading a deployment without Hardhat (issue #12, client/deployment.ts): both record shapes (a plain object and
 * Ignition's deployed_addresses.json), checksummed results, and errors that name the file and the bad key.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { solidityPackedKeccak256 } from "ethers";

import {
  fromIgnition,
  PROVENANCE_SCHEMA,
  readDeployment,
  recordedDeploymentPath,
  REVIEW_SCHEMA,
} from "../../client/index.js";

const A = {
  shares: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  registry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  vault: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  licenses: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  meter: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
  adminTimelock: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
  multicall: "0x0165878A594ca255338adfa4d48449f69242Eb8F",
  raises: "0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6",
  sales: "0x8A791620dd6260079BF849Dc5567aDC3F2FdC318",
};

const IGNITION = {
  "Weightshare#AdminTimelock": A.adminTimelock,
  "Weightshare#ModelShares": A.shares,
  "Weightshare#ModelRegistry": A.registry,
  "Weightshare#RevenueVault": A.vault,
  "Weightshare#LicenseManager": A.licenses,
  "Weightshare#UsageMeter": A.meter,
  "Weightshare#Multicall": A.multicall,
  "Weightshare#Raises": A.raises,
  "Weightshare#FractionSales": A.sales,
  "Weightshare#ModelSharesImplementation": "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853",
};

/** `record` without `keys`. */
function without<T extends object>(record: T, ...keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k))) as Partial<T>;
}

describe("client/deployment", function () {
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), "ws-client-deployment-"));
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `content` (JSON unless a string) to a file in the test's directory and returns its path. */
  function file(name: string, content: unknown): string {
    const p = path.join(dir, name);
    writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
    return p;
  }

  it("maps Ignition's future ids to a deployment, leaving out what the record lacks", function () {
    expect(fromIgnition(IGNITION)).to.deep.equal(A);
    const beforeV2 = without(
      IGNITION,
      "Weightshare#UsageMeter",
      "Weightshare#Multicall",
      "Weightshare#Raises",
      "Weightshare#FractionSales",
    ) as Record<string, string>;
    expect(fromIgnition(beforeV2)).to.deep.equal({
      shares: A.shares,
      registry: A.registry,
      vault: A.vault,
      licenses: A.licenses,
      adminTimelock: A.adminTimelock,
    });
  });

  it("reads both shapes to the same checksummed deployment", function () {
    expect(readDeployment(file("ignition.json", IGNITION))).to.deep.equal(A);
    const lower = Object.fromEntries(Object.entries(A).map(([k, v]) => [k, v.toLowerCase()]));
    expect(readDeployment(file("plain.json", lower))).to.deep.equal(A);
    const minimal = without(A, "adminTimelock", "multicall", "raises", "sales");
    expect(readDeployment(file("minimal.json", minimal))).to.deep.equal(minimal);
  });

  it("reads a record from before raises and sales (neither key) with both left out", function () {
    const before = without(IGNITION, "Weightshare#Raises", "Weightshare#FractionSales") as Record<string, string>;
    const d = readDeployment(file("before-raises.json", before));
    expect(d).to.deep.equal(without(A, "raises", "sales"));
    expect([d.raises, d.sales]).to.deep.equal([undefined, undefined]);
    expect(readDeployment(file("plain-before-raises.json", without(A, "raises", "sales")))).to.deep.equal(
      without(A, "raises", "sales"),
    );
  });

  it("names the file and the key that is not an address", function () {
    const bad = file("bad.json", { ...A, registry: "0x1234" });
    expect(() => readDeployment(bad)).to.throw(`deployment ${bad}: expected "registry" to be an address, got "0x1234"`);
    const noMeter = without(A, "meter");
    const missing = file("no-meter.json", noMeter);
    expect(() => readDeployment(missing)).to.throw(
      `deployment ${missing}: expected "meter" to be an address, got nothing`,
    );
    const checksum = file("checksum.json", { ...A, vault: A.vault.replace("fE4", "Fe4") });
    expect(() => readDeployment(checksum)).to.throw(`deployment ${checksum}: expected "vault" to be an address`);
    const optional = file("multicall.json", { ...A, multicall: 7 });
    expect(() => readDeployment(optional)).to.throw(
      `deployment ${optional}: expected "multicall" to be an address, got 7`,
    );
    const raises = file("raises.json", { ...A, raises: "0xdead" });
    expect(() => readDeployment(raises)).to.throw(
      `deployment ${raises}: expected "raises" to be an address, got "0xdead"`,
    );
    const sales = file("sales.json", { ...IGNITION, "Weightshare#FractionSales": 1 });
    expect(() => readDeployment(sales)).to.throw(
      `deployment ${sales}: expected "sales" (Ignition id Weightshare#FractionSales) to be an address, got 1`,
    );
    const ignition = file("ignition-bad.json", { ...IGNITION, "Weightshare#LicenseManager": "nope" });
    expect(() => readDeployment(ignition)).to.throw(
      `deployment ${ignition}: expected "licenses" (Ignition id Weightshare#LicenseManager) to be an address, got "nope"`,
    );
  });

  it("names the file when it is missing, not JSON, or not an object", function () {
    const absent = path.join(dir, "absent.json");
    expect(() => readDeployment(absent)).to.throw(`deployment ${absent}: no such file`);
    const broken = file("broken.json", "{ not json");
    expect(() => readDeployment(broken)).to.throw(`deployment ${broken}: not valid JSON (`);
    const list = file("list.json", [A.shares]);
    expect(() => readDeployment(list)).to.throw(`deployment ${list}: expected a JSON object of addresses`);
  });

  describe("attestations (issue #15)", function () {
    const EAS = {
      eas: "0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0",
      schemaRegistry: "0x0DCd1Bf9A1b36cE34237eEaFef220932846BCD82",
      reviewResolver: "0x9A676e781A523b5d0C0e43731313A708CB607508",
      provenanceResolver: "0x0B306BF915C4d645ff596e518fAf3F9669b97016",
    };
    // The UID SchemaRegistry gives a schema: keccak256(abi.encodePacked(schema, resolver, revocable)).
    const reviewSchema = solidityPackedKeccak256(
      ["string", "address", "bool"],
      [REVIEW_SCHEMA, EAS.reviewResolver, true],
    );
    const provenanceSchema = solidityPackedKeccak256(
      ["string", "address", "bool"],
      [PROVENANCE_SCHEMA, EAS.provenanceResolver, true],
    );
    const IGNITION_EAS = {
      ...IGNITION,
      "Weightshare#EAS": EAS.eas,
      "Weightshare#SchemaRegistry": EAS.schemaRegistry,
      "Weightshare#LicenseeReviewResolver": EAS.reviewResolver,
      "Weightshare#ProvenanceResolver": EAS.provenanceResolver,
    };

    it("reads EAS, its registry and the resolvers from either shape, with the schema UIDs their resolvers registered", function () {
      expect(fromIgnition(IGNITION_EAS)).to.deep.equal({ ...A, ...EAS });
      const full = { ...A, ...EAS, reviewSchema, provenanceSchema };
      expect(readDeployment(file("ignition-eas.json", IGNITION_EAS))).to.deep.equal(full);
      expect(readDeployment(file("plain-eas.json", { ...A, ...EAS }))).to.deep.equal(full);
      expect(readDeployment(file("plain-uids.json", full))).to.deep.equal(full);
      const upper = { ...full, reviewSchema: `0x${reviewSchema.slice(2).toUpperCase()}` };
      expect(readDeployment(file("plain-upper.json", upper))).to.deep.equal(full, "UIDs come back lower case");
    });

    it("reads a record from before attestations with neither EAS nor resolvers nor UIDs", function () {
      const d = readDeployment(file("before-eas.json", IGNITION));
      expect(d).to.deep.equal(A);
      expect([d.eas, d.reviewResolver, d.reviewSchema, d.provenanceSchema]).to.deep.equal([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    });

    it("refuses a schema UID that is not bytes32, lacks its resolver, or is not what its resolver registered", function () {
      const short = file("short-uid.json", { ...A, ...EAS, reviewSchema: "0x1234" });
      expect(() => readDeployment(short)).to.throw(
        `deployment ${short}: expected "reviewSchema" to be a schema UID (32 bytes, 0x…), got "0x1234"`,
      );
      const orphan = file("orphan-uid.json", { ...A, provenanceSchema });
      expect(() => readDeployment(orphan)).to.throw(
        `deployment ${orphan}: "provenanceSchema" needs its resolver's address, "provenanceResolver"`,
      );
      const swapped = file("swapped-uid.json", { ...A, ...EAS, reviewSchema: provenanceSchema });
      expect(() => readDeployment(swapped)).to.throw(
        `deployment ${swapped}: "reviewSchema" ${provenanceSchema} is not the UID of the schema reviewResolver ${EAS.reviewResolver} registered (${reviewSchema})`,
      );
      const badResolver = file("bad-resolver.json", { ...A, ...EAS, reviewResolver: "0x12" });
      expect(() => readDeployment(badResolver)).to.throw(
        `deployment ${badResolver}: expected "reviewResolver" to be an address, got "0x12"`,
      );
    });
  });

  it("gives the path Ignition records a chain's deployment at", function () {
    expect(recordedDeploymentPath(31337n, "/srv/ws")).to.equal(
      "/srv/ws/deploy/deployments/chain-31337/deployed_addresses.json",
    );
    expect(recordedDeploymentPath(11155111n, "")).to.equal(
      path.join("deploy", "deployments", "chain-11155111", "deployed_addresses.json"),
    );
    expect(recordedDeploymentPath(1n)).to.equal(
      path.join(process.cwd(), "deploy", "deployments", "chain-1", "deployed_addresses.json"),
    );
  });
});
