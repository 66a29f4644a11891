/**
 * A 256 MiB file encrypts to disk and decrypts back in constant memory (issue #12, gateway/encryption/chunks.ts):
 * no buffer larger than one sealed chunk is ever handed out, and live memory grows far less than the file. Measured
 * in a process of its own (memory-probe.ts). The bound is a quarter of the file: the growth measured is a fixed
 * overhead of about 28 MiB once files pass 100 MiB (28.7 MiB for 128 MiB and for 512 MiB alike, so it does not grow
 * with the file), and keeping the file, or any large part of it, would exceed the bound. Nothing here asserts on
 * time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { FILE_SIZE, type ProbeResult } from "./memory-probe.js";

describe("gateway/encryption/chunks: constant memory", function () {
  this.timeout(300_000);

  it("streams a 256 MiB file through encryption and decryption with bounded buffers and memory", function () {
    const dir = mkdtempSync(path.join(tmpdir(), "ws-gateway-mem-"));
    try {
      const probe = path.join(import.meta.dirname, "memory-probe.ts");
      const r = spawnSync(process.execPath, ["--expose-gc", "--disable-warning=ExperimentalWarning", probe, dir], {
        encoding: "utf8",
      });
      expect(r.status, r.stderr).to.equal(0);
      const result = JSON.parse(r.stdout) as ProbeResult;
      console.log(
        `      live-memory growth at peak: ${(result.growth / 1024 / 1024).toFixed(1)} MiB for a ${FILE_SIZE / 1024 / 1024} MiB file`,
      );
      expect(result.chunks).to.equal(FILE_SIZE / (1024 * 1024));
      expect(result.identical, "plaintext back byte for byte").to.equal(true);
      expect(result.largest, "largest buffer held").to.be.at.most(result.limit);
      expect(result.growth, "live-memory growth").to.be.below(FILE_SIZE / 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
