/**
 * Weightshare's `ws` tasks: the option table Hardhat builds them from. hardhat.config.ts registers `tasks` and checks
 * the command line against it (tasks/lib/argv.ts) before Hardhat parses it. Each action lives in tasks/<name>.ts,
 * loaded lazily, so importing this file loads no task code.
 */
import { emptyTask, task } from "hardhat/config";

/** Weightshare's tasks: `npx hardhat ws <task> --help`. Each action lives in tasks/<name>.ts, loaded lazily. */
type Option = [name: string, description: string];

function wsTask(name: string, description: string, options: Option[], flags: Option[] = [], common = true) {
  // The builder's type grows with every option; the actions declare their own argument types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let builder: any = task(["ws", name], description);
  for (const [option, text] of options)
    builder = builder.addOption({ name: option, description: text, defaultValue: "" });
  for (const [flag, text] of flags) builder = builder.addFlag({ name: flag, description: text });
  if (common) {
    builder = builder
      .addOption({
        name: "deployment",
        description: "JSON file with the protocol's addresses (default: Ignition's record)",
        defaultValue: "",
      })
      .addOption({
        name: "signer",
        description:
          "the account that sends: its index, its address or a signer name from <NETWORK>_SIGNERS (default 0)",
        defaultValue: "",
      })
      .addOption({
        name: "safe",
        description: "a Safe holding the fractions: simulate as it and print a Transaction Builder batch, send nothing",
        defaultValue: "",
      })
      .addFlag({ name: "force", description: "send even what looks like a mistake (the warning says what)" });
  }
  return builder
    .addFlag({ name: "json", description: "print JSON for scripts" })
    .setAction(() => import(`./${name}.js`))
    .build();
}

const MODEL: Option = ["modelId", "the model's id"];
const PROPOSAL: Option = ["proposalId", "the proposal's id: decimal, hex or the short form tasks print (0x1234…abcd)"];
export const tasks = [
  emptyTask("ws", "Weightshare: co-own, govern, license and earn from AI models").build(),
  wsTask("register", "Register a model: members and amounts from a JSON file", [
    ["members", "JSON file: name, symbol, members[{account, amount}], governance"],
  ]),
  wsTask(
    "model",
    "Show a model: addresses, operator, supply, holders' votes, offers, lineage, contributors, governance, treasury, revenue, raises, sales, reviews, provenance",
    [MODEL],
  ),
  wsTask("models", "List every registered model: supply, holders, offers on sale, governor, treasury, metadata", []),
  wsTask("delegate", "Delegate your votes in a model (the zero address opts out; needs --force)", [
    MODEL,
    ["to", "the delegate (your own address to vote yourself)"],
  ]),
  wsTask("transfer", "Transfer fractions of a model (or several: --batch); votes follow to the receiver's delegate", [
    ["modelId", "the model whose fractions to transfer"],
    ["to", "the receiver"],
    ["amount", "how many fractions"],
    ["batch", "MODEL:AMOUNT,MODEL:AMOUNT instead of --model-id and --amount, e.g. 1:100,2:50"],
  ]),
  wsTask("transfer-licence", "Give a licence to another account (if its terms allow transfers)", [
    ["licenceId", "the licence"],
    ["to", "the receiver"],
  ]),
  wsTask("primary-licence", "Choose which of your licences access to its model is checked against", [
    ["modelId", "the licence's model (optional; checked against the licence)"],
    ["licenceId", "the licence"],
  ]),
  wsTask("licences", "List the licences an account holds: access, credits, expiry, transferable, primary", [
    ["account", "the account (default: you)"],
  ]),
  wsTask(
    "derive",
    "Register a new model as a derivative of the models whose derivative licences you hold; it pays them its share",
    [
      ["modelId", "the new model (no offers and no payments yet), of which you are the creator or treasury"],
      ["licences", "your live derivative licences, one per parent (at most 4), comma-separated, e.g. 3,4"],
    ],
  ),
  wsTask(
    "propose",
    "Propose a governed action (checked, then simulated before it is sent)",
    [
      MODEL,
      [
        "action",
        "issue-fractions | spend-eth | spend-erc20 | spend-fractions | recover-token | add-offer | set-price | withdraw-offer | put-on-sale | set-split | set-contributors | allow-eth | allow-token | remove-token | set-unlock-window | change-setting | set-guardian | set-operator | set-royalty | update-metadata | open-raise | cancel-raise | release-tranche | fail-milestone | set-access-offer | open-sale | stop-sale | attest-provenance | revoke-provenance | set-evaluator | register-derivative",
      ],
      [
        "to",
        "recipient, guardian or operator (set-operator: the gateway that settles usage; set-evaluator: the evaluator)",
      ],
      [
        "amount",
        "fractions (issue-fractions, spend-fractions, open-sale), ETH (spend-eth), token units (spend-erc20), bps (set-royalty), the new value (change-setting: times with their unit, 2d, 12h, 3600s)",
      ],
      [
        "offerId",
        "the offer (set-price, withdraw-offer; set-access-offer: the offer a raise's seats are delivered from)",
      ],
      [
        "price",
        "price in the token's units: 0.1 (ETH), 12.5 (USDC) (add-offer, set-price; open-raise and open-sale: of one fraction, a sale's starting price)",
      ],
      ["contributorsBps", "contributors' share in basis points (set-split)"],
      ["holdersBps", "holders' share in basis points (set-split)"],
      ["credits", "usage credits of the licence, 0 = unmetered (add-offer)"],
      [
        "days",
        "licence duration, 30 or 30d or 12h, 0 = perpetual (add-offer); holders' unlock window, 1 hour to 365 days (set-unlock-window)",
      ],
      ["cap", "most licences the offer sells, 0 = unlimited (add-offer); most fractions the raise sells (open-raise)"],
      [
        "parentShareBps",
        "with --derivatives: the model's share of each derivative's revenue, basis points, at most 5000 (add-offer)",
      ],
      [
        "minDerivativePrice",
        "with --derivatives: the least a derivative must charge for its licences, in the offer's token (add-offer)",
      ],
      ["commercialUse", "yes | no (add-offer, default yes)"],
      ["termsUri", "URI of the licence terms document (add-offer) or of the raise's terms (open-raise)"],
      ["termsFile", "local copy of the terms document, hashed (add-offer, open-raise; default: read the URI)"],
      ["termsHash", "keccak256 of the terms document, checked when it can be read (add-offer, open-raise)"],
      ["contributors", "ADDRESS:SHARES,ADDRESS:SHARES (set-contributors)"],
      ["uri", "new metadata URI (update-metadata); where the evidence is (attest-provenance)"],
      ["file", "local copy of the metadata document, hashed (update-metadata; default: read the URI)"],
      ["contentHash", "keccak256 of the metadata document, checked when it can be read (update-metadata)"],
      [
        "token",
        "ERC-20: price of an offer (add-offer, default ETH), to spend (spend-erc20), to allow or remove (allow-token, remove-token), to recover (recover-token), to be paid in (open-raise, open-sale; default ETH)",
      ],
      [
        "setting",
        "votingDelay | votingPeriod | proposalThreshold | quorumNumerator | lateQuorumExtension | timelockDelay",
      ],
      ["raiseId", "the raise (cancel-raise, release-tranche, fail-milestone, set-access-offer)"],
      ["saleId", "the sale (stop-sale)"],
      ["goal", "fractions the raise must sell by --closes to succeed: its soft cap (open-raise)"],
      ["accountCap", "most fractions one account may commit, 0 = no limit (open-raise)"],
      ["opens", "when the raise or sale opens: now (default), +7d, 2027-01-31, 2027-01-31T12:00:00Z or a Unix time"],
      [
        "closes",
        "when the raise or sale closes, after the proposal can execute: +14d, 2027-01-31, ... (open-raise, open-sale)",
      ],
      [
        "terms",
        "the raise's terms document backers sign: a file, hashed; its URI is --terms-uri, else its file:// URL",
      ],
      [
        "tranches",
        "percentages of the money raised released one by one by vote, e.g. 30,30,40 (open-raise; default one)",
      ],
      ["seatPrice", "access presale: price of one licence seat, in the raise's token (open-raise)"],
      ["seats", "access presale: how many licence seats the raise sells (open-raise)"],
      ["accessDeadline", "access presale: when the offer seats are delivered from must be named by, after --closes"],
      ["allowlist", "file of the addresses that may back (one a line, or a JSON array); default anyone (open-raise)"],
      ["endPrice", "a falling price: the price of one fraction when the sale ends (open-sale; default --price)"],
      ["manifestHash", "the model version's manifest hash, 0x… (attest-provenance)"],
      ["kind", "training-data | evaluation | model-card (attest-provenance)"],
      ["uid", "the treasury's provenance attestation on EAS, 0x… (revoke-provenance)"],
      [
        "licences",
        "derivative licences the treasury holds, one per parent (at most 4), comma-separated, e.g. 3,4 (register-derivative)",
      ],
      ["description", "what the proposal does, for voters"],
    ],
    [
      ["transferable", "licences of the offer can be transferred (add-offer)"],
      ["derivatives", "licensees may make derivatives (add-offer)"],
      ["remove", "drop the evaluator instead of naming it (set-evaluator)"],
    ],
  ),
  wsTask(
    "attest",
    "Attest on EAS: a licensee's review of a model, or an evaluator's provenance or evaluation of a model version",
    [
      MODEL,
      ["licenceId", "review: the licence of the model you review with (you own it; expired counts)"],
      ["rating", "review: 1 to 5"],
      ["text", "review: the review's text (at most 2,000 bytes)"],
      ["reviewUri", "review: a review document's URI, e.g. ipfs://… (instead of or with --text)"],
      ["manifestHash", "provenance: the model version's manifest hash, 0x…"],
      ["kind", "provenance: training-data | evaluation | model-card"],
      ["uri", "provenance: where the evidence is (sources, results, the signed model card)"],
    ],
  ),
  wsTask("reviews", "List a model's reviews on EAS (revoked ones marked), their average rating, and its provenance", [
    MODEL,
  ]),
  wsTask("revoke-review", "Revoke a review you wrote on EAS; its licence may then review again", [
    ["uid", "the review's attestation UID, 0x…"],
  ]),
  wsTask(
    "publish",
    "Publish a model directory encrypted to IPFS as the model's next version (key under WEIGHTSHARE_GATEWAY_KEK)",
    [
      MODEL,
      ["dir", "the model's directory (weights, config, tokenizer, README.md model card)"],
      ["dataDir", "the gateway's data directory (default: WEIGHTSHARE_DATA_DIR, else gateway-data)"],
      ["chunkSize", "plaintext bytes per encrypted chunk, e.g. 256KiB (default 1 MiB - 16: one IPFS leaf per chunk)"],
      ["description", "the proposal's description for voters (--propose; default: generated)"],
    ],
    [["propose", "file the update-metadata proposal with the new metadata URI and content hash"]],
  ),
  wsTask(
    "gateway",
    "Run the licence-gated model gateway (SIWE sign-in, Hugging Face API, key release; metered inference with WEIGHTSHARE_OPERATOR_KEY) until Ctrl-C",
    [
      ["host", "address to listen on (default 127.0.0.1)"],
      ["port", "port to listen on (default 8484; 0 = any free port)"],
      ["dataDir", "the gateway's data directory (default: WEIGHTSHARE_DATA_DIR, else gateway-data)"],
      ["domain", "the gateway's public host[:port], the SIWE domain (default host:port)"],
      ["tokenTtl", "bearer token lifetime, e.g. 15m or 1h (default 1h)"],
      ["rateLimit", "requests per minute per signed-in account, or per IP without a valid token (default 600)"],
      ["blockPollMs", "how long access checks reuse the chain's latest block, in ms (default 200; 0 = every check)"],
      ["trustProxy", "believe X-Forwarded-For from these proxies: true, a hop count or addresses (default: none)"],
      ["maxDownloads", "downloads in flight per account, or per address on /ipfs (default 16)"],
      ["ipfsApiUrl", "an IPFS node's RPC API instead of the embedded store (default: IPFS_API_URL)"],
      ["deployment", "JSON file with the protocol's addresses (default: Ignition's record)"],
      ["databaseUrl", "PostgreSQL URL of a usage ledger shared by replicas (default: DATABASE_URL, else SQLite)"],
      ["upstream", "OpenAI-compatible servers to front: <model id>=<URL>, comma-separated (inference)"],
      ["settleEvery", "settle usage on chain at least this often, e.g. 30s or 5m (default 60s)"],
      ["settleCredits", "settle as soon as this many credits are unsettled (default 1000)"],
      ["replicaId", "this replica's id for the settler lease (default host name and pid)"],
    ],
    [],
    false,
  ),
  wsTask(
    "sign-in",
    "Sign in to a model gateway with Ethereum and print the token for HF_TOKEN (Hugging Face) or an OpenAI apiKey",
    [
      ["gateway", "the gateway's URL, e.g. http://127.0.0.1:8484"],
      [
        "signer",
        "the account that signs in: its index, its address or a signer name from <NETWORK>_SIGNERS (default 0)",
      ],
    ],
    [],
    false,
  ),
  wsTask(
    "infer",
    "Call a licensed model through its gateway (metered: signs a usage receipt per call), or authorise credits ahead",
    [
      MODEL,
      ["gateway", "the gateway's URL, e.g. http://127.0.0.1:8484"],
      ["input", "a tensor model's input: a nested array such as [[1,2,3]], or a full inference request as JSON"],
      ["prompt", "a chat model's prompt (OpenAI-compatible chat completion)"],
      ["maxTokens", "at most this many tokens in the answer (--prompt)"],
      ["authorise", "sign a running total this many credits ahead (capped mode) instead of calling"],
      ["deployment", "JSON file with the protocol's addresses, for the usage meter (default: Ignition's record)"],
      ["signer", "the licensee: its index, its address or a signer name from <NETWORK>_SIGNERS (default 0)"],
    ],
    [],
    false,
  ),
  wsTask(
    "fetch-model",
    "Download a licensed model: sign in to the gateway, fetch ciphertext by CID, decrypt and verify each file locally",
    [
      MODEL,
      ["gateway", "the gateway's URL, e.g. http://127.0.0.1:8484"],
      ["out", "the directory to write the model's files to"],
      ["revision", "main (the version on chain, default), v<N> or a version's 40-hex commit"],
      ["ipfsGateway", "read ciphertext from this IPFS HTTP gateway instead of the gateway's /ipfs/ (optional)"],
      [
        "deployment",
        "JSON file with the protocol's addresses, to check main against the chain (default: Ignition's record)",
      ],
      [
        "signer",
        "the account that signs in: its index, its address or a signer name from <NETWORK>_SIGNERS (default 0)",
      ],
    ],
    [],
    false,
  ),
  wsTask("vote", "Vote on a proposal", [
    MODEL,
    PROPOSAL,
    ["support", "for | against | abstain"],
    ["reason", "why, recorded with the vote (optional)"],
  ]),
  wsTask("queue", "Queue a succeeded proposal on the model's timelock", [MODEL, PROPOSAL]),
  wsTask("execute", "Execute a queued proposal once its delay has passed", [MODEL, PROPOSAL]),
  wsTask("proposal", "Show a proposal: what each call does, state, votes, quorum and timing", [MODEL, PROPOSAL]),
  wsTask("proposals", "List a model's proposals: short id, state, description, what each does, votes, deadline", [
    MODEL,
    ["state", "only proposals in this state (Pending, Active, Succeeded, Queued, Executed...)"],
  ]),
  wsTask("cancel", "Cancel a proposal: its proposer while it is Pending, or the model's guardian", [MODEL, PROPOSAL]),
  wsTask("buy", "Buy a licence (in ETH or the ERC-20 its offer is priced in)", [
    MODEL,
    ["offerId", "the offer"],
    ["maxPrice", "the most you will pay, in the offer's token (0.1 for ETH, 12.5 for USDC)"],
    ["recipient", "who receives it (default: you)"],
  ]),
  wsTask(
    "raise",
    "Show a raise: terms, status, committed/goal/cap, money raised, tranches, seats, your position; with --description, propose opening one (ws propose --action open-raise)",
    [
      ["raiseId", "the raise (default: list every raise)"],
      ["modelId", "list only the raises of this model; with --description, the model the raise sells"],
      ["account", "whose backing and allocation to show (default: you)"],
      ["price", "opening: price of one fraction in the token's units, e.g. 0.001 (ETH)"],
      ["token", "opening: the ERC-20 backers pay in (default ETH)"],
      ["goal", "opening: fractions the raise must sell by --closes to succeed (its soft cap)"],
      ["cap", "opening: most fractions the raise sells (its hard cap)"],
      ["accountCap", "opening: most fractions one account may commit, 0 = no limit"],
      ["opens", "opening: when it opens: now (default), +7d, 2027-01-31, 2027-01-31T12:00:00Z or a Unix time"],
      ["closes", "opening: when it closes, after the proposal can execute: +14d, 2027-01-31, …"],
      [
        "terms",
        "opening: the terms document backers sign: a file, hashed; its URI is --terms-uri, else its file:// URL",
      ],
      ["termsUri", "opening: URI of the terms document (with --terms-hash when it cannot be read here)"],
      ["termsHash", "opening: keccak256 of the terms document, checked when it can be read"],
      ["tranches", "opening: percentages of the money raised released one by one by vote, e.g. 50,50 (default one)"],
      ["seatPrice", "opening, access presale: price of one licence seat, in the raise's token"],
      ["seats", "opening, access presale: how many licence seats the raise sells"],
      ["accessDeadline", "opening, access presale: when the offer seats are delivered from must be named by"],
      ["allowlist", "opening: file of the addresses that may back (one a line, or a JSON array); default anyone"],
      [
        "description",
        "file the proposal that opens a raise, described thus for voters (not with --raise-id or --account)",
      ],
    ],
  ),
  wsTask(
    "back",
    "Back a raise: commit to fractions (and licence seats), signing its terms on your first commitment, paying exactly",
    [
      ["raiseId", "the raise"],
      ["fractions", "how many fractions to commit to (whole fractions; pro rata above the cap)"],
      ["seats", "licence seats to buy in its access presale (default 0)"],
      ["allowlist", "the raise's allow-list file (one address a line, or a JSON array), for your proof"],
      ["signature", "a signature of the terms made elsewhere (an ERC-1271 wallet, --safe); default: the signer signs"],
    ],
  ),
  wsTask("refund", "Take back what is refundable to you in a raise (all of it if it failed or was cancelled)", [
    ["raiseId", "the raise"],
    ["to", "send it to this address instead (an account that cannot receive ETH)"],
  ]),
  wsTask("claim-fractions", "Mint a backer's fractions of a raise that succeeded", [
    ["raiseId", "the raise"],
    ["backer", "whose fractions (default: you); anyone may claim them to the backer"],
    ["to", "mint them to this address (only the backer may name one)"],
  ]),
  wsTask(
    "finalize-raise",
    "Settle a raise that closed: success releases its first tranche, failure makes it refundable",
    [["raiseId", "the raise"]],
  ),
  wsTask("deliver-seats", "Deliver a backer's licence seats of a raise that succeeded, from the offer its DAO named", [
    ["raiseId", "the raise"],
    ["backer", "whose seats (default: you); anyone may deliver them"],
  ]),
  wsTask(
    "sell-fractions",
    "List sales of treasury fractions (or show one): price now, sold, left, times; with --description, propose opening one (ws propose --action open-sale)",
    [
      ["saleId", "the sale (default: list every sale)"],
      ["modelId", "list only the sales of this model; with --description, the model whose treasury sells"],
      ["amount", "opening: how many treasury fractions to sell"],
      ["price", "opening: price of one fraction (the starting price of a falling one), e.g. 0.02 (ETH)"],
      ["endPrice", "opening: a falling price: the price of one fraction when the sale ends (default --price)"],
      ["token", "opening: the ERC-20 buyers pay in (default ETH)"],
      ["opens", "opening: when it opens: now (default), +7d, 2027-01-31, 2027-01-31T12:00:00Z or a Unix time"],
      ["closes", "opening: when it ends, after the proposal can execute: +14d, 2027-01-31, …"],
      ["description", "file the proposal that opens a sale, described thus for voters (not with --sale-id)"],
    ],
  ),
  wsTask("buy-fractions", "Buy treasury fractions from a sale at its current price, at most --max-price each", [
    ["saleId", "the sale"],
    ["amount", "how many fractions"],
    ["maxPrice", "the most you will pay for one fraction, in the sale's token (0.01 for ETH, 12.5 for USDC)"],
    ["to", "who receives them (default: you)"],
  ]),
  wsTask("renew", "Renew a licence at its offer's current price (one you do not hold needs --force)", [
    ["licenceId", "the licence"],
    ["maxPrice", "the most you will pay, in the offer's token (0.1 for ETH, 12.5 for USDC)"],
  ]),
  wsTask("access", "Check whether an account may use a model", [
    MODEL,
    ["account", "the account"],
    ["licenceId", "a specific licence"],
  ]),
  wsTask("receipt", "Sign a cumulative usage receipt for your licence (prints the JSON ws settle takes)", [
    ["licenceId", "the licence"],
    ["amount", "credits used now: the receipt charges up to what is settled so far + this"],
    ["cap", "running total of credits to authorise (default: settled so far + --amount)"],
    ["validFor", "seconds until it expires (default 3600, at most the meter's RECEIPT_WINDOW, 86400)"],
  ]),
  wsTask("settle", "Settle signed usage receipts on the UsageMeter as the model's operator", [
    ["receipts", "JSON file with a list of receipts (ws receipt's output)"],
  ]),
  wsTask("deposit", "Deposit revenue into a model, in ETH or an ERC-20 it accepts", [
    MODEL,
    ["amount", "in the token's units (0.25 ETH, 12.5 USDC)"],
    ["token", "the ERC-20 to pay in (default: ETH)"],
  ]),
  wsTask("flush", "Route licence revenue a V1 licence manager held back into the vault (none since V2)", [MODEL]),
  wsTask(
    "revenue",
    "Show per payment token what an account may claim or release, what still unlocks, the treasury's and royalties'",
    [MODEL, ["account", "the account (default: you)"], ["token", "one payment token only (default: every one)"]],
  ),
  wsTask(
    "claim",
    "Claim your unlocked holder revenue in every payment token (or --release your contributor revenue)",
    [
      MODEL,
      ["modelIds", "several models, N,M,...: their holder revenue in one claimMany transaction"],
      ["token", "one payment token only (default: every one with something to claim)"],
      ["to", "pay this address instead of you"],
    ],
    [["release", "release contributor revenue instead"]],
  ),
  wsTask("release-treasury", "Pay the treasury's cut of a model's revenue into its timelock", [
    MODEL,
    ["token", "one payment token only (default: every one it is owed)"],
  ]),
  wsTask("collect-royalties", "Sweep what the model's royalty receiver holds into its revenue", [
    MODEL,
    ["token", "one payment token only (default: every accepted one it holds)"],
  ]),
  wsTask("collect-from-derivatives", "Split what the model's derivatives set aside for it into its revenue", [
    MODEL,
    ["token", "one token only (default: every one with something set aside)"],
  ]),
  wsTask("snapshot-space", "Print a model's Snapshot space settings (validated with snapshot.js)", [
    MODEL,
    ["networkId", "Snapshot network id (default: this chain)"],
    ["strategies", "votes, holdings or votes,holdings (default both)"],
    ["admins", "comma-separated space admins"],
  ]),
  wsTask(
    "snapshot-hub",
    "Run a Snapshot-compatible endpoint on 127.0.0.1 to rehearse a signalling vote (local chains)",
    [
      ["space", "Snapshot space id it accepts"],
      ["port", "port (default: a free one)"],
      ["modelId", "refuse votes with no power in this model at the proposal's snapshot (optional)"],
    ],
  ),
  wsTask("snapshot-propose", "Sign and send a Snapshot signalling proposal", [
    MODEL,
    ["hub", "Snapshot sequencer URL, e.g. https://seq.snapshot.org"],
    ["space", "Snapshot space id, e.g. vision-7b.eth"],
    ["title", "proposal title"],
    ["body", "proposal text"],
    ["choices", "comma-separated choices (default For,Against,Abstain)"],
    ["duration", "voting time in seconds (default: the Governor's voting period)"],
    ["snapshot", "block at which power is read (default: latest)"],
  ]),
  wsTask("snapshot-vote", "Sign and send a Snapshot vote", [
    ["hub", "Snapshot sequencer URL"],
    ["space", "Snapshot space id"],
    ["proposal", "Snapshot proposal id (0x...)"],
    ["choice", "choice number, from 1"],
    ["reason", "why, for other voters"],
  ]),
  wsTask("snapshot-scores", "Compute voters' Snapshot power at a block, per strategy", [
    MODEL,
    ["voters", "comma-separated addresses"],
    ["block", "the proposal's snapshot block (default: latest)"],
    ["multicall", "Multicall to batch through (default: the deployment's)"],
    ["strategies", "votes, holdings or votes,holdings (default both)"],
    ["hub", "a ws snapshot-hub URL holding --proposal: score its voters and tally it"],
    ["proposal", "Snapshot proposal id on --hub"],
  ]),
  wsTask("tally", "Print what to enter in Tally for a model, and its proposals as Tally shows them", [MODEL]),
  wsTask("tally-api", "Read a model's governor, proposals and delegates from Tally's API (key: TALLY_API_KEY)", [
    MODEL,
    ["apiUrl", "Tally API URL (default https://api.tally.xyz/query)"],
  ]),
  wsTask("advance", "Move time forward on a local chain", [["seconds", "how many seconds"]], [], false),
  wsTask(
    "test-token",
    "Deploy and mint an ERC-20 to pay with on a local chain (anyone can mint it)",
    [
      ["name", 'the token\'s name, e.g. "Test USD"'],
      ["symbol", "its symbol, e.g. USDC"],
      ["decimals", "its decimals, e.g. 6"],
      ["mint", "ACCOUNT:AMOUNT,ACCOUNT:AMOUNT in its units; ACCOUNT an address or a local account's index"],
    ],
    [],
    false,
  ),
  task(["ws", "upgrade"], "Validate a new implementation's storage layout, deploy it and schedule the upgrade")
    .addOption({ name: "proxy", description: "the proxy to upgrade", defaultValue: "" })
    .addOption({ name: "from", description: "contract the proxy runs now, e.g. ModelShares", defaultValue: "" })
    .addOption({ name: "to", description: "contract to upgrade to", defaultValue: "" })
    .addFlag({ name: "execute", description: "execute the scheduled upgrade once its delay has passed" })
    .addOption({
      name: "constructorArgs",
      description: "JSON list of NEW's constructor arguments (default: the proxy's immutables, e.g. SHARES())",
      defaultValue: "",
    })
    .addOption({
      name: "deployment",
      description: "JSON file with the protocol's addresses (default: Ignition's record)",
      defaultValue: "",
    })
    .addOption({
      name: "signer",
      description: "the account that schedules or executes: an index, an address or a signer name (default 0)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "print JSON" })
    .setAction(() => import("./upgrade.js"))
    .build(),
];
