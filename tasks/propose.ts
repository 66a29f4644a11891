/**
 * `ws propose --model-id N --action ACTION [action options] --description TEXT`: proposes a governed action, built
 * with the same `governance/` builders tests and the demo use. Actions:
 * - issue-fractions --to ADDRESS --amount N
 * - spend-eth --to ADDRESS --amount ETH
 * - set-price --offer-id N --price ETH (new terms for the offer, same otherwise)
 * - set-split --contributors-bps N --holders-bps N
 * - set-guardian --to ADDRESS (the zero address removes it)
 * - set-operator --to ADDRESS (the model's gateway, which settles usage receipts on the UsageMeter)
 * - allow-eth (accept ETH revenue)
 * - add-offer --price ETH --credits N --days N --terms-uri URI (an ETH licence offer, on sale)
 * - set-contributors --contributors ADDRESS:SHARES,ADDRESS:SHARES
 * - update-metadata --uri URI --content-hash 0x...32 bytes
 * - set-royalty --to RECEIVER --amount BPS (the zero address removes it)
 * - spend-erc20 --token ADDRESS --to ADDRESS --amount UNITS (the token's smallest unit)
 * - spend-fractions --to ADDRESS --amount N (treasury fractions)
 * - change-setting --setting NAME --amount VALUE (votingDelay, votingPeriod, proposalThreshold, quorumNumerator,
 *   lateQuorumExtension, timelockDelay)
 * - withdraw-offer --offer-id N
 * - set-unlock-window --days N (how long the holders' cut of each payment takes to unlock; decimals allowed, e.g.
 *   0.5; from 1 hour to 365 days)
 * - recover-token --token ADDRESS (sends a token the model does not accept, stuck in its royalty receiver, to the
 *   treasury)
 */
import { ZeroAddress, id, parseUnits } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  addOffer,
  changeSettings,
  issueFractions,
  setOfferOnSale,
  setRoyalty,
  spendErc20,
  spendFractions,
  updateMetadata,
  setContributors,
  setPaymentToken,
  setGuardian,
  setOperator,
  setRevenueSplit,
  setUnlockWindow,
  recoverToken,
  spendEth,
  updateOffer,
  withProposer,
  type Proposal,
} from "../governance/index.js";
import { descriptionHash } from "../governance/index.js";
import { action, address, ether, oneOf, output, TaskInputError, uint } from "./lib/cli.js";
import { context, model, offerId as checkedOfferId, type CommonArgs, type Context } from "./lib/context.js";

const ACTIONS = [
  "issue-fractions",
  "spend-eth",
  "set-price",
  "set-split",
  "set-guardian",
  "set-operator",
  "allow-eth",
  "add-offer",
  "set-contributors",
  "update-metadata",
  "set-royalty",
  "spend-erc20",
  "spend-fractions",
  "change-setting",
  "withdraw-offer",
  "set-unlock-window",
  "recover-token",
] as const;
const SETTINGS = [
  "votingDelay",
  "votingPeriod",
  "proposalThreshold",
  "quorumNumerator",
  "lateQuorumExtension",
  "timelockDelay",
] as const;

interface Args extends CommonArgs {
  modelId: string;
  action: string;
  to: string;
  amount: string;
  offerId: string;
  price: string;
  contributorsBps: string;
  holdersBps: string;
  credits: string;
  days: string;
  termsUri: string;
  contributors: string;
  uri: string;
  contentHash: string;
  token: string;
  setting: string;
  description: string;
}

/** `--days` as whole seconds (decimals allowed: 0.5 is 12 hours), within the vault's bounds. */
async function unlockWindow(ctx: Context, value: string): Promise<bigint> {
  if (!/^\d+(\.\d{1,5})?$/.test(value)) {
    throw new TaskInputError(`--days: expected a number of days such as 7 or 0.5, got "${value}"`);
  }
  const seconds = (parseUnits(value, 5) * 86_400n) / 100_000n;
  const [min, max] = [await ctx.vault.MIN_UNLOCK_WINDOW(), await ctx.vault.MAX_UNLOCK_WINDOW()];
  if (seconds < min || seconds > max) {
    throw new TaskInputError(
      `--days: expected an unlock window from ${duration(min)} to ${duration(max)}, got ${value} days (${seconds} s)`,
    );
  }
  return seconds;
}

function duration(seconds: bigint): string {
  if (seconds % 86_400n === 0n) return `${seconds / 86_400n} days`;
  if (seconds % 3_600n === 0n) return `${seconds / 3_600n} hour${seconds === 3_600n ? "" : "s"}`;
  return `${seconds} s`;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const act = oneOf("action", args.action, ACTIONS);
  if (args.description.trim() === "") throw new TaskInputError("--description: expected a non-empty description");
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const description = args.description;
  let proposal: Proposal;
  switch (act) {
    case "issue-fractions":
      proposal = await issueFractions({
        shares: ctx.shares,
        modelId: m.modelId,
        to: address("to", args.to),
        amount: uint("amount", args.amount),
        description,
      });
      break;
    case "spend-eth":
      proposal = spendEth({ to: address("to", args.to), amount: ether("amount", args.amount), description });
      break;
    case "set-price": {
      const offerId = await checkedOfferId(ctx, m.modelId, args.offerId);
      const [termsId, cap, , onSale] = await ctx.licenses.offer(m.modelId, offerId);
      const t = await ctx.licenses.terms(termsId);
      const terms = {
        price: ether("price", args.price),
        paymentToken: t.paymentToken,
        duration: t.duration,
        credits: t.credits,
        cap,
        transferable: t.transferable,
        commercialUse: t.commercialUse,
        derivativesAllowed: t.derivativesAllowed,
        onSale,
        termsURI: t.termsURI,
        termsHash: t.termsHash,
      };
      proposal = await updateOffer({ licenses: ctx.licenses, modelId: m.modelId, offerId, terms, description });
      break;
    }
    case "set-split": {
      const c = uint("contributors-bps", args.contributorsBps, 10_000n);
      const h = uint("holders-bps", args.holdersBps, 10_000n - c);
      proposal = await setRevenueSplit({
        vault: ctx.vault,
        modelId: m.modelId,
        contributorsBps: c,
        holdersBps: h,
        description,
      });
      break;
    }
    case "set-guardian":
      proposal = await setGuardian({ governor: m.governor, guardian: address("to", args.to), description });
      break;
    case "allow-eth":
      proposal = await setPaymentToken({
        vault: ctx.vault,
        modelId: m.modelId,
        token: ZeroAddress,
        allowed: true,
        description,
      });
      break;
    case "add-offer": {
      if (args.termsUri === "") throw new TaskInputError("--terms-uri: expected the URI of the licence terms document");
      const terms = {
        price: ether("price", args.price),
        paymentToken: ZeroAddress,
        duration: uint("days", args.days === "" ? "0" : args.days, 36_500n) * 86_400n,
        credits: uint("credits", args.credits === "" ? "0" : args.credits, 2n ** 64n - 1n),
        cap: 0n,
        transferable: false,
        commercialUse: true,
        derivativesAllowed: false,
        onSale: true,
        termsURI: args.termsUri,
        termsHash: id(args.termsUri),
      };
      proposal = await addOffer({ licenses: ctx.licenses, modelId: m.modelId, terms, description });
      break;
    }
    case "set-contributors": {
      const contributors = args.contributors
        .split(",")
        .filter((c) => c !== "")
        .map((entry, i) => {
          const [account, weight] = entry.split(":");
          return {
            account: address(`contributors[${i}]`, account ?? ""),
            shares: uint(`contributors[${i}] shares`, weight ?? ""),
          };
        });
      if (contributors.length === 0)
        throw new TaskInputError("--contributors: expected ADDRESS:SHARES[,ADDRESS:SHARES...]");
      proposal = await setContributors({ vault: ctx.vault, modelId: m.modelId, contributors, description });
      break;
    }
    case "update-metadata": {
      if (args.uri === "") throw new TaskInputError("--uri: expected the new metadata URI");
      if (!/^0x[0-9a-fA-F]{64}$/.test(args.contentHash)) {
        throw new TaskInputError(`--content-hash: expected 32 bytes as 0x-prefixed hex, got "${args.contentHash}"`);
      }
      proposal = await updateMetadata({
        shares: ctx.shares,
        registry: ctx.registry,
        modelId: m.modelId,
        uri: args.uri,
        contentHash: args.contentHash,
        description,
      });
      break;
    }
    case "set-royalty":
      proposal = await setRoyalty({
        shares: ctx.shares,
        modelId: m.modelId,
        receiver: address("to", args.to),
        feeBps: uint("amount", args.amount, 10_000n),
        description,
      });
      break;
    case "spend-erc20": {
      const token = await ctx.connection.ethers.getContractAt("TestToken", address("token", args.token));
      proposal = await spendErc20({
        token,
        to: address("to", args.to),
        amount: uint("amount", args.amount),
        description,
      });
      break;
    }
    case "spend-fractions":
      proposal = await spendFractions({
        shares: ctx.shares,
        timelock: m.timelock,
        modelId: m.modelId,
        to: address("to", args.to),
        amount: uint("amount", args.amount),
        description,
      });
      break;
    case "change-setting": {
      const setting = oneOf("setting", args.setting, SETTINGS);
      proposal = await changeSettings({
        governor: m.governor,
        timelock: m.timelock,
        change: { [setting]: uint("amount", args.amount) },
        description,
      });
      break;
    }
    case "withdraw-offer": {
      const offerId = await checkedOfferId(ctx, m.modelId, args.offerId);
      proposal = await setOfferOnSale({
        licenses: ctx.licenses,
        modelId: m.modelId,
        offerId,
        onSale: false,
        description,
      });
      break;
    }
    case "set-operator":
      proposal = await setOperator({
        meter: ctx.meter,
        modelId: m.modelId,
        operator: address("to", args.to),
        description,
      });
      break;
    case "set-unlock-window":
      proposal = await setUnlockWindow({
        vault: ctx.vault,
        modelId: m.modelId,
        seconds: await unlockWindow(ctx, args.days),
        description,
      });
      break;
    case "recover-token": {
      const token = address("token", args.token);
      const [tokens, allowed] = await ctx.vault.paymentTokensOf(m.modelId);
      if (tokens.some((t, i) => t === token && allowed[i])) {
        throw new TaskInputError(
          `--token: model #${m.modelId} accepts ${token} as revenue; only a token it does not accept can be recovered`,
        );
      }
      proposal = await recoverToken({ vault: ctx.vault, modelId: m.modelId, token, description });
      break;
    }
  }
  proposal = withProposer(proposal, ctx.signer.address); // nobody can front-run it with a copy
  const votes = await m.votes.getVotes(ctx.signer.address);
  const threshold = await m.governor.proposalThreshold();
  if (votes < threshold) {
    throw new TaskInputError(`--signer: ${ctx.signer.address} has ${votes} votes; proposing needs ${threshold}`);
  }
  await (await m.governor.propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description)).wait();
  const proposalId = await m.governor.getProposalId(
    proposal.targets,
    proposal.values,
    proposal.calldatas,
    descriptionHash(proposal),
  );
  const data = {
    modelId: m.modelId,
    proposalId,
    action: act,
    snapshot: await m.governor.proposalSnapshot(proposalId),
    deadline: await m.governor.proposalDeadline(proposalId),
  };
  output(
    args.json,
    data,
    () =>
      `proposed ${act} on model #${m.modelId}: proposal ${proposalId}\nvoting opens at ${data.snapshot}, closes at ${data.deadline}`,
  );
});
