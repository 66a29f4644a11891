/**
 * Bad input to every raise and fraction-sale task, and to every raise and sale action of `ws propose`: one line on
 * stderr naming the argument and what was expected, exit code 1, nothing on stdout, no block mined and the signer's
 * nonce unchanged. A deployment recorded before raises and sales existed is named as the problem.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { deploymentFile, expectRefused } from "./helpers.js";
import { raiseFixture, type RaiseFixture } from "./raise-setup.js";

describe("raise and fraction-sale tasks: bad input is one line and sends nothing", function () {
  this.timeout(300_000);
  let f: RaiseFixture;
  let otherList: string;
  let badList: string;
  let closesAt: bigint;

  /**
   * Refused: one line (exactly `error: <message>`, or matching the pattern), nothing mined, and the acting signer's
   * nonce (default account 1) unchanged.
   */
  async function refused(name: string, args: Record<string, unknown>, message: string | RegExp) {
    const account = f.accounts[Number(args.signer ?? 1)];
    const nonce = await f.nonce(account);
    await expectRefused(f.run, name, args, typeof message === "string" ? `error: ${message}` : message);
    expect(await f.nonce(account)).to.equal(nonce, `${name}: nothing sent`);
  }

  before(async function () {
    f = await raiseFixture();
    otherList = path.join(f.dir, "other-list.txt");
    writeFileSync(otherList, `${f.accounts[4]}\n${f.accounts[6]}\n`);
    badList = path.join(f.dir, "bad-list.txt");
    writeFileSync(badList, `${f.accounts[4]}\nnot-an-address\n`);
    await f.passAll([
      {
        action: "open-raise",
        price: "0.01",
        goal: "100",
        cap: "200",
        closes: "+20d",
        terms: f.termsFile,
        seatPrice: "0.1",
        seats: "5",
        accessDeadline: "+60d",
      },
      {
        action: "open-raise",
        price: "0.01",
        goal: "10",
        cap: "20",
        accountCap: "10",
        closes: "+20d",
        terms: f.termsFile,
        allowlist: f.allowlistFile,
      },
      { action: "issue-fractions", to: f.treasury, amount: "100" },
      { action: "open-sale", amount: "50", price: "0.02", closes: "+20d", force: true },
    ]);
    closesAt = BigInt(f.ok(await f.run("raise", { raiseId: "1" })).terms.closesAt);
  });

  it("ws raise and ws sell-fractions: unknown ids, models and accounts", async function () {
    await refused("raise", { raiseId: "9" }, "--raise-id: expected an existing raise id (1..2), got 9");
    await refused("raise", { raiseId: "one" }, '--raise-id: expected a whole number, got "one"');
    await refused("raise", { modelId: "7" }, "--model-id: expected an existing model id (1..1), got 7");
    await refused("raise", { account: "0x1234" }, '--account: expected a 0x-prefixed 20-byte address, got "0x1234"');
    await refused("sell-fractions", { saleId: "5" }, "--sale-id: expected an existing sale id (1..1), got 5");
    await refused("sell-fractions", { saleId: "0" }, "--sale-id: expected an existing sale id (1..1), got 0");
  });

  it("ws raise and ws sell-fractions: showing and filing options together, or filing without --description", async function () {
    await refused(
      "raise",
      { raiseId: "1", price: "0.01", description: "open another" },
      "--raise-id: it shows raises, but --price, --description file the proposal that opens a raise; give one set or the other",
    );
    await refused(
      "raise",
      { raiseId: "1", account: f.accounts[4], modelId: "1", description: "open another" },
      "--raise-id, --account: they show raises, but --description file the proposal that opens a raise; give one set or the other",
    );
    await refused(
      "raise",
      { modelId: "1", price: "0.01", goal: "10" },
      '--description: expected the proposal\'s description for voters with --price, --goal (ws raise --description "..." files the proposal that opens a raise; without them it shows raises)',
    );
    await refused(
      "sell-fractions",
      { saleId: "1", amount: "5", description: "sell more" },
      "--sale-id: it shows sales, but --amount, --description file the proposal that opens a sale; give one set or the other",
    );
    await refused(
      "sell-fractions",
      { modelId: "1", amount: "5", closes: "+20d" },
      '--description: expected the proposal\'s description for voters with --amount, --closes (ws sell-fractions --description "..." files the proposal that opens a sale; without them it shows sales)',
    );
    // Filing goes through ws propose's own checks.
    const opening = { modelId: "1", price: "0.01", goal: "10", cap: "5", closes: "+20d", terms: f.termsFile };
    await refused(
      "raise",
      { ...opening, description: "too small" },
      "--cap: expected at least the goal (10 fractions), got 5",
    );
    await refused("raise", { ...opening, description: " " }, "--description: expected a non-empty description");
    await refused(
      "sell-fractions",
      { modelId: "1", amount: "5", price: "0.01", endPrice: "0.02", closes: "+20d", description: "rising" },
      "--end-price: a sale's price never rises; expected at most --price (0.01 ETH), got 0.02 ETH",
    );
  });

  it("a deployment from before raises and sales: one line naming --deployment", async function () {
    const { raises, sales, ...before } = f.addresses;
    void [raises, sales];
    const deployment = deploymentFile(before);
    const none = (key: string, name: string) =>
      `--deployment: expected a "${key}" address (the ${name} contract, deployed with the protocol since raises and fraction sales were added); this deployment has none`;
    await refused("raise", { deployment }, none("raises", "Raises"));
    await refused("back", { deployment, raiseId: "1", fractions: "1" }, none("raises", "Raises"));
    await refused(
      "buy-fractions",
      { deployment, saleId: "1", amount: "1", maxPrice: "1" },
      none("sales", "FractionSales"),
    );
    await refused(
      "propose",
      { deployment, modelId: "1", action: "cancel-raise", raiseId: "1", description: "d" },
      none("raises", "Raises"),
    );
    await refused(
      "raise",
      { deployment: deploymentFile({ ...f.addresses, raises: f.accounts[9] }) },
      `--deployment: no Raises contract at ${f.accounts[9]} on chain 31337`,
    );
  });

  it("ws back: amounts, seats, allow-list, account cap, signature and funds", async function () {
    const back = (args: Record<string, unknown>) => ({ raiseId: "1", signer: "4", ...args });
    await refused("back", back({}), "--fractions: expected how many fractions to commit to (at least 1, or --seats)");
    await refused("back", back({ fractions: "1.5" }), '--fractions: expected a whole number, got "1.5"');
    await refused(
      "back",
      back({ raiseId: "0", fractions: "1" }),
      "--raise-id: expected an existing raise id (1..2), got 0",
    );
    await refused(
      "back",
      back({ raiseId: "", fractions: "1" }),
      "--raise-id: expected a raise id (ws raise lists them)",
    );
    await refused(
      "back",
      back({ fractions: "1", seats: "6" }),
      "--seats: raise #1 has 5 of its 5 seats left, asked for 6",
    );
    await refused(
      "back",
      back({ raiseId: "2", fractions: "1", seats: "1" }),
      "--seats: raise #2 sells no licence seats",
    );
    await refused(
      "back",
      back({ fractions: "1", signature: "0xzz" }),
      '--signature: expected the signature as 0x-prefixed hex, got "0xzz"',
    );
    await refused(
      "back",
      back({ fractions: "1000000000" }),
      new RegExp(`^error: --signer: ${f.accounts[4]} holds [\\d.]+ ETH; this needs 10000000 ETH$`),
    );
    const root = f.ok(await f.run("raise", { raiseId: "2" })).terms.allowlistRoot;
    await refused(
      "back",
      back({ raiseId: "2", fractions: "1" }),
      `--allowlist: raise #2 is open to an allow-list only (root ${root}); expected its file of addresses`,
    );
    await refused(
      "back",
      back({ raiseId: "2", fractions: "1", allowlist: otherList }),
      new RegExp(
        `^error: --allowlist: ${otherList} makes the root 0x[0-9a-f]{64}, not raise #2's ${root}; expected the raise's list$`,
      ),
    );
    await refused(
      "back",
      back({ raiseId: "2", fractions: "1", allowlist: badList }),
      `--allowlist: ${badList}: line 2 ("not-an-address") is not an address`,
    );
    await refused(
      "back",
      back({ raiseId: "2", fractions: "1", allowlist: path.join(f.dir, "absent.txt") }),
      `--allowlist: expected a file of addresses, but "${path.join(f.dir, "absent.txt")}" does not exist`,
    );
    await refused(
      "back",
      back({ raiseId: "2", fractions: "11", allowlist: f.allowlistFile }),
      `--fractions: one account may commit at most 10 fractions to raise #2; ${f.accounts[4]} has 0 and asks for 11 more`,
    );
    // A Safe (any contract account) signs the terms itself: the task names the digest and sends nothing.
    const digest = await expectRefused(f.run, "back", back({ fractions: "1", safe: f.treasury }));
    expect(digest).to.match(
      new RegExp(
        `^error: --signature: ${f.treasury} accepts the terms of raise #1 with its own \\(ERC-1271\\) signature of the EIP-712 digest 0x[0-9a-f]{64} \\(AcceptTerms in "Weightshare Raises" v1\\); expected it with --signature$`,
      ),
    );
    // A signature that is not the backer's: the contract refuses it in the simulation, and nothing is sent.
    await refused(
      "back",
      back({ fractions: "1", signature: `0x${"11".repeat(65)}` }),
      `--fractions: refused by the contract: ${f.accounts[4]} has not signed the terms of raise #1 (the signature does not verify) [RaisesTermsNotAccepted(1, ${f.accounts[4]})]`,
    );
  });

  it("ws refund, claim-fractions, finalize-raise, deliver-seats before the raise settles", async function () {
    await refused(
      "refund",
      { raiseId: "1", signer: "4" },
      `--signer: ${f.accounts[4]} has nothing refundable in raise #1 (Open) now: it has not backed this raise`,
    );
    await refused("refund", { raiseId: "1", to: "bob" }, '--to: expected a 0x-prefixed 20-byte address, got "bob"');
    await refused(
      "claim-fractions",
      { raiseId: "1" },
      "--raise-id: raise #1 is Open; fractions are minted only from a raise that succeeded",
    );
    await refused(
      "claim-fractions",
      { raiseId: "1", backer: f.accounts[4], to: f.accounts[6] },
      `--to: only the backer (${f.accounts[4]}) may have its fractions minted to another address; leave --to out to mint them to the backer`,
    );
    await refused(
      "finalize-raise",
      { raiseId: "1" },
      /^error: --raise-id: raise #1 is Open, not closed: it closes at \S+Z \(\d+\)$/,
    );
    await refused("deliver-seats", { raiseId: "2" }, "--raise-id: raise #2 sells no licence seats");
    await refused(
      "deliver-seats",
      { raiseId: "1" },
      "--raise-id: raise #1 is Open; seats are delivered only after success",
    );
    await refused(
      "deliver-seats",
      { raiseId: "1", backer: "0x12" },
      '--backer: expected a 0x-prefixed 20-byte address, got "0x12"',
    );
  });

  it("ws buy-fractions: amount, max price, what is left", async function () {
    const buy = (args: Record<string, unknown>) => ({ saleId: "1", signer: "6", ...args });
    await refused("buy-fractions", buy({ maxPrice: "1" }), "--amount: expected how many fractions to buy");
    await refused(
      "buy-fractions",
      buy({ amount: "0", maxPrice: "1" }),
      "--amount: expected at least 1 fraction, got 0",
    );
    await refused(
      "buy-fractions",
      buy({ amount: "1" }),
      "--max-price: expected the most you will pay for one fraction, in ETH (0.02 ETH now)",
    );
    await refused(
      "buy-fractions",
      buy({ amount: "1", maxPrice: "cheap" }),
      '--max-price: expected an amount of ETH with at most 18 decimals, such as 12.5, got "cheap"',
    );
    await refused(
      "buy-fractions",
      buy({ amount: "51", maxPrice: "1" }),
      "--amount: sale #1 has 50 fractions left, asked for 51",
    );
    await refused(
      "buy-fractions",
      buy({ saleId: "2", amount: "1", maxPrice: "1" }),
      "--sale-id: expected an existing sale id (1..1), got 2",
    );
    await refused(
      "buy-fractions",
      buy({ amount: "1", maxPrice: "1", to: "nobody" }),
      '--to: expected a 0x-prefixed 20-byte address, got "nobody"',
    );
  });

  it("ws propose open-raise: every term checked before anything is filed", async function () {
    const raise = (args: Record<string, unknown>) => ({
      action: "open-raise",
      price: "0.01",
      goal: "10",
      cap: "20",
      closes: "+20d",
      terms: f.termsFile,
      ...args,
    });
    await f.refused(raise({ price: "" }), "--price: expected the price of one fraction in ETH (e.g. 0.01)");
    await f.refused(raise({ price: "0" }), "--price: expected more than 0 ETH, got 0");
    await f.refused(
      raise({ goal: "" }),
      "--goal: expected the fractions the raise must sell to succeed (its soft cap)",
    );
    await f.refused(raise({ goal: "0" }), "--goal: expected at least 1 fraction, got 0");
    await f.refused(raise({ cap: "5" }), "--cap: expected at least the goal (10 fractions), got 5");
    await f.refused(raise({ accountCap: "-1" }), '--account-cap: expected a whole number, got "-1"');
    await f.refused(raise({ closes: "" }), "--closes: expected when the raise closes, e.g. +14d or 2027-01-31");
    await f.refused(
      raise({ closes: "next week" }),
      '--closes: expected a time: now, +7d (from now), 2027-01-31, 2027-01-31T12:00:00Z or a Unix timestamp, got "next week"',
    );
    const early = await expectRefused(f.run, "propose", {
      modelId: "1",
      description: "early",
      ...raise({ closes: "+2d" }),
    });
    expect(early).to.match(
      /^error: --closes: the raise would close at \S+ \(\d+\), before this proposal can be executed \(\S+ \(\d+\) at the earliest: voting delay, voting period and timelock delay\); expected a later time$/,
    );
    const late = await expectRefused(f.run, "propose", {
      modelId: "1",
      description: "late",
      ...raise({ opens: "+30d", closes: "+25d" }),
    });
    expect(late).to.match(/^error: --closes: expected after the opening \(\S+ \(\d+\)\), got \S+ \(\d+\)$/);
    await f.refused(raise({ tranches: "30,30" }), '--tranches: expected percentages summing to 100, got 60 ("30,30")');
    await f.refused(raise({ tranches: "50,0,50" }), '--tranches: each tranche must be more than 0%, got "50,0,50"');
    await f.refused(
      raise({ tranches: "half,half" }),
      '--tranches: expected percentages such as 30,30,40, got "half" in "half,half"',
    );
    await f.refused(
      raise({ tranches: Array(21).fill("5").join(",") }),
      "--tranches: expected at most 20 tranches, got 21",
    );
    await f.refused(raise({ seats: "5" }), "--seat-price: expected the price of one licence seat in ETH (e.g. 0.01)");
    await f.refused(raise({ seatPrice: "0.1" }), "--seats: expected how many licence seats the raise sells");
    await f.refused(
      raise({ seatPrice: "0.1", seats: "5" }),
      "--access-deadline: expected when the treasury must name the offer seats are delivered from (after --closes), e.g. +60d",
    );
    const deadline = await expectRefused(f.run, "propose", {
      modelId: "1",
      description: "deadline",
      ...raise({ seatPrice: "0.1", seats: "5", accessDeadline: "+10d" }),
    });
    expect(deadline).to.match(
      /^error: --access-deadline: expected after the raise closes \(\S+ \(\d+\)\), got \S+ \(\d+\)$/,
    );
    await f.refused(
      raise({ allowlist: badList }),
      `--allowlist: ${badList}: line 2 ("not-an-address") is not an address`,
    );
    await f.refused(
      raise({ terms: "" }),
      "--terms: expected the terms document backers accept: a file (hashed), or --terms-uri URI (with --terms-hash 0x… when it cannot be read here)",
    );
    await f.refused(
      raise({ terms: "", termsUri: "ipfs://terms" }),
      "--terms-uri: cannot read ipfs://terms (no ipfs:// gateway here) to hash it; give the document with --terms-file PATH, or its keccak256 with --terms-hash 0x…",
    );
    await f.refused(
      raise({ token: f.accounts[9] }),
      `--token: ${f.accounts[9]} has no code on this chain; expected an ERC-20 token`,
    );
  });

  it("ws propose: the other raise and sale actions", async function () {
    await f.refused({ action: "cancel-raise" }, "--raise-id: expected a raise id (ws raise lists them)");
    await f.refused(
      { action: "cancel-raise", raiseId: "3" },
      "--raise-id: expected an existing raise id (1..2), got 3",
    );
    await f.refused(
      { action: "release-tranche", raiseId: "1" },
      "--raise-id: raise #1 is Open; only a raise that succeeded can release a tranche; pass --force to send it anyway",
    );
    await f.refused(
      { action: "fail-milestone", raiseId: "1" },
      "--raise-id: raise #1 is Open; only a raise that succeeded can fail a tranche; pass --force to send it anyway",
    );
    await f.refused(
      { action: "set-access-offer", raiseId: "2", offerId: "1" },
      "--raise-id: raise #2 sells no licence seats",
    );
    await f.refused(
      { action: "set-access-offer", raiseId: "1", offerId: "9" },
      "--offer-id: expected an existing offer of model #1, got 9",
    );
    const sale = (args: Record<string, unknown>) => ({
      action: "open-sale",
      amount: "10",
      price: "0.02",
      closes: "+20d",
      ...args,
    });
    await f.refused(sale({ amount: "" }), "--amount: expected how many treasury fractions to sell");
    await f.refused(sale({ amount: "0" }), "--amount: expected at least 1 fraction, got 0");
    await f.refused(
      sale({ endPrice: "0.03" }),
      "--end-price: a sale's price never rises; expected at most --price (0.02 ETH), got 0.03 ETH",
    );
    await f.refused(sale({ closes: "" }), "--closes: expected when the sale ends, e.g. +14d or 2027-01-31");
    await f.refused(
      sale({ amount: "1000" }),
      `--amount: the treasury holds 100 fractions of model #1 and the sale offers 1000: purchases beyond what it holds when they are made will be refused (issue fractions to the treasury first: ws propose --action issue-fractions); pass --force to send it anyway`,
    );
    await f.refused({ action: "stop-sale", saleId: "4" }, "--sale-id: expected an existing sale id (1..1), got 4");
  });

  it("after closing: backing and claiming refused, the closed raise named", async function () {
    const { networkHelpers } = await hre.network.getOrCreate();
    await networkHelpers.time.increaseTo(closesAt);
    await refused(
      "back",
      { raiseId: "1", fractions: "1", signer: "4" },
      /^error: --raise-id: raise #1 is Closed, not open for commitments; it closed at \S+Z \(\d+\)$/,
    );
    await refused(
      "claim-fractions",
      { raiseId: "1" },
      "--raise-id: raise #1 is Closed; fractions are minted only from a raise that succeeded (ws finalize-raise settles it)",
    );
  });
});
