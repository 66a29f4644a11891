/**
 * `ws tally-api --model-id N`: the model's governor, proposals and delegates as Tally's API holds them. The API
 * key is the configuration variable TALLY_API_KEY (environment variable, or `npx hardhat keystore set
 * TALLY_API_KEY`); `--api-url` points at another endpoint.
 */
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { TallyApiError, TallyClient, governorId } from "../governance/tally/index.js";
import { table } from "../sdk/index.js";
import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";

interface Args extends CommonArgs {
  modelId: string;
  apiUrl: string;
}

/** Resolves a configuration variable as Hardhat does: the environment first, then plugins (the keystore). */
async function apiKey(hre: HardhatRuntimeEnvironment): Promise<string> {
  const expected =
    "TALLY_API_KEY: expected a Tally API key in the environment or the keystore (npx hardhat keystore set TALLY_API_KEY)";
  const fromEnv = process.env.TALLY_API_KEY;
  let value: string;
  try {
    value =
      fromEnv ??
      (await hre.hooks.runHandlerChain(
        "configurationVariables",
        "fetchValue",
        [configVariable("TALLY_API_KEY")],
        async () => "",
      ));
  } catch (e) {
    throw new TaskInputError(`${expected}; ${String((e as Error).message).split("\n")[0]}`);
  }
  if (value.trim() === "") throw new TaskInputError(expected);
  return value;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.apiUrl !== "" && !/^https?:\/\//.test(args.apiUrl)) {
    throw new TaskInputError(`--api-url: expected an http(s) URL, got "${args.apiUrl}"`);
  }
  const key = await apiKey(hre);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const client = new TallyClient({ apiKey: key, ...(args.apiUrl === "" ? {} : { url: args.apiUrl }) });
  const id = governorId(ctx.chainId, await m.governor.getAddress());
  try {
    const governor = await client.governor(id);
    if (governor === null) {
      throw new TaskInputError(`--model-id: Tally does not index governor ${id} yet; add it with \`ws tally\``);
    }
    const proposals = await client.proposals(id);
    const delegates = await client.delegates(id);
    output(args.json, { governor, proposals: proposals.nodes, delegates: delegates.nodes }, () =>
      [
        `Tally: ${governor.name} (${governor.id}), quorum ${governor.quorum}, ` +
          `${governor.proposalStats.total} proposals (${governor.proposalStats.active} active)`,
        table(
          ["status", "title", "for", "against", "abstain"],
          proposals.nodes.map((p) => {
            const votes = (type: string) => p.voteStats.find((s) => s.type === type)?.votesCount ?? "0";
            return [p.status, p.metadata.title, votes("for"), votes("against"), votes("abstain")];
          }),
        ),
        table(
          ["delegate", "votes", "delegators"],
          delegates.nodes.map((d) => [d.account.address, d.votesCount, d.delegatorsCount]),
        ),
      ].join("\n"),
    );
  } catch (e) {
    if (e instanceof TallyApiError) throw new TaskInputError(`--api-url: ${e.message}`);
    throw e;
  }
});
