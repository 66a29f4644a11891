/**
 * `ws test-token --name NAME --symbol SYMBOL --decimals D [--mint ACCOUNT:AMOUNT,ACCOUNT:AMOUNT]`: deploys an
 * ERC-20 with an open mint (contracts/mocks/tokens/TestToken.sol) on a local chain (31337) and mints it, amounts in
 * its own units (`--decimals 6 --mint 0x…:1000` mints 1,000 tokens, 1,000,000,000 of its smallest unit); ACCOUNT is
 * an address or the index of a local account. The README's local walkthrough pays licences and revenue in a "USDC"
 * made this way. Refused on any other chain: anyone could mint it.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output, TaskInputError, uint } from "./lib/cli.js";
import { protocolErrors } from "./lib/errors.js";
import { send, type Sender } from "./lib/send.js";
import { money } from "./lib/tokens.js";
import { parseAmount, type TokenInfo } from "./lib/units.js";

interface Args {
  name: string;
  symbol: string;
  decimals: string;
  mint: string;
  json: boolean;
}

/** Test tokens are for local chains only: on any other chain, anyone could mint them. */
export function requireLocalChain(chainId: bigint): void {
  if (chainId !== 31337n) {
    throw new TaskInputError(
      `--network: a test token is deployed on a local chain only (31337), not on chain ${chainId}`,
    );
  }
}

/** `--mint ACCOUNT:AMOUNT,...` with each ACCOUNT an address or the index of one of `accounts`. */
function mints(value: string, accounts: string[], token: TokenInfo): { account: string; amount: bigint }[] {
  if (value === "") return [];
  return value.split(",").map((part) => {
    const match = /^\s*([^:\s]+)\s*:\s*(\S+)\s*$/.exec(part);
    if (match === null) throw new TaskInputError(`--mint: expected ACCOUNT:AMOUNT, got "${part}"`);
    if (/^\d+$/.test(match[1]) && Number(match[1]) >= accounts.length) {
      throw new TaskInputError(
        `--mint: expected an address or a local account's index (0..${accounts.length - 1}), got ${match[1]}`,
      );
    }
    const account = /^\d+$/.test(match[1]) ? accounts[Number(match[1])] : address("mint", match[1]);
    return { account, amount: parseAmount("mint", match[2], token) };
  });
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.name.trim() === "") throw new TaskInputError('--name: expected the token\'s name, such as "Test USD"');
  if (!/^[A-Za-z0-9.$_-]{1,11}$/.test(args.symbol)) {
    throw new TaskInputError(`--symbol: expected 1 to 11 letters or digits, such as USDC, got "${args.symbol}"`);
  }
  if (args.decimals === "") throw new TaskInputError("--decimals: expected the token's decimals, such as 6 or 18");
  const decimals = Number(uint("decimals", args.decimals, 36n));
  const connection = await hre.network.getOrCreate();
  const { ethers } = connection;
  const chainId = (await ethers.provider.getNetwork()).chainId;
  requireLocalChain(chainId);
  const signers = await ethers.getSigners();
  const planned = mints(
    args.mint,
    signers.map((s) => s.address),
    { address: "", symbol: args.symbol, decimals },
  );
  const token = await ethers.deployContract("TestToken", [args.name, args.symbol, decimals], signers[0]);
  await token.waitForDeployment();
  const info: TokenInfo = { address: await token.getAddress(), symbol: args.symbol, decimals };
  const ctx: Sender = { connection, chainId, signer: signers[0], errors: await protocolErrors(hre), batch: [] };
  for (const { account, amount } of planned) await send(ctx, token, "mint", [account, amount], { argument: "mint" });
  const minted = planned.map((p) => ({ account: p.account, ...money(p.amount, info) }));
  output(args.json, { address: info.address, name: args.name, symbol: args.symbol, decimals, minted }, () =>
    [
      `deployed ${args.symbol} ("${args.name}", ${decimals} decimals) at ${info.address}`,
      ...minted.map((m) => `minted ${m.formatted} to ${m.account}`),
    ].join("\n"),
  );
});
