/**
 * A bounded run queue: at most `maxInFlight` jobs run at once and at most `maxQueued` wait; a job beyond that is
 * refused at once (`QueueFullError`) instead of waiting, so a flood of requests holds a bounded amount of memory
 * (each waiting job holds its input tensors).
 */

/** Thrown by `RunQueue.run` when `maxQueued` jobs already wait. */
export class QueueFullError extends Error {
  readonly inFlight: number;
  readonly queued: number;

  /** @param inFlight jobs running; @param queued jobs waiting. */
  constructor(inFlight: number, queued: number) {
    super(`${inFlight} runs in flight and ${queued} queued: the queue is full`);
    this.name = "QueueFullError";
    this.inFlight = inFlight;
    this.queued = queued;
  }
}

/** Runs async jobs with bounded concurrency and a bounded wait queue (FIFO). */
export class RunQueue {
  readonly maxInFlight: number;
  readonly maxQueued: number;
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  #idle: (() => void)[] = [];

  /**
   * @param maxInFlight jobs that may run at once (at least 1).
   * @param maxQueued jobs that may wait for a slot (0: none wait).
   */
  constructor(maxInFlight: number, maxQueued: number) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error(`maxInFlight ${maxInFlight}: expected >= 1`);
    if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new Error(`maxQueued ${maxQueued}: expected >= 0`);
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /** Jobs running now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Jobs waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  /** Runs `job` when a slot is free; throws `QueueFullError` at once when the wait queue is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#inFlight >= this.maxInFlight) {
      if (this.#waiting.length >= this.maxQueued) throw new QueueFullError(this.#inFlight, this.#waiting.length);
      // The slot is handed over by the job that finishes (#inFlight stays counted), so no newcomer can jump the line.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#inFlight++;
    }
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      if (next !== undefined) next();
      else {
        this.#inFlight--;
        if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
      }
    }
  }

  /** Resolves when no job runs or waits (at once if none does). */
  whenIdle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
