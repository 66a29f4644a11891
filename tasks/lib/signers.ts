/**
 * Several signers per real network. Account 0 is `<PREFIX>_PRIVATE_KEY`; `<PREFIX>_SIGNERS=LAB_A,LAB_B` (names, not
 * secrets, read when the configuration loads) adds `<PREFIX>_PRIVATE_KEY_LAB_A` as account 1, `..._LAB_B` as
 * account 2, and so on, each resolved only when used (environment variable or `npx hardhat keystore set`).
 * `--signer` then takes an index, one of the accounts' addresses, or a name. No imports: hardhat.config.ts reads the
 * names when it loads.
 */
/** The configuration-variable prefix of a network: sepolia → SEPOLIA, baseSepolia → BASE_SEPOLIA. */
export function networkPrefix(networkName: string): string {
  return networkName.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/**
 * The names in `<PREFIX>_SIGNERS` (comma-separated; blanks ignored), or the one line saying why they are not names:
 * a letter first, then letters, digits or `_` (so a name never reads as an index), each once.
 */
export function parseSignerNames(prefix: string, value: string | undefined): { names: string[] } | { error: string } {
  const names = (value ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  for (const [i, name] of names.entries()) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      return {
        error: `error: ${prefix}_SIGNERS: "${name}" is not a signer name (a letter, then letters, digits or _)`,
      };
    }
    if (names.indexOf(name) !== i) return { error: `error: ${prefix}_SIGNERS: "${name}" appears twice` };
  }
  return { names };
}

/** The signer names of the network `networkName` (none if `<PREFIX>_SIGNERS` is unset; the config refuses bad ones). */
export function signerNamesOf(networkName: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const prefix = networkPrefix(networkName);
  const parsed = parseSignerNames(prefix, env[`${prefix}_SIGNERS`]);
  return "names" in parsed ? parsed.names : [];
}

/** The configuration variables holding the keys, in account order: `<PREFIX>_PRIVATE_KEY`, then one per name. */
export function signerKeyVariables(prefix: string, names: readonly string[]): string[] {
  return [`${prefix}_PRIVATE_KEY`, ...names.map((name) => `${prefix}_PRIVATE_KEY_${name}`)];
}

/**
 * `--signer`: "" (account 0), an index, one of `accounts`' addresses, or one of `names` (name i is account i + 1).
 * A bad value gives what is wrong, for `--signer: <it>`.
 */
export function signerIndex(
  value: string,
  accounts: readonly string[],
  names: readonly string[] = [],
): number | string {
  const last = Math.max(accounts.length - 1, 0);
  if (value === "") return 0;
  if (/^\d+$/.test(value))
    return BigInt(value) <= BigInt(last) ? Number(value) : `expected at most ${last}, got ${value}`;
  if (/^0x[0-9a-fA-F]{40}$/.test(value)) {
    const i = accounts.findIndex((a) => a.toLowerCase() === value.toLowerCase());
    if (i !== -1) return i;
  }
  const named = names.indexOf(value);
  if (named !== -1 && named + 1 < accounts.length) return named + 1;
  const listed =
    names.length === 0 ? " or one of its addresses" : `, one of its addresses or a signer name (${names.join(", ")})`;
  return `expected an account index 0..${last}${listed}, got "${value}"`;
}
