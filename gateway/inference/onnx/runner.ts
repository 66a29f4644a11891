/**
 * The built-in ONNX runner: loads a model's bytes (from an injected `OnnxModelSource`) into an onnxruntime-node
 * `InferenceSession`, tells what the model takes and returns, and runs it. onnxruntime-node is imported on first use
 * only, so a gateway that serves no inference never loads it. One session per (model id, version), at most
 * `maxSessions` of them (least recently used ones are released once idle); each session runs at most `maxInFlight`
 * calls at once with at most `maxQueued` waiting, beyond which calls are refused (`OnnxBusyError`). The source is
 * asked again at most every `refreshMs` per model, which is when a newly released version is picked up.
 */
import type { InferenceSession } from "onnxruntime-node";

import { OnnxLoadError } from "./errors.ts";
import { RunQueue } from "./queue.ts";
import { LoadedModel, loadOnnxRuntime, type OnnxModel } from "./session.ts";

export { OnnxBusyError, OnnxLoadError, OnnxRunError } from "./errors.ts";
export { loadOnnxRuntime, type OnnxModel, type OnnxTensorInfo } from "./session.ts";

/**
 * Which version of a model is served, and its bytes on demand (the real source decrypts the published file: only
 * worth doing when the version changed); undefined for an unknown model.
 */
export type OnnxModelSource = (
  modelId: bigint,
) => Promise<{ version: string; name: string; bytes(): Promise<Uint8Array> } | undefined>;

/** Settings of an `OnnxRunner`; every default is written here. */
export interface OnnxRunnerOptions {
  /** Calls running at once per session (default 2). */
  maxInFlight?: number;
  /** Calls waiting per session beyond those (default 32); more are refused with `OnnxBusyError`. */
  maxQueued?: number;
  /** Sessions kept loaded (default 4). */
  maxSessions?: number;
  /** How long a model's version from its source is trusted before asking again, in ms (default 10,000). */
  refreshMs?: number;
  /** onnxruntime session options (default: errors are reported to the caller, not printed by onnxruntime). */
  sessionOptions?: InferenceSession.SessionOptions;
  /** The clock, in ms (tests pass their own). */
  now?: () => number;
}

interface Entry {
  version: string;
  checkedAt: number;
  /** The loaded model, or the load error (kept until the next refresh so bad bytes are not reloaded per call). */
  model: Promise<LoadedModel>;
}

/** Loads, caches and runs ONNX models; see the module comment. */
export class OnnxRunner {
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly maxSessions: number;
  readonly refreshMs: number;
  readonly #sessionOptions: InferenceSession.SessionOptions;
  readonly #now: () => number;
  /** By model id, least recently used first (a Map keeps insertion order). */
  readonly #entries = new Map<bigint, Entry>();
  readonly #lookups = new Map<bigint, Promise<OnnxModel | undefined>>();

  /** @param options limits and session settings; see `OnnxRunnerOptions`. */
  constructor(options: OnnxRunnerOptions = {}) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.maxQueued = options.maxQueued ?? 32;
    this.maxSessions = options.maxSessions ?? 4;
    this.refreshMs = options.refreshMs ?? 10_000;
    this.#sessionOptions = { logSeverityLevel: 4, ...options.sessionOptions };
    this.#now = options.now ?? Date.now;
    new RunQueue(this.maxInFlight, this.maxQueued); // validates the limits now rather than on first load
  }

  /** Models loaded now (sessions held). */
  get loaded(): number {
    return this.#entries.size;
  }

  /** Whether onnxruntime-node can be loaded on this machine (imports it). */
  async available(): Promise<boolean> {
    try {
      await loadOnnxRuntime();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The current version of model `modelId`, loaded; undefined when `source` knows no such model. Throws
   * `OnnxLoadError` when its bytes are not a loadable ONNX model.
   */
  async model(modelId: bigint, source: OnnxModelSource): Promise<OnnxModel | undefined> {
    const entry = this.#entries.get(modelId);
    if (entry !== undefined && this.#now() - entry.checkedAt < this.refreshMs) {
      this.#touch(modelId, entry);
      return entry.model;
    }
    // Concurrent callers share one look-up (one decryption and one load of the bytes).
    let lookup = this.#lookups.get(modelId);
    if (lookup === undefined) {
      lookup = this.#refresh(modelId, source).finally(() => this.#lookups.delete(modelId));
      this.#lookups.set(modelId, lookup);
    }
    return lookup;
  }

  /** Releases every session (after the calls in flight end). */
  async close(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => this.#retire(e)));
  }

  async #refresh(modelId: bigint, source: OnnxModelSource): Promise<OnnxModel | undefined> {
    const found = await source(modelId);
    const old = this.#entries.get(modelId);
    if (found === undefined) {
      if (old !== undefined) {
        this.#entries.delete(modelId);
        void this.#retire(old);
      }
      return undefined;
    }
    if (old !== undefined && old.version === found.version) {
      old.checkedAt = this.#now();
      this.#touch(modelId, old);
      return old.model;
    }
    const bytes = await found.bytes();
    const entry: Entry = {
      version: found.version,
      checkedAt: this.#now(),
      model: this.#load(modelId, bytes, found.version, found.name),
    };
    entry.model.catch(() => undefined); // awaited by callers; not an unhandled rejection meanwhile
    this.#entries.delete(modelId);
    this.#entries.set(modelId, entry);
    if (old !== undefined) void this.#retire(old);
    for (const [id, lru] of this.#entries) {
      if (this.#entries.size <= this.maxSessions) break;
      this.#entries.delete(id);
      void this.#retire(lru);
    }
    return entry.model;
  }

  async #load(modelId: bigint, bytes: Uint8Array, version: string, name: string): Promise<LoadedModel> {
    const ort = await loadOnnxRuntime();
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, this.#sessionOptions);
    } catch {
      throw new OnnxLoadError(modelId, version);
    }
    return new LoadedModel(ort, session, new RunQueue(this.maxInFlight, this.maxQueued), modelId, version, name);
  }

  #touch(modelId: bigint, entry: Entry): void {
    this.#entries.delete(modelId);
    this.#entries.set(modelId, entry);
  }

  async #retire(entry: Entry): Promise<void> {
    try {
      await (await entry.model).retire();
    } catch {
      // a model that never loaded holds no session
    }
  }
}
