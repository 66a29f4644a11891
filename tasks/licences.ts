/**
 * `ws licences [--account ADDRESS]`: every licence an account holds (default: the signer), with its model and offer,
 * access (live, expired or out of credits), credits left, expiry (ISO date and timestamp, or perpetual), whether it
 * may be transferred, its derivative terms (the parent's share of a derivative's revenue and the derivative's price
 * floor; `ws derive` registers one), and whether it is the account's primary licence for its model (the one access is
 * checked against; choose it with `ws primary-licence`).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { table } from "../sdk/index.js";
import { action, address, output } from "./lib/cli.js";
import { context, type CommonArgs } from "./lib/context.js";
import { licencesOf } from "./lib/licences.js";

interface Args extends CommonArgs {
  account: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const given = args.account === "" ? undefined : address("account", args.account);
  const ctx = await context(hre, args);
  const account = given ?? ctx.safe ?? ctx.signer.address;
  const licences = await licencesOf(ctx, account);
  output(args.json, { account, licences }, () =>
    licences.length === 0
      ? `${account} holds no licences`
      : [
          `${account} holds ${licences.length} licence${licences.length === 1 ? "" : "s"}:`,
          table(
            ["licence", "model", "offer", "access", "credits left", "expiry", "transferable", "derivatives", "primary"],
            licences.map((l) => [
              l.licenceId,
              `#${l.modelId} ${l.model}`,
              l.offerId,
              l.access,
              l.creditsText,
              l.expiryText,
              l.transferable ? "yes" : "no",
              l.derivatives === null
                ? "no"
                : `${l.derivatives.parentShare} to parent` +
                  (l.derivatives.minDerivativePrice === null
                    ? ""
                    : `, floor ${l.derivatives.minDerivativePrice.formatted}`),
              l.primary ? "yes" : "no",
            ]),
          ),
        ].join("\n"),
  );
});
