/**
 * What `startStack` (scripts/app/stack.ts) takes, checked: a bad option is one line naming it and what was expected.
 */

/** How `startStack` is run. */
export interface StackOptions {
  /** Build the app: "auto" (default) when app/dist is missing or older than its sources, "always", or "never". */
  build?: "auto" | "always" | "never";
  /** Run `hardhat build` first (a no-op when the contracts are built; `npm run app` does, tests need not). */
  compile?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** WalletConnect project id written into config.json (default: WEIGHTSHARE_APP_WALLETCONNECT_PROJECT_ID). */
  walletConnectProjectId?: string;
  /** Bound on each step's start-up, in ms (default 600,000: a loaded 2-core machine). */
  timeoutMs?: number;
}

const OPTION_KEYS = ["build", "compile", "log", "walletConnectProjectId", "timeoutMs"] as const;

/** `options` checked: throws one line naming the first bad option and what was expected. */
export function checkStackOptions(options: unknown): Required<Omit<StackOptions, "walletConnectProjectId">> & {
  walletConnectProjectId?: string;
} {
  if (options === undefined) options = {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new Error(`startStack: options must be an object, got ${JSON.stringify(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new Error(`startStack: unknown option "${key}"; expected one of ${OPTION_KEYS.join(", ")}`);
    }
  }
  const build = o.build ?? "auto";
  if (build !== "auto" && build !== "always" && build !== "never") {
    throw new Error(`startStack: build must be "auto", "always" or "never", got ${JSON.stringify(o.build)}`);
  }
  if (o.compile !== undefined && typeof o.compile !== "boolean") {
    throw new Error(`startStack: compile must be true or false, got ${JSON.stringify(o.compile)}`);
  }
  if (o.log !== undefined && typeof o.log !== "function") {
    throw new Error("startStack: log must be a function taking one line");
  }
  if (o.walletConnectProjectId !== undefined && typeof o.walletConnectProjectId !== "string") {
    throw new Error(
      `startStack: walletConnectProjectId must be a string, got ${JSON.stringify(o.walletConnectProjectId)}`,
    );
  }
  const timeoutMs = o.timeoutMs ?? 600_000;
  if (typeof timeoutMs !== "number" || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error(
      `startStack: timeoutMs must be a positive whole number of milliseconds, got ${JSON.stringify(o.timeoutMs)}`,
    );
  }
  return {
    build,
    compile: (o.compile as boolean | undefined) ?? false,
    log: (o.log as ((line: string) => void) | undefined) ?? (() => undefined),
    timeoutMs,
    walletConnectProjectId:
      (o.walletConnectProjectId as string | undefined) ?? process.env.WEIGHTSHARE_APP_WALLETCONNECT_PROJECT_ID,
  };
}
