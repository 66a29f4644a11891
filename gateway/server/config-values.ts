/**
 * How the gateway's settings are read: one parser per kind of value, each refusing a bad one with a `ConfigError`
 * whose message is one line naming the setting and what was expected (never echoing a secret).
 */

/** An invalid setting: the message is one line naming it. */
export class ConfigError extends Error {
  /** @param message one line naming the setting and what was expected. */
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** `--trust-proxy`: "true", a hop count, or comma-separated proxy addresses / CIDRs; unset: trust none. */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  if (/^[0-9A-Fa-f:.,/ ]+$/.test(value)) return value;
  throw new ConfigError(
    `--trust-proxy: expected true, a hop count or the proxies' addresses (e.g. 127.0.0.1 or 10.0.0.0/8), got "${value.slice(0, 80)}"`,
  );
}

/** Milliseconds 0..60000 for `--block-poll-ms`. */
export function parseMilliseconds(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 60_000) {
    throw new ConfigError(
      `--block-poll-ms: expected milliseconds 0..60000 (e.g. 200; 0 = every check), got "${value}"`,
    );
  }
  return Number(value);
}

/** A TCP port 0..65535 (0: any free port). */
export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    throw new ConfigError(`--port: expected 0..65535 (0 = any free port), got "${value}"`);
  }
  return Number(value);
}

/** A duration as seconds: "3600", "90s", "30m", "1h", "1d"; at least `min` (60) s, at most 30 days. */
export function parseDuration(value: string, setting: string, min = 60): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match?.[2] ?? ""] ?? 1;
  const seconds = match === null ? NaN : Number(match[1]) * unit;
  if (!Number.isSafeInteger(seconds) || seconds < min || seconds > 30 * 86400) {
    throw new ConfigError(`${setting}: expected a duration from ${min}s to 30d such as 15m or 1h, got "${value}"`);
  }
  return seconds;
}

export function parseCount(value: string, setting: string, what = "requests per minute"): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1_000_000) {
    throw new ConfigError(`${setting}: expected ${what} from 1 to 1000000, got "${value}"`);
  }
  return Number(value);
}

/** A size in bytes: "67108864", "512KiB", "64MiB", "1GiB"; from 1 KiB to 16 GiB. */
export function parseSize(value: string, setting: string): number {
  const match = /^(\d+)\s*(B|KiB|MiB|GiB)?$/.exec(value);
  const scale = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[match?.[2] ?? "B"] ?? 1;
  const bytes = match === null ? NaN : Number(match[1]) * scale;
  if (!Number.isSafeInteger(bytes) || bytes < 1024 || bytes > 16 * 1024 ** 3) {
    throw new ConfigError(`${setting}: expected a size from 1KiB to 16GiB such as 64MiB, got "${value}"`);
  }
  return bytes;
}

export function checkUrl(value: string, setting: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${setting}: "${value}" is not a URL (e.g. http://127.0.0.1:8545)`);
  }
  if (!["http:", "https:"].includes(url.protocol)) {
    throw new ConfigError(`${setting}: expected an http(s) URL, got "${url.protocol}"`);
  }
}

/**
 * `WEIGHTSHARE_GATEWAY_CORS_ORIGINS`: comma-separated exact web origins (`scheme://host[:port]`, as a browser sends
 * in `Origin`) allowed to call the gateway from their pages; unset: none. `*`, `null`, paths and other schemes are
 * refused: a bearer token must only ever be sent by pages the operator named.
 */
export function parseCorsOrigins(value: string | undefined, setting = "WEIGHTSHARE_GATEWAY_CORS_ORIGINS"): string[] {
  if (value === undefined || value.trim() === "") return [];
  const origins: string[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (entry === "*" || entry === "null") {
      throw new ConfigError(
        `${setting}: "${entry}" is not allowed; list exact origins such as https://app.example.org`,
      );
    }
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if (url.protocol === "http:" || url.protocol === "https:") origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (origin !== entry) {
      throw new ConfigError(
        `${setting}: "${entry.slice(0, 80)}" is not an origin: expected scheme://host[:port] in lower case, no path ` +
          `or trailing slash (e.g. https://app.example.org or http://127.0.0.1:5173)`,
      );
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  return origins;
}
