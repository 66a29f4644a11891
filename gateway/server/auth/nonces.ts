/**
 * SIWE nonces: random, single-use and short-lived. `issue` hands one out; `consume` accepts it once, before it
 * expires, and forgets it either way, so a replayed sign-in fails. Kept in memory: replicas behind one domain need
 * sticky sign-in (or a shared store, later).
 */
import { randomBytes } from "node:crypto";

/** Default lifetime of a nonce: 5 minutes. */
export const NONCE_TTL_MS = 5 * 60 * 1000;
/** Most nonces outstanding at once (oldest dropped first). */
const MAX_OUTSTANDING = 100_000;

/** Outstanding nonces and their expiry. */
export class NonceStore {
  private readonly nonces = new Map<string, number>();
  /** Lifetime of a nonce in ms. */
  readonly ttlMs: number;
  private readonly now: () => number;

  /** @param ttlMs lifetime of a nonce; @param now clock (tests). */
  constructor(ttlMs: number = NONCE_TTL_MS, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  /** A fresh nonce (24 alphanumeric characters, as EIP-4361 requires: at least 8) and its expiry. */
  issue(): { nonce: string; expiresAt: number } {
    this.sweep();
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const bytes = randomBytes(24);
    let nonce = "";
    for (const byte of bytes) nonce += alphabet[byte % alphabet.length];
    const expiresAt = this.now() + this.ttlMs;
    this.nonces.set(nonce, expiresAt);
    if (this.nonces.size > MAX_OUTSTANDING) this.nonces.delete(this.nonces.keys().next().value as string);
    return { nonce, expiresAt };
  }

  /** Whether `nonce` was issued here, is unexpired and unused; it is used up either way. */
  consume(nonce: string): boolean {
    const expiresAt = this.nonces.get(nonce);
    this.nonces.delete(nonce);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  private sweep(): void {
    const now = this.now();
    for (const [nonce, expiresAt] of this.nonces) {
      if (expiresAt > now) break; // insertion order = expiry order
      this.nonces.delete(nonce);
    }
  }
}
