/**
 * A network whose node does not answer: Hardhat's HHE703 ("Cannot connect to the network", several lines and a
 * pointer to its website) as one line saying where nothing answers and what to do about it.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

/** Hardhat's CONNECTION_REFUSED (HHE703). */
const CONNECTION_REFUSED = 703;

/** Whether `error`, or an error it wraps, is Hardhat's "Cannot connect to the network" (HHE703). */
export function isUnreachable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const hardhat = e as Error & { _isHardhatError?: boolean; number?: number };
    if (hardhat._isHardhatError === true && hardhat.number === CONNECTION_REFUSED) return true;
  }
  return false;
}

/**
 * The line for a network nothing answers on: localhost names its URL and how to start a node; a real network names
 * its RPC URL's variable (never the URL, which may hold an API key).
 */
export async function unreachable(hre: HardhatRuntimeEnvironment, error: unknown): Promise<string> {
  const named = /network "([^"]+)"/.exec(error instanceof Error ? error.message : "")?.[1];
  const name = named ?? hre.globalOptions.network ?? "default";
  const network = hre.config.networks[name];
  if (name === "localhost" && network?.type === "http") {
    return `--network: nothing answers at ${await network.url.get()}; start a node with npm run node (or point WEIGHTSHARE_LOCALHOST_URL at one)`;
  }
  const variable = `${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_RPC_URL`;
  return `--network: nothing answers at the RPC URL of ${name} (${variable}); check it, and your connection`;
}
