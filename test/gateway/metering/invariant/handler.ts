/**
 * The invariant run's handler: one random action per step against the real gateway, ledger and chain (receipts,
 * calls with and without them, replays, failing calls, settler passes, renewals, transfers, purchases, time), each
 * checking the gateway's answer against the model's prediction (model.ts) and keeping the ghost figures the
 * invariants (invariants.ts) compare with the ledger and the chain. A settler pass also runs whenever 60 s of chain
 * time went by since the last one, as the gateway's own settler would (its default interval). Importing this file
 * does nothing. The chain-side actions are in chain-actions.ts.
 */
import { BrowserProvider } from "ethers";

import { USAGE_RECEIPT_TYPES } from "../../../../client/receipts.js";
import type { LicenceState } from "../../../../gateway/ledger/ledger.js";
import { Settler } from "../../../../gateway/settler/settler.js";
import { advance, buy, renew, setOffer4Transferable, transfer } from "./chain-actions.js";
import {
  type ChainLicence,
  type LicenceGhost,
  live,
  METER_MARGIN,
  Random,
  receiptVerdict,
  reserveVerdict,
  SETTLE_EVERY,
  Surprise,
  type WireReceipt,
  WINDOW,
} from "./model.js";
import { type Account, type InvariantWorld, RATE } from "./world.js";

/** A sent receipt and who signed it (for replays). */
interface Sent {
  wire: WireReceipt;
  signer: string;
}

/** See the module comment. */
export class MeteringHandler {
  readonly ghosts = new Map<bigint, LicenceGhost>();
  /** One line per action, for the failure message. */
  readonly trail: string[] = [];
  /** Actions run and answers seen, by name. */
  readonly counts: Record<string, number> = {};
  /** 200 answers on a licence whose running total no receipt of the caller itself covered. */
  readonly servedUnderEarlierHolder: string[] = [];
  readonly world: InvariantWorld;
  readonly random: Random;
  /** The chain's time of the last settler pass. */
  lastPassAt = 0;
  /** Whether the DAO turned offer 4 transferable. */
  offer4Transferable = false;
  private readonly sent = new Map<string, Sent>();

  /** @param world the run's world; @param random its seeded generator. */
  constructor(world: InvariantWorld, random: Random) {
    this.world = world;
    this.random = random;
  }

  /** Records the licences bought while building the world. */
  async init(): Promise<void> {
    for (const id of this.world.licences) await this.track(id);
    this.lastPassAt = await this.now();
  }

  /** Runs one random action (after the periodic settler pass, when due). */
  async step(): Promise<void> {
    if ((await this.now()) - this.lastPassAt > SETTLE_EVERY) await this.settle("periodic");
    const actions: [number, () => Promise<void>][] = [
      [14, () => this.authorise()],
      [14, () => this.call("exact")],
      [22, () => this.call("plain")],
      [8, () => this.call("replay")],
      [6, () => this.call("failing")],
      [3, () => this.call("bad-input")],
      [6, () => this.settle("action")],
      [5, () => renew(this)],
      [6, () => transfer(this)],
      [10, () => advance(this)],
      [3, () => buy(this)],
      [this.offer4Transferable ? 0 : 1, () => setOffer4Transferable(this)],
    ];
    await actions[this.random.weighted(actions.map(([w]) => w))][1]();
  }

  /** The chain's time (the head block's timestamp). */
  async now(): Promise<number> {
    return (await this.world.ethers.provider.getBlock("latest"))!.timestamp;
  }

  /** Licence `id` on chain. */
  async chainOf(id: bigint): Promise<ChainLicence> {
    const { licenses, meter } = this.world.protocol;
    const [licence, owner, usage] = await Promise.all([licenses.licence(id), licenses.ownerOf(id), meter.usageOf(id)]);
    return {
      owner: owner.toLowerCase(),
      expiry: Number(licence.expiry),
      credits: licence.credits,
      settled: usage.settled,
      transferable: licence.transferable,
    };
  }

  /** The ledger's state of every licence (served 0 for one it never saw). */
  async snapshot(): Promise<Map<bigint, LicenceState | undefined>> {
    const out = new Map<bigint, LicenceState | undefined>();
    for (const id of this.ghosts.keys()) out.set(id, await this.world.ledger.licence(id));
    return out;
  }

  /** Logs an action in the trail and counts it. */
  note(line: string): void {
    this.trail.push(line);
    const name = line.split(/[ :]/)[0];
    this.counts[name] = (this.counts[name] ?? 0) + 1;
  }

  /** Starts tracking licence `id` (credits bought: what it holds now). */
  async track(id: bigint): Promise<void> {
    const { credits } = await this.world.protocol.licenses.licence(id);
    this.ghosts.set(id, { id, bought: credits, accepted: [], answered: [] });
  }

  /** The ghost of licence `id`. */
  ghost(id: bigint): LicenceGhost {
    const ghost = this.ghosts.get(id);
    if (!ghost) throw new Surprise(`licence ${id} is not tracked`);
    return ghost;
  }

  /** The licence the gateway serves `account` under: its primary licence, when it still owns it. */
  private async servedUnder(account: Account): Promise<bigint | undefined> {
    const { licenses } = this.world.protocol;
    const id = await licenses.primaryLicence(this.world.modelId, account.address);
    if (id === 0n || !this.ghosts.has(id)) return undefined;
    return (await this.chainOf(id)).owner === account.address ? id : undefined;
  }

  /** An account to act as: mostly one the gateway serves (a live licence of its own), at times anyone. */
  private async actor(): Promise<Account> {
    if (this.random.chance(0.2)) return this.random.pick(this.world.accounts);
    const now = await this.now();
    const serving: Account[] = [];
    for (const account of this.world.accounts) {
      const id = await this.servedUnder(account);
      if (id !== undefined && live(await this.chainOf(id), now)) serving.push(account);
    }
    return this.random.pick(serving.length > 0 ? serving : this.world.accounts);
  }

  /** A deadline: an hour (honest clients), just past the meter's margin (hostile ones), or anywhere in the window. */
  private deadline(now: number): number {
    const kind = this.random.weighted([2, 1, 1]);
    if (kind === 0) return now + 3600;
    if (kind === 1) return now + METER_MARGIN + this.random.int(1, 90);
    return now + this.random.int(METER_MARGIN + 100, WINDOW - 400);
  }

  private async sign(account: Account, id: bigint, cap: bigint, deadline: number): Promise<WireReceipt> {
    const message = { licenceId: id, cap, deadline };
    const signature = await account.signer.signTypedData(this.world.domain, USAGE_RECEIPT_TYPES, message);
    const wire = { licenceId: id.toString(), cap: cap.toString(), deadline, signature };
    this.sent.set(`${account.address}:${id}`, { wire, signer: account.address });
    return wire;
  }

  /** A receipt for a higher running total than any accepted for the licence (+1 to +12 credits). */
  private async freshReceipt(account: Account, id: bigint, extra: bigint): Promise<WireReceipt> {
    const ghost = this.ghost(id);
    const served = (await this.world.ledger.licence(id))?.served ?? 0n;
    const base = ghost.accepted.reduce((m, r) => (r.cap > m ? r.cap : m), served);
    return this.sign(account, id, base + extra, this.deadline(await this.now()));
  }

  /** Capped mode: POST /usage/receipts for the account's licence (or, at times, for someone else's). */
  private async authorise(): Promise<void> {
    const account = await this.actor();
    const own = await this.servedUnder(account);
    const id = own !== undefined && this.random.chance(0.85) ? own : this.random.pick([...this.ghosts.keys()]);
    const wire = await this.freshReceipt(account, id, BigInt(this.random.int(1, 12)));
    const now = await this.now();
    const chain = await this.chainOf(id);
    const served = (await this.world.ledger.licence(id))?.served ?? 0n;
    let expected: number;
    let accept = false;
    if (chain.owner !== account.address || !live(chain, now)) expected = 403;
    else {
      const receipt = { cap: BigInt(wire.cap), deadline: wire.deadline };
      const verdict = receiptVerdict(this.ghost(id), receipt, served, now, account.address);
      accept = verdict === "accept";
      expected = accept ? 200 : (verdict as number);
    }
    this.note(`authorise: ${account.name} licence ${id} cap ${wire.cap} deadline now+${wire.deadline - now}`);
    const before = await this.snapshot();
    const response = await fetch(`${this.world.url}/usage/receipts`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${account.token}` },
      body: JSON.stringify(wire),
    });
    await this.expectStatus(response, expected);
    if (accept)
      this.ghost(id).accepted.push({ cap: BigInt(wire.cap), deadline: wire.deadline, signer: account.address });
    else await this.expectUnchanged(before, undefined);
  }

  /** An inference call: exact (a fresh receipt for the next total), plain, replayed receipt, failing or bad input. */
  private async call(kind: "exact" | "plain" | "replay" | "failing" | "bad-input"): Promise<void> {
    const account = await this.actor();
    const id = await this.servedUnder(account);
    let sent: Sent | undefined;
    if (kind === "exact" && id !== undefined) {
      sent = { wire: await this.freshReceipt(account, id, RATE), signer: account.address };
    } else if (kind === "replay") {
      const own = [...this.sent.values()].filter((s) => s.signer === account.address);
      sent =
        own.length > 0 && this.random.chance(0.7) ? this.random.pick(own) : this.random.pick([...this.sent.values()]);
    } else if (kind === "failing" && id !== undefined && this.random.chance(0.3)) {
      sent = { wire: await this.freshReceipt(account, id, RATE), signer: account.address };
    }
    const now = await this.now();
    const before = await this.snapshot();
    const expected = await this.predictCall(kind, account, id, sent, now, before);
    this.note(
      `call-${kind}: ${account.name} licence ${id ?? "-"}` +
        (sent
          ? ` receipt(licence ${sent.wire.licenceId}, cap ${sent.wire.cap}, now+${sent.wire.deadline - now})`
          : "") +
        ` expects ${expected.status}`,
    );
    const rows = kind === "failing" ? 2 : 3;
    const inputs =
      kind === "bad-input"
        ? [{ name: "x", shape: [1, 4], datatype: "FP32", data: [1, 2, 3, 4] }]
        : [{ name: "x", shape: [rows, 3], datatype: "FP32", data: Array.from({ length: rows * 3 }, (_, i) => i) }];
    const response = await fetch(`${this.world.url}/v2/models/${this.world.modelId}/infer`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${account.token}`,
        ...(sent ? { "X-Weightshare-Receipt": JSON.stringify(sent.wire) } : {}),
      },
      body: JSON.stringify({ inputs }),
    });
    await this.expectStatus(response, expected.status);
    if (expected.accept && id !== undefined && sent) {
      const r = { cap: BigInt(sent.wire.cap), deadline: sent.wire.deadline, signer: account.address };
      this.ghost(id).accepted.push(r);
    }
    if (expected.status === 200 && id !== undefined) await this.served(response, account, id, before.get(id));
    else await this.expectUnchanged(before, expected.accept ? id : undefined);
  }

  private async predictCall(
    kind: string,
    account: Account,
    id: bigint | undefined,
    sent: Sent | undefined,
    now: number,
    before: Map<bigint, LicenceState | undefined>,
  ): Promise<{ status: number; accept: boolean }> {
    if (kind === "bad-input") return { status: 400, accept: false }; // refused before metering
    if (id === undefined) return { status: 403, accept: false };
    const chain = await this.chainOf(id);
    if (!live(chain, now)) return { status: 403, accept: false };
    const ghost = this.ghost(id);
    const served = before.get(id)?.served ?? 0n;
    let accept = false;
    if (sent) {
      const { wire } = sent;
      if (BigInt(wire.licenceId) !== id) return { status: 400, accept };
      if (sent.signer !== account.address) {
        const inWindow = wire.deadline >= now + METER_MARGIN && wire.deadline <= now + WINDOW;
        return { status: inWindow ? 401 : 400, accept };
      }
      const verdict = receiptVerdict(
        ghost,
        { cap: BigInt(wire.cap), deadline: wire.deadline },
        served,
        now,
        account.address,
      );
      if (verdict !== "accept") return { status: verdict, accept };
      accept = true;
    }
    const withReceipt: LicenceGhost =
      accept && sent
        ? {
            ...ghost,
            accepted: [
              ...ghost.accepted,
              { cap: BigInt(sent.wire.cap), deadline: sent.wire.deadline, signer: account.address },
            ],
          }
        : ghost;
    if (reserveVerdict(withReceipt, served, chain, now, RATE) === 402) return { status: 402, accept };
    return { status: kind === "failing" ? 400 : 200, accept };
  }

  /** Checks a 200: one served record, cost 2, the running total 2 above the last; records it in the ghost. */
  private async served(response: Response, account: Account, id: bigint, before: LicenceState | undefined) {
    const callId = response.headers.get("x-weightshare-call") ?? "";
    const [record] = await this.world.ledger.usage(account.address, { licenceId: id, limit: 1 });
    const total = (before?.served ?? 0n) + RATE;
    if (!record || record.callId !== callId || record.cost !== RATE || record.total !== total) {
      throw new Surprise(
        `200 on licence ${id}: expected call ${callId} served at cost ${RATE} to total ${total}, ` +
          `the ledger's newest record is ${JSON.stringify(record, (_, v) => (typeof v === "bigint" ? String(v) : v))}`,
      );
    }
    if (response.headers.get("x-weightshare-credits-charged") !== "2") throw new Surprise("charged header is not 2");
    if (response.headers.get("x-weightshare-total") !== total.toString()) throw new Surprise("total header is wrong");
    const ghost = this.ghost(id);
    ghost.answered.push(callId);
    if (!ghost.accepted.some((r) => r.signer === account.address && r.cap >= total)) {
      this.servedUnderEarlierHolder.push(`${account.name} on licence ${id} to total ${total}`);
    }
  }

  private async expectStatus(response: Response, expected: number): Promise<void> {
    const text = await response.clone().text();
    this.counts[`status-${response.status}`] = (this.counts[`status-${response.status}`] ?? 0) + 1;
    if (response.status !== expected)
      throw new Surprise(`expected ${expected}, got ${response.status}: ${text.slice(0, 300)}`);
  }

  /**
   * A refused call or receipt changed nothing: served, reserved and settled everywhere; the cap except `capOf`'s, or
   * a licence whose holder changed (syncing the chain gives the new holder only the caps it signed itself).
   */
  private async expectUnchanged(before: Map<bigint, LicenceState | undefined>, capOf: bigint | undefined) {
    const after = await this.snapshot();
    for (const [id, b] of before) {
      const a = after.get(id);
      const figures = (s: LicenceState | undefined) =>
        [
          s?.served ?? 0n,
          s?.reserved ?? 0n,
          s?.settled ?? 0n,
          id === capOf || a?.holder !== b?.holder ? 0n : (s?.cap ?? 0n),
        ].join("/");
      if (figures(a) !== figures(b))
        throw new Surprise(`a refused request changed licence ${id}: ${figures(b)} -> ${figures(a)}`);
    }
  }

  /** A settler pass with the operator's key: every batch confirmed, nothing quarantined. */
  async settle(why: string): Promise<void> {
    this.note(`settle: ${why}`);
    const { ledger, protocol, operator, eip1193 } = this.world;
    // Over a JSON-RPC provider, as in production: a revert reaches the settler with its data.
    const provider = new BrowserProvider(eip1193, undefined, { cacheTimeout: -1 });
    const meter = protocol.meter.connect(operator.connect(provider));
    const settler = new Settler({ ledger, meter, holder: "invariant", log: () => {} });
    const report = await settler.runOnce();
    const open = report.batches.filter((b) => b.status !== "confirmed");
    if (report.error || open.length > 0 || report.quarantined.length > 0) {
      throw new Surprise(
        `settler pass: error ${report.error ?? "none"}, batches ${JSON.stringify(open, (_, v) => (typeof v === "bigint" ? String(v) : v))}, quarantined ${report.quarantined.join(", ")}`,
      );
    }
    this.lastPassAt = await this.now();
  }
}
