/**
 * The `ws` tasks' command line, checked before Hardhat parses it: a missing or misplaced option value, an unknown
 * or repeated option becomes one line naming it (`error: --model-id: expected a value after it (e.g. --model-id 1)`)
 * instead of Hardhat's HHE505 / HHE506 / HHE... errors. Hardhat's global options pass through; `--help` anywhere
 * turns the check off; anything that is not `ws <known task>` is left to Hardhat.
 *
 * Pure: hardhat.config.ts calls `checkWsArgv(process.argv.slice(2), wsArgvTable(tasks))` at load and exits 1 with
 * the line it returns.
 */
import { ArgumentType } from "hardhat/types/arguments";
import type { TaskDefinition } from "hardhat/types/tasks";

/** A task's command-line names, camelCase as Hardhat stores them: options take a value, flags do not. */
export interface TaskArgv {
  options: string[];
  flags: string[];
}
export type WsArgvTable = Record<string, TaskArgv>;

/**
 * Hardhat 3's global options (built in and from the plugins this project loads: solidity, network-manager,
 * coverage, gas-analytics, typechain); test/tasks/argv.test.ts checks this list against `hre.globalOptions`.
 * `verbosity` is a level: `--verbosity N` or `-v`, `-vv`, ...
 */
export const GLOBAL_OPTIONS = ["config", "network", "buildProfile", "gasStatsJson", "verbosity"];
export const GLOBAL_FLAGS = ["help", "init", "showStackTraces", "version", "coverage", "gasStats", "noTypechain"];

/** What the example in "expected a value after it (e.g. ...)" shows; anything else shows VALUE. */
const EXAMPLES: Record<string, string> = {
  modelId: "1",
  proposalId: "<id>",
  offerId: "1",
  licenceId: "1",
  signer: "1",
  deployment: "deployment.json",
  members: "examples/members.json",
  receipts: "receipts.json",
  to: "0x…",
  account: "0x…",
  recipient: "0x…",
  token: "0x…",
  proxy: "0x…",
  safe: "0x…",
  amount: "1",
  batch: "1:100,2:50",
  maxPrice: "0.1",
  price: "0.1",
  seconds: "3600",
  days: "30",
  support: "for",
  raiseId: "1",
  saleId: "1",
  fractions: "10",
  seats: "1",
  backer: "0x…",
  goal: "100",
  cap: "1000",
  opens: "+1d",
  closes: "+14d",
  tranches: "30,30,40",
  allowlist: "allowlist.txt",
  terms: "terms.md",
  endPrice: "0.01",
  seatPrice: "0.1",
  accessDeadline: "+60d",
  action: "allow-eth",
  description: '"what it does"',
  reason: '"why"',
  port: "8600",
  network: "localhost",
  config: "hardhat.config.ts",
  buildProfile: "production",
  gasStatsJson: "gas.json",
  verbosity: "3",
};

/**
 * The `ws` subtasks among `tasks` (Hardhat task definitions), with their options and flags. A task taking positional
 * arguments is left out (left to Hardhat): the check knows only options.
 */
export function wsArgvTable(tasks: readonly TaskDefinition[]): WsArgvTable {
  const table: WsArgvTable = {};
  const positional = new Set(
    tasks.filter((t) => "positionalArguments" in t && t.positionalArguments.length > 0).map((t) => t.id.join(" ")),
  );
  for (const t of tasks) {
    if (t.id.length !== 2 || t.id[0] !== "ws" || !("options" in t) || positional.has(t.id.join(" "))) continue;
    // A task override's options join the task's own.
    const entry = (table[t.id[1]] ??= { options: [], flags: [] });
    for (const [name, o] of Object.entries(t.options))
      (o.type === ArgumentType.FLAG ? entry.flags : entry.options).push(name);
  }
  return table;
}

const kebab = (camel: string) => `--${camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const camel = (option: string) => option.slice(2).replace(/-./g, (m) => m.charAt(1).toUpperCase());

interface Token {
  text: string;
  /** The value half of `--option=value`: a value even if it starts with dashes. */
  explicit: boolean;
}

/** Hardhat's own split of `--option=value` into two arguments. */
function tokens(argv: readonly string[]): Token[] {
  return argv.flatMap((arg) => {
    if (arg.startsWith("--") && arg.includes("=")) {
      const i = arg.indexOf("=");
      return [
        { text: arg.slice(0, i), explicit: false },
        { text: arg.slice(i + 1), explicit: true },
      ];
    }
    return [{ text: arg, explicit: false }];
  });
}

/** `--name` or `-x`; `-1` is a value, and `--` alone ends the options. */
const isOption = (t: Token | undefined) => t !== undefined && !t.explicit && /^(--[^-]|-[A-Za-z])/.test(t.text);
const isEnd = (t: Token) => t.text === "--" && !t.explicit;
const isTask = (table: WsArgvTable, t: Token | undefined) =>
  t !== undefined && !t.explicit && Object.hasOwn(table, t.text);

const isLevel = (t: Token) => /^-v+$/.test(t.text);
const isGlobalFlag = (t: Token) => t.text === "-h" || isLevel(t) || GLOBAL_FLAGS.includes(camel(t.text));

/**
 * `null` if `argv` (process.argv.slice(2)) is not `ws <task in table>` or is well formed, else one line
 * `error: ...` naming the first problem.
 */
export function checkWsArgv(argv: readonly string[], table: WsArgvTable): string | null {
  const args = tokens(argv);
  if (args.some((t) => !t.explicit && (t.text === "--help" || t.text === "-h"))) return null;
  const command = findCommand(args, table);
  if (command === null) return null;
  const { at, name } = command;
  const task = table[name];
  const help = `npx hardhat ws ${name} --help`;
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    if (i === at || i === at + 1) continue;
    const t = args[i];
    // After `--` Hardhat takes everything as a positional argument, and no ws task has one.
    if (isEnd(t)) {
      const rest = args[i + 1];
      return rest === undefined
        ? null
        : `error: "${rest.text}": unexpected value after --; no ws task takes one (${help})`;
    }
    if (!isOption(t)) {
      return `error: "${t.text}": unexpected value; every value follows its --option (${help})`;
    }
    if (isGlobalFlag(t)) continue;
    const key = camel(t.text);
    const takesValue = GLOBAL_OPTIONS.includes(key) || task.options.includes(key);
    if (!takesValue && !task.flags.includes(key)) {
      const guess = closest(key, [...task.options, ...task.flags, ...GLOBAL_OPTIONS, ...GLOBAL_FLAGS]);
      return `error: ${t.text}: unknown option of ws ${name} (${guess === null ? help : `did you mean ${kebab(guess)}?`})`;
    }
    if (i < at && !GLOBAL_OPTIONS.includes(key) && !GLOBAL_FLAGS.includes(key)) {
      return `error: ${t.text}: an option of ws ${name}; put it after the task name (npx hardhat ws ${name} ${t.text} …)`;
    }
    if (seen.has(key)) return `error: ${t.text}: given twice; give it once`;
    seen.add(key);
    if (!takesValue) continue;
    const value = args[i + 1];
    if (value === undefined || i + 1 === at || isOption(value)) {
      return `error: ${t.text}: expected a value after it (e.g. ${t.text} ${EXAMPLES[key] ?? "VALUE"})`;
    }
    i++;
  }
  return null;
}

/**
 * Where `ws <task>` starts: the first two positional arguments, skipping options (and the values of those that take
 * one) before them. `null` if they are not `ws` and a task of the table.
 */
function findCommand(args: Token[], table: WsArgvTable): { at: number; name: string } | null {
  for (let i = 0; i < args.length; i++) {
    const t = args[i];
    if (isEnd(t)) return null;
    if (isOption(t)) {
      if (isGlobalFlag(t)) continue;
      const key = camel(t.text);
      // An option before the task: a global one's value is skipped; a task's own is found once the task is known.
      const next = args[i + 1];
      if (GLOBAL_OPTIONS.includes(key) && next !== undefined && !isOption(next)) i++;
      else if (next !== undefined && !isOption(next) && !(next.text === "ws" && isTask(table, args[i + 2]))) i++;
      continue;
    }
    if (t.text !== "ws") return null;
    return isTask(table, args[i + 1]) ? { at: i, name: args[i + 1].text } : null;
  }
  return null;
}

/** The known option nearest to `key` (edit distance at most 2 or a third of its length, or the same start), if any. */
function closest(key: string, known: string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const [k, c] = [key.toLowerCase(), candidate.toLowerCase()];
    // A long shared start counts as close too: --verbose is --verbosity.
    const d = commonPrefix(k, c) >= Math.max(5, k.length - 2) ? 1 : distance(k, c);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}
