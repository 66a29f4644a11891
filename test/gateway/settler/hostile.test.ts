/**
 * The settler against a hostile chain endpoint: a stand-in EIP-1193 provider around the simulated chain that fails
 * chosen JSON-RPC methods a number of times (as a flaky node or load balancer does), or forwards a call and then
 * loses its answer. Chain calls are retried with backoff; what still fails leaves the batch open for the next pass;
 * whatever happens, every licence is charged exactly what was served, once.
 */
import { expect } from "chai";
import type { Eip1193Provider } from "ethers";
import hre from "hardhat";
import type { Registry } from "prom-client";

import { CREDITS, operatorNonce, settledEvents, settlerChain, settlerWorld, type SettlerWorld } from "./fixture.js";

const connection = await hre.network.create();
const { networkHelpers } = connection;
const chain = () => settlerChain(connection);

/** A stand-in chain endpoint that fails the next calls of chosen methods (see the module comment). */
class FlakyEndpoint implements Eip1193Provider {
  private readonly inner: Eip1193Provider;
  private readonly failing = new Map<string, number>();
  private readonly losing = new Map<string, number>();
  /** Calls that failed, by method. */
  readonly failed = new Map<string, number>();

  constructor(inner: Eip1193Provider) {
    this.inner = inner;
  }

  /** The next `times` calls of `method` fail before reaching the chain. */
  failNext(method: string, times: number): this {
    this.failing.set(method, times);
    return this;
  }

  /** The next `times` calls of `method` reach the chain, then their answer is lost. */
  loseAnswerNext(method: string, times: number): this {
    this.losing.set(method, times);
    return this;
  }

  async request(args: { method: string; params?: unknown[] | Record<string, unknown> }): Promise<unknown> {
    const { method } = args;
    if (this.take(this.failing, method)) throw this.outage(method);
    const result = await this.inner.request(args);
    if (this.take(this.losing, method)) throw this.outage(method);
    return result;
  }

  private take(plan: Map<string, number>, method: string): boolean {
    const left = plan.get(method) ?? 0;
    if (left === 0) return false;
    plan.set(method, left - 1);
    this.failed.set(method, (this.failed.get(method) ?? 0) + 1);
    return true;
  }

  private outage(method: string): Error {
    return Object.assign(new Error(`stand-in endpoint: connection reset during ${method}`), { code: -32603 });
  }
}

/** The sum of a counter over its labels. */
async function total(registry: Registry, name: string): Promise<number> {
  return (await registry.getSingleMetric(name)!.get()).values.reduce((sum, v) => sum + v.value, 0);
}

describe("gateway/settler: a hostile chain endpoint (stand-in provider)", function () {
  this.timeout(120_000);
  let world: SettlerWorld;
  let endpoint: FlakyEndpoint;

  beforeEach(async function () {
    const snapshot = await networkHelpers.loadFixture(chain);
    endpoint = new FlakyEndpoint(connection.provider as Eip1193Provider);
    world = await settlerWorld(connection, snapshot, endpoint);
    await world.serve(0, [11n]);
    await world.serve(1, [22n]);
  });
  afterEach(async function () {
    await world?.close();
  });

  /** Licences 0 and 1 charged 11 and 22, once. */
  async function settledOnce() {
    expect(await world.onChain(0)).to.deep.equal({ settled: 11n, credits: CREDITS - 11n });
    expect(await world.onChain(1)).to.deep.equal({ settled: 22n, credits: CREDITS - 22n });
    expect(await world.ledger.openBatches()).to.deep.equal([]);
  }

  it("retries every step that fails a few times, with backoff, and settles once", async function () {
    for (const method of [
      "eth_getBlockByNumber",
      "eth_call",
      "eth_estimateGas",
      "eth_sendRawTransaction",
      "eth_getTransactionReceipt",
    ]) {
      endpoint.failNext(method, 2);
    }
    const nonce = await operatorNonce(world);
    // Sending is one step (gas estimate, then broadcast): four failures, so five tries.
    const settler = world.settler({ retry: { baseMs: 1, maxMs: 8, maxAttempts: 5 } });
    const report = await settler.runOnce();

    expect(
      report.batches.map((b) => b.status),
      world.logs.join("\n"),
    ).to.deep.equal(["confirmed"]);
    expect([...endpoint.failed.values()].reduce((a, b) => a + b, 0)).to.equal(10);
    expect(await total(settler.metrics.registry, "weightshare_settler_retries_total")).to.equal(10);
    expect(world.logs.join("\n")).to.match(/send failed \(try 1\), retrying in \d+ ms: /);
    expect(await operatorNonce(world)).to.equal(nonce + 1, "one transaction");
    await settledOnce();
  });

  it("leaves the batch open when the endpoint stays down past maxAttempts; the next pass settles it once", async function () {
    endpoint.failNext("eth_sendRawTransaction", 5);
    const nonce = await operatorNonce(world);
    const settler = world.settler({ retry: { baseMs: 1, maxMs: 4, maxAttempts: 4 } });
    const first = await settler.runOnce();
    expect(first.batches.map((b) => b.status)).to.deep.equal(["open"]);
    expect(first.batches[0].error).to.include("stand-in endpoint: connection reset during eth_sendRawTransaction");
    const [open] = await world.ledger.openBatches();
    expect(open).to.deep.include({ status: "pending", attempts: 1 });
    expect(open.error).to.include("connection reset");
    expect(await operatorNonce(world)).to.equal(nonce);

    const second = await settler.runOnce();
    expect(second.batches.map((b) => [b.batchId, b.status])).to.deep.equal([[open.id, "confirmed"]]);
    expect(await operatorNonce(world)).to.equal(nonce + 1);
    await settledOnce();
  });

  it("sends again when the answer to a broadcast is lost; the second settle charges nothing", async function () {
    endpoint.loseAnswerNext("eth_sendRawTransaction", 1);
    const nonce = await operatorNonce(world);
    const report = await world.settler().runOnce();
    expect(report.batches.map((b) => b.status)).to.deep.equal(["confirmed"]);
    expect(await operatorNonce(world)).to.equal(nonce + 2, "the lost one was mined too");
    expect((await settledEvents(world, report.batches[0].txHash!)).map((e) => e.charged)).to.deep.equal([0n, 0n]);
    await settledOnce();
  });

  it("ends the pass, creating no batch, when the chain cannot be read at all", async function () {
    endpoint.failNext("eth_getBlockByNumber", 1_000);
    const settler = world.settler({ retry: { baseMs: 1, maxMs: 2, maxAttempts: 3 } });
    const report = await settler.runOnce();
    expect(report.error).to.include("connection reset during eth_getBlockByNumber");
    expect(report.batches).to.deep.equal([]);
    expect(await world.ledger.openBatches()).to.deep.equal([]);

    endpoint.failNext("eth_getBlockByNumber", 0);
    expect((await settler.runOnce()).batches.map((b) => b.status)).to.deep.equal(["confirmed"]);
    await settledOnce();
  });

  it("does not retry an operator without funds in a loop; settles once it is funded", async function () {
    await networkHelpers.setBalance(world.operator.address, 0n);
    const settler = world.settler({ retry: { baseMs: 1, maxMs: 2, maxAttempts: 4 } });
    const report = await settler.runOnce();
    expect(report.batches.map((b) => b.status)).to.deep.equal(["open"]);
    expect(report.batches[0].error).to.match(/insufficient funds|enough funds/i);
    expect(await total(settler.metrics.registry, "weightshare_settler_retries_total")).to.equal(0);

    await networkHelpers.setBalance(world.operator.address, 10n ** 18n);
    expect((await settler.runOnce()).batches.map((b) => b.status)).to.deep.equal(["confirmed"]);
    await settledOnce();
  });
});
