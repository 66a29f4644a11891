/**
 * `npx hardhat ws upgrade --proxy ADDRESS --from CURRENT --to NEW [--execute]`
 *
 * Upgrades a protocol proxy (ModelShares, ModelRegistry, RevenueVault, LicenseManager, UsageMeter) the only way it
 * can be: through the protocol admin timelock. First it validates NEW's storage layout against CURRENT (the contract
 * the proxy runs now) with OpenZeppelin's upgrades-core and refuses, changing nothing, when the layout is unsafe.
 * Then it deploys NEW's implementation and schedules `upgradeToAndCall` on the admin timelock. With `--execute` it
 * executes an upgrade scheduled earlier, once the delay has passed.
 *
 * An implementation whose constructor takes arguments (RevenueVault: the ModelShares proxy, kept as an immutable)
 * gets each from the proxy's immutable of the same name (`shares_` -> `SHARES()`), so the upgrade keeps what the
 * running implementation was built with; `--constructor-args '["0x…"]'` gives them explicitly.
 */
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { Contract, ZeroAddress, ZeroHash, id, type ContractFactory, type Provider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { TimelockController } from "../types/ethers-contracts/index.js";
import { action, address, deployment, output, TaskInputError } from "./lib/cli.js";
import { protocolErrors } from "./lib/errors.js";
import { events } from "./lib/events.js";
import { send, type Sender } from "./lib/send.js";
import { signerIndex, signerNamesOf } from "./lib/signers.js";
import { formatDuration, timeText } from "./lib/units.js";

interface Args {
  proxy: string;
  from: string;
  to: string;
  execute: boolean;
  constructorArgs: string;
  deployment: string;
  signer: string;
  json: boolean;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const proxy = address("proxy", args.proxy);
  for (const [name, value] of [
    ["from", args.from],
    ["to", args.to],
  ] as const) {
    if (!(await hre.artifacts.artifactExists(value))) {
      throw new TaskInputError(`--${name}: expected the name of a compiled contract, got "${value}"`);
    }
  }
  const connection = await hre.network.getOrCreate();
  const { ethers } = connection;
  const { adminTimelock } = await deployment(connection, args.deployment, ["adminTimelock"]);
  const timelock = await ethers.getContractAt("TimelockController", adminTimelock);
  const up = await upgrades(hre, connection);
  const salt = id(`weightshare upgrade ${proxy} to ${args.to}`);
  // The same --signer forms as every other task (tasks/lib/context.ts): an index, an address or a signer name.
  const signers = await ethers.getSigners();
  if (signers.length === 0) throw new TaskInputError("--signer: expected an account configured for this network");
  const index = signerIndex(
    args.signer ?? "",
    signers.map((s) => s.address),
    signerNamesOf(connection.networkName),
  );
  if (typeof index === "string") throw new TaskInputError(`--signer: ${index}`);
  const signer = signers[index];
  const sender: Sender = {
    connection,
    chainId: (await ethers.provider.getNetwork()).chainId,
    signer,
    errors: await protocolErrors(hre),
    batch: [],
  };

  if (args.execute) {
    const executor = await timelock.EXECUTOR_ROLE();
    if (!(await timelock.hasRole(executor, ZeroAddress)) && !(await timelock.hasRole(executor, signer.address))) {
      throw new TaskInputError(
        `--signer: ${signer.address} lacks EXECUTOR_ROLE on the admin timelock ${adminTimelock}; pass an executor's account`,
      );
    }
    const implementation = await up.erc1967.getImplementationAddress(proxy).catch(() => "");
    const pending = await findScheduled(sender, timelock, proxy, salt);
    if (pending === undefined) throw new TaskInputError(`--proxy: no upgrade of ${proxy} to ${args.to} is scheduled`);
    if (!(await timelock.isOperationReady(pending.id))) {
      throw new TaskInputError(
        `--execute: the upgrade is scheduled but not ready until ${timeText(await timelock.getTimestamp(pending.id))}`,
      );
    }
    await send(sender, timelock, "execute", [proxy, 0n, pending.data, ZeroHash, salt], { argument: "execute" });
    const now = await up.erc1967.getImplementationAddress(proxy);
    output(
      args.json,
      { proxy, previous: implementation, implementation: now },
      () => `upgraded ${proxy}: ${implementation} -> ${now}`,
    );
    return;
  }

  // Checked before anything is deployed: a signer that cannot schedule would otherwise pay for an implementation first.
  if (!(await timelock.hasRole(await timelock.PROPOSER_ROLE(), signer.address))) {
    throw new TaskInputError(
      `--signer: ${signer.address} lacks PROPOSER_ROLE on the admin timelock ${adminTimelock}, so it cannot schedule the upgrade; pass a proposer's account`,
    );
  }
  const current = await ethers.getContractFactory(args.from, signer);
  const next = await ethers.getContractFactory(args.to, signer);
  const constructorArgs = await implementationArgs(ethers.provider, proxy, next, args.to, args.constructorArgs);
  const currentArgs = await implementationArgs(ethers.provider, proxy, current, args.from, "");
  // The plugin reads `constructorArgs` here too (to identify the implementation), though its option types omit it.
  const currentOpts = { kind: "uups" as const, constructorArgs: currentArgs };
  const nextOpts = { kind: "uups" as const, constructorArgs };
  try {
    // Register the layout the proxy runs now (deployed by Ignition, which records none), then validate against it.
    await up.forceImport(proxy, current, currentOpts);
    await up.validateUpgrade(proxy, next, nextOpts);
  } catch (error) {
    const reason = String((error as Error).message)
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(0, 3)
      .join(" | ");
    throw new TaskInputError(`--to: ${args.to} is not a safe upgrade of ${args.from}: ${reason}`);
  }
  const implementation = (await up.prepareUpgrade(proxy, next, nextOpts)) as string;
  const data = (await ethers.getContractAt("ModelShares", proxy)).interface.encodeFunctionData("upgradeToAndCall", [
    implementation,
    "0x",
  ]);
  const delay = await timelock.getMinDelay();
  await send(sender, timelock, "schedule", [proxy, 0n, data, ZeroHash, salt, delay], { argument: "proxy" });
  const operation = await timelock.hashOperation(proxy, 0n, data, ZeroHash, salt);
  const readyAt = await timelock.getTimestamp(operation);
  output(args.json, { proxy, implementation, operation, readyAt }, () =>
    [
      `storage layout of ${args.to} is compatible with ${args.from}`,
      `deployed implementation ${implementation}`,
      `scheduled on the admin timelock ${adminTimelock} as ${operation}, executable from ${timeText(readyAt)} ` +
        `(after its ${formatDuration(delay)} delay)`,
      `then: npx hardhat ws upgrade --proxy ${proxy} --from ${args.from} --to ${args.to} --execute`,
    ].join("\n"),
  );
});

/**
 * NEW's constructor arguments: `--constructor-args` (a JSON list), or each read from the proxy's immutable getter of
 * the same name in upper snake case (`shares_` -> `SHARES()`).
 */
async function implementationArgs(
  provider: Provider,
  proxy: string,
  next: ContractFactory,
  name: string,
  given: string,
): Promise<unknown[]> {
  const inputs = next.interface.deploy.inputs;
  const signature = `(${inputs.map((i) => `${i.type} ${i.name}`).join(", ")})`;
  if (given !== "") {
    let list: unknown;
    try {
      list = JSON.parse(given);
    } catch {
      list = undefined;
    }
    if (!Array.isArray(list) || list.length !== inputs.length) {
      throw new TaskInputError(
        `--constructor-args: expected a JSON list of ${inputs.length} for ${name}${signature}, got ${given}`,
      );
    }
    return list;
  }
  const args: unknown[] = [];
  for (const input of inputs) {
    const getter = input.name
      .replace(/_+$/, "")
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .toUpperCase();
    try {
      const current = new Contract(proxy, [`function ${getter}() view returns (${input.type})`], provider);
      args.push(await current.getFunction(getter).staticCall());
    } catch {
      throw new TaskInputError(
        `--constructor-args: ${name}${signature} needs them as a JSON list (the proxy has no ${getter}() to keep)`,
      );
    }
  }
  return args;
}

/** The upgrade of `proxy` scheduled with `salt` (its calldata carries the new implementation), if any. */
async function findScheduled(
  sender: Sender,
  timelock: TimelockController,
  proxy: string,
  salt: string,
): Promise<{ id: string; data: string } | undefined> {
  // In chunks, as every scan (tasks/lib/events.ts): an RPC with a log-range limit refuses one from genesis.
  const scheduled = await events(sender, timelock, timelock.filters.CallScheduled());
  for (const event of scheduled.reverse()) {
    const [operation, , target, , data] = event.args;
    if (target.toLowerCase() !== proxy.toLowerCase()) continue;
    if ((await timelock.hashOperation(proxy, 0n, data, ZeroHash, salt)) === operation) return { id: operation, data };
  }
  return undefined;
}
