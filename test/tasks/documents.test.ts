/**
 * Honest content hashes (tasks/lib/documents.ts): a local copy given with `--terms-file` is checked against the
 * published document whenever the URI can be read here, so a copy that differs cannot be committed to.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import { TaskInputError } from "../../tasks/lib/cli.js";
import { documentHash } from "../../tasks/lib/documents.js";

const dir = mkdtempSync(path.join(tmpdir(), "ws-documents-"));
const published = path.join(dir, "published.md");
const copy = path.join(dir, "copy.md");
writeFileSync(published, "# Terms v2\n");
writeFileSync(copy, "# Terms v1\n");
const options = (uri: string, file: string) => ({
  uriOption: "terms-uri",
  uri,
  fileOption: "terms-file",
  file,
  hashOption: "terms-hash",
  hash: "",
});

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    if (error instanceof TaskInputError) return error.message;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("tasks: document hashes (tasks/lib/documents.ts)", function () {
  it("refuses a local copy that differs from the document at a file:// URI, naming both hashes", async function () {
    const uri = pathToFileURL(published).href;
    expect(await refusal(documentHash(options(uri, copy)))).to.equal(
      `--terms-file: ${copy} (keccak256 ${keccak256(toUtf8Bytes("# Terms v1\n"))}) differs from the document at ` +
        `${uri} (keccak256 ${keccak256(toUtf8Bytes("# Terms v2\n"))}); give the published document`,
    );
  });

  it("refuses a local copy that differs from a local-path URI", async function () {
    expect(await refusal(documentHash(options(published, copy)))).to.match(/^--terms-file: .* differs from /);
  });

  it("accepts a local copy equal to the published document", async function () {
    writeFileSync(copy, "# Terms v2\n");
    expect(await documentHash(options(pathToFileURL(published).href, copy))).to.deep.equal({
      hash: keccak256(toUtf8Bytes("# Terms v2\n")),
      source: copy,
    });
  });

  it("uses the local copy when the URI cannot be read here", async function () {
    writeFileSync(copy, "# Terms v3\n");
    expect(await documentHash(options("ipfs://terms", copy))).to.deep.equal({
      hash: keccak256(toUtf8Bytes("# Terms v3\n")),
      source: copy,
    });
  });

  it("names the fields of a JSON file when within one", async function () {
    const o = { ...options("ipfs://meta", ""), uriOption: "metadataURI", fileOption: "metadataFile" };
    expect(await refusal(documentHash({ ...o, hashOption: "contentHash", within: "members" }))).to.equal(
      '--members: metadataURI: cannot read ipfs://meta (no ipfs:// gateway here) to hash it; give the document with "metadataFile" PATH, or its keccak256 with "contentHash" 0x…',
    );
  });
});
