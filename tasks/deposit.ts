/** `ws deposit --model-id N --amount ETH`: pays revenue (a grant, a sponsorship) into a model, in ETH. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, ether, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { ETH } from "./lib/money.js";

interface Args extends CommonArgs {
  modelId: string;
  amount: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const amount = ether("amount", args.amount);
  if (amount === 0n) throw new TaskInputError("--amount: expected more than 0");
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const [tokens, allowed] = await ctx.vault.paymentTokensOf(m.modelId);
  if (!tokens.some((t, i) => t === ETH && allowed[i]))
    throw new TaskInputError(
      `--model-id: model #${m.modelId} does not accept ETH revenue (its DAO has not allowed it)`,
    );
  const balance = await ctx.connection.ethers.provider.getBalance(ctx.signer.address);
  if (balance < amount) throw new TaskInputError(`--amount: ${args.amount} ETH is more than the signer holds`);
  await (await ctx.vault.deposit(m.modelId, ETH, amount, { value: amount })).wait();
  output(args.json, { modelId: m.modelId, amount }, () => `deposited ${args.amount} ETH into model #${m.modelId}`);
});
