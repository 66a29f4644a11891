/**
 * `ws proposals --model-id N [--state Active]`: the model's proposals, oldest first, one short block each: short id,
 * state and the proposer's description (its first line), then what it does (decoded, one call a line, addresses and
 * hashes shortened to 0x1234…abcd and wrapped under ~120 characters; `ws proposal` and `--json` keep them whole),
 * then votes and voting deadline (ISO and timestamp).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { PROPOSAL_STATES } from "../governance/tally/abi.js";
import { action, oneOf, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { short } from "../sdk/index.js";
import { oneLine, protocolView } from "./lib/describe.js";
import { proposalEvents, storedProposal } from "./lib/proposals.js";
import { proposalStatus, votesText, type ProposalStatus } from "./lib/status.js";
import { timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  state: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const state = args.state === "" ? undefined : oneOf("state", args.state, PROPOSAL_STATES);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const view = await protocolView(ctx, m);
  const events = await proposalEvents(ctx, m);
  const all = [];
  for (const e of events) all.push(await proposalStatus(ctx, m, view, storedProposal(e)));
  const shown = all.filter((s) => state === undefined || s.state === state);
  output(args.json, shown, () =>
    shown.length === 0
      ? `no ${state === undefined ? "" : `${state} `}proposals on model #${m.modelId}`
      : shown.map(block).join("\n\n"),
  );
});

/** Lines of the listing stay under this many characters (a long call wraps onto indented lines). */
const WIDTH = 118;

/**
 * One proposal: `0x1234…abcd  Executed   "Accept USDC"`, each call decoded on its own indented line(s), then
 * `  for 800, against 0, abstain 0; deadline <ISO> (<timestamp>)`.
 */
function block(s: ProposalStatus): string {
  return [
    `${s.shortId}  ${s.state.padEnd(9)}  ${title(s.description)}`,
    ...s.calls.flatMap((c) => wrap(compact(oneLine([c])), "  ", "      ")),
    `  ${votesText(s)}; deadline ${timeText(s.deadline)}`,
  ].join("\n");
}

/** The description's first line (a Markdown heading's `#` dropped), quoted, cut to fit one line. */
function title(description: string): string {
  const first = description
    .trim()
    .split("\n")[0]
    .replace(/^#+\s*/, "")
    .trim();
  if (first === "") return "(no description)";
  const room = WIDTH - 25;
  return `"${first.length > room ? `${first.slice(0, room - 1)}…` : first}"`;
}

/** Addresses (20 bytes) and hashes (32 bytes) as 0x1234…abcd: this listing's view only. */
function compact(text: string): string {
  return text.replace(/(?<![0-9A-Za-z])0x(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{40})(?![0-9A-Za-z])/g, (hex) => short(hex));
}

/** `text` in lines of at most WIDTH characters, broken at spaces: the first after `first`, the rest after `rest`. */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(" ")) {
    if (line !== first && line !== rest && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest;
    }
    line += line === first || line === rest ? word : ` ${word}`;
  }
  lines.push(line);
  return lines;
}
