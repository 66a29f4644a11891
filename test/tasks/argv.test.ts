/**
 * The `ws` command line checked before Hardhat parses it (tasks/lib/argv.ts): a missing or misplaced value, an
 * unknown or repeated option is one line naming it, Hardhat's global options pass through, and anything that is not
 * `ws <task>` is left alone. Then the real CLI, as a user runs it: one line, exit 1, no HHE error.
 */
import { expect } from "chai";
import hre from "hardhat";
import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import config from "../../hardhat.config.js";
import { checkWsArgv, GLOBAL_FLAGS, GLOBAL_OPTIONS, wsArgvTable, type WsArgvTable } from "../../tasks/lib/argv.js";
import { cli, run } from "./cli.js";

const table: WsArgvTable = {
  model: { options: ["modelId", "deployment", "signer"], flags: ["json"] },
  vote: { options: ["modelId", "proposalId", "support", "deployment", "signer"], flags: ["json", "force"] },
  advance: { options: ["seconds"], flags: ["json"] },
};
const check = (line: string) => checkWsArgv(line === "" ? [] : line.split(" "), table);
const help = (task: string) => `npx hardhat ws ${task} --help`;

describe("tasks: the ws command line (tasks/lib/argv.ts)", function () {
  describe("a missing value", function () {
    it("at the end: names the option and shows one", function () {
      expect(check("ws model --model-id")).to.equal("error: --model-id: expected a value after it (e.g. --model-id 1)");
    });
    it("followed by another option, which Hardhat would take as its value", function () {
      expect(check("ws vote --model-id --proposal-id 3")).to.equal(
        "error: --model-id: expected a value after it (e.g. --model-id 1)",
      );
      expect(check("ws vote --model-id 1 --signer --json")).to.equal(
        "error: --signer: expected a value after it (e.g. --signer 1)",
      );
    });
    it("of a global option too", function () {
      expect(check("ws model --model-id 1 --network")).to.equal(
        "error: --network: expected a value after it (e.g. --network localhost)",
      );
    });
    it("with no example known: VALUE", function () {
      expect(check("ws vote --model-id 1 --support")).to.equal(
        "error: --support: expected a value after it (e.g. --support for)",
      );
      const t = { x: { options: ["colour"], flags: [] } };
      expect(checkWsArgv(["ws", "x", "--colour"], t)).to.equal(
        "error: --colour: expected a value after it (e.g. --colour VALUE)",
      );
    });
  });

  describe("a value that follows no option", function () {
    it("is unexpected, and the task's help says which options take one", function () {
      expect(check("ws vote --model-id 1 3")).to.equal(
        `error: "3": unexpected value; every value follows its --option (${help("vote")})`,
      );
      expect(check("ws model 1")).to.equal(
        `error: "1": unexpected value; every value follows its --option (${help("model")})`,
      );
    });
    it("after --, which makes everything after it a value", function () {
      expect(check("ws model --model-id 1 -- --json")).to.equal(
        `error: "--json": unexpected value after --; no ws task takes one (${help("model")})`,
      );
      expect(check("ws model --model-id 1 --")).to.equal(null);
    });
    it("after a flag, which takes none (--json true, --json=true)", function () {
      const line = `error: "true": unexpected value; every value follows its --option (${help("model")})`;
      expect(check("ws model --json true")).to.equal(line);
      expect(check("ws model --json=true")).to.equal(line);
    });
  });

  describe("an unknown option", function () {
    it("suggests the nearest one of the task", function () {
      expect(check("ws vote --modle-id 1")).to.equal(
        "error: --modle-id: unknown option of ws vote (did you mean --model-id?)",
      );
      expect(check("ws vote --proposal 1")).to.equal(
        "error: --proposal: unknown option of ws vote (did you mean --proposal-id?)",
      );
      expect(check("ws model --verbose")).to.equal(
        "error: --verbose: unknown option of ws model (did you mean --verbosity?)",
      );
    });
    it("points at the task's help when nothing is near", function () {
      expect(check("ws advance --signer 1")).to.equal(
        `error: --signer: unknown option of ws advance (${help("advance")})`,
      );
      expect(check("ws model -x")).to.equal(`error: -x: unknown option of ws model (${help("model")})`);
    });
  });

  it("refuses an option given twice, in either spelling", function () {
    expect(check("ws model --model-id 1 --model-id 2")).to.equal("error: --model-id: given twice; give it once");
    expect(check("ws model --model-id 1 --modelId 2")).to.equal("error: --modelId: given twice; give it once");
  });

  it("refuses a task's option before the task name (Hardhat takes options there as global)", function () {
    expect(check("--model-id 1 ws model")).to.equal(
      "error: --model-id: an option of ws model; put it after the task name (npx hardhat ws model --model-id …)",
    );
  });

  describe("what it leaves alone", function () {
    it("well-formed commands, in any order, with --option=value", function () {
      for (const line of [
        "ws model --model-id 1",
        "ws model --model-id 1 --json --signer 2 --deployment d.json",
        "ws vote --json --proposal-id 0x12 --model-id=1 --support=for --force",
        "ws vote --model-id 1 --proposal-id 3 --support -1",
        "ws advance",
      ]) {
        expect(check(line), line).to.equal(null);
      }
      // The value half of --option=value is a value even when it starts with dashes.
      expect(checkWsArgv(["ws", "vote", "--support=--for"], table)).to.equal(null);
    });
    it("Hardhat's global options, before or after the task, with or without =", function () {
      for (const line of [
        "--network localhost ws model --model-id 1",
        "ws model --model-id 1 --network localhost",
        "ws model --network=localhost --model-id=1",
        "--config hardhat.config.ts --build-profile production ws model --show-stack-traces",
        "ws model --coverage --gas-stats --gas-stats-json gas.json --no-typechain --init",
        "ws model --verbosity 3",
        "-vvv ws model -v",
        "--show-stack-traces ws advance --seconds 1 --network localhost --json",
        "ws model --version",
      ]) {
        expect(check(line), line).to.equal(null);
      }
    });
    it("anything with --help or -h, however broken", function () {
      expect(check("ws model --model-id --help")).to.equal(null);
      expect(check("ws vote --modle-id -h")).to.equal(null);
      expect(check("--help ws vote 3")).to.equal(null);
    });
    it("anything that is not ws and a task it knows", function () {
      for (const line of [
        "",
        "test mocha test/tasks/argv.test.ts",
        "node --hostname 127.0.0.1 --port 8545",
        "run scripts/demo.ts ws model --model-id",
        "ws",
        "ws modle --model-id",
        "ws snapshot-hub --port",
        "--network localhost model ws",
        "--network ws model --model-id",
        "ignition deploy deploy/modules/Weightshare.ts --network localhost",
      ]) {
        expect(check(line), line).to.equal(null);
      }
    });
  });

  describe("against this project's configuration", function () {
    const real = wsArgvTable(config.tasks ?? []);
    const ws = hre.tasks.rootTasks.get("ws")!;

    it("the table holds every ws task Hardhat knows, with the same options and flags", function () {
      // Tasks with positional arguments are left to Hardhat (none yet).
      const checked = [...ws.subtasks].filter(([, task]) => task.positionalArguments.length === 0);
      expect(Object.keys(real).sort()).to.deep.equal(checked.map(([name]) => name).sort());
      for (const [name, task] of checked) {
        const options = [...task.options.values()];
        expect(real[name].options.sort(), name).to.deep.equal(
          options
            .filter((o) => o.type !== ArgumentType.FLAG)
            .map((o) => o.name)
            .sort(),
        );
        expect(real[name].flags.sort(), name).to.deep.equal(
          options
            .filter((o) => o.type === ArgumentType.FLAG)
            .map((o) => o.name)
            .sort(),
        );
      }
      expect(real.upgrade.options).to.include("proxy");
      expect(real.upgrade.flags).to.include("execute");
    });

    it("leaves a task with positional arguments to Hardhat", function () {
      const definitions = [
        task(["ws", "plain"], "")
          .addOption({ name: "modelId", defaultValue: "" })
          .setInlineAction(async () => {})
          .build(),
        task(["ws", "files"], "")
          .addVariadicArgument({ name: "files" })
          .setInlineAction(async () => {})
          .build(),
      ];
      expect(wsArgvTable(definitions)).to.deep.equal({ plain: { options: ["modelId"], flags: [] } });
      expect(checkWsArgv(["ws", "files", "a.json", "b.json"], wsArgvTable(definitions))).to.equal(null);
    });

    it("knows every global option Hardhat and the loaded plugins define", function () {
      expect([...GLOBAL_OPTIONS, ...GLOBAL_FLAGS].sort()).to.deep.equal(Object.keys(hre.globalOptions).sort());
      for (const name of GLOBAL_FLAGS) expect(typeof hre.globalOptions[name as "help"], name).to.equal("boolean");
    });

    it("the real CLI: ws model --model-id prints exactly one line and exits 1, no HHE error", function () {
      this.timeout(120_000);
      const r = run([cli, "ws", "model", "--model-id"]);
      expect([r.status, r.stdout, r.stderr]).to.deep.equal([
        1,
        "",
        "error: --model-id: expected a value after it (e.g. --model-id 1)\n",
      ]);
      const misplaced = run([cli, "ws", "vote", "--model-id", "--proposal-id", "3"]);
      expect([misplaced.status, misplaced.stderr + misplaced.stdout]).to.deep.equal([
        1,
        "error: --model-id: expected a value after it (e.g. --model-id 1)\n",
      ]);
      const unknown = run([cli, "ws", "vote", "--modle-id", "1"]);
      expect([unknown.status, unknown.stderr + unknown.stdout]).to.deep.equal([
        1,
        "error: --modle-id: unknown option of ws vote (did you mean --model-id?)\n",
      ]);
      for (const out of [r, misplaced, unknown]) expect(out.stdout + out.stderr).to.not.include("HHE");
    });
  });
});
