/**
 * `ws deposit --model-id N --amount X [--token ADDRESS]`: pays revenue (a grant, a sponsorship) into a model, split
 * on arrival between its contributors, holders and treasury. ETH by default; `--token` pays an ERC-20 the model
 * accepts, in the token's units (`--amount 12.5` of a 6-decimal token is 12,500,000 of its smallest unit), approving
 * the vault for exactly that amount first when needed.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { approvalText, pay } from "./lib/payment.js";
import { acceptedTokens, accepts, money, named, tokenArg } from "./lib/tokens.js";
import { formatAmount, parseAmount } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  amount: string;
  token: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const token = await tokenArg(ctx, args.token);
  if (!(await accepts(ctx, m.modelId, token.address))) {
    const accepted = await acceptedTokens(ctx, m.modelId);
    throw new TaskInputError(
      `--token: model #${m.modelId} does not accept ${named(token)} as revenue; it accepts ` +
        (accepted.length === 0 ? "nothing yet" : accepted.map((t) => t.symbol).join(", ")) +
        " (a token is allowed by vote: ws propose --action allow-token)",
    );
  }
  const amount = parseAmount("amount", args.amount, token);
  if (amount === 0n) throw new TaskInputError("--amount: expected more than 0");
  const { approved } = await pay(ctx, token, amount, {
    contract: ctx.vault,
    method: "deposit",
    args: [m.modelId, token.address, amount],
    argument: "amount",
    funds: "amount",
  });
  output(
    args.json,
    {
      modelId: m.modelId,
      from: ctx.safe ?? ctx.signer.address,
      ...money(amount, token),
      ...(approved === undefined ? {} : { approved }),
    },
    () =>
      approvalText(approved, "the revenue vault", "amount") +
      `deposited ${formatAmount(amount, token)} into model #${m.modelId}`,
  );
});
