/**
 * The indexer's tables, each rebuilt from the protocol's events alone (no view calls): models, holders and balances,
 * delegates and voting power, proposals and votes, offers, terms and licences, revenue, raises and sales, lineage
 * and reviews. Amounts are exact (`bigint`, numeric(78) in PostgreSQL); addresses are lower-case hex. Ponder serves
 * every table over GraphQL (`/graphql`) and SQL over HTTP (`/sql`, for `@ponder/client`).
 */
import { index, onchainTable, primaryKey, relations } from "ponder";

// ---------------------------------------------------------------------------------------------------------------
// Models (ModelShares.ModelCreated, then ModelRegistry.ModelRegistered in the same transaction)
// ---------------------------------------------------------------------------------------------------------------

export const model = onchainTable(
  "model",
  (t) => ({
    id: t.bigint().primaryKey(),
    /** The model's ModelVotes clone (its EIP-5805 vote token), governor and timelock (its treasury). */
    votes: t.hex().notNull(),
    governor: t.hex(),
    timelock: t.hex().notNull(),
    creator: t.hex(),
    name: t.text(),
    symbol: t.text(),
    contentHash: t.hex(),
    metadataURI: t.text(),
    /** The ERC-1155 URI of the model's id (ModelShares `URI`). */
    uri: t.text().notNull(),
    /** Fractions in existence (mints minus burns) and accounts holding any. */
    totalSupply: t.bigint().notNull(),
    holderCount: t.integer().notNull(),
    /**
     * Governance settings: from the registration, then the governor's and the timelock's own events. Timepoints
     * and periods are seconds (the governors' clock is `mode=timestamp`); the quorum is a percentage of the votable
     * supply (fractions outside the treasury) at the proposal's snapshot.
     */
    votingDelay: t.bigint(),
    votingPeriod: t.bigint(),
    proposalThreshold: t.bigint(),
    quorumNumerator: t.bigint(),
    lateQuorumExtension: t.bigint(),
    proposalGuardian: t.hex(),
    timelockDelay: t.bigint(),
    /** The address that settles usage receipts (UsageMeter `OperatorSet`), or null. */
    operator: t.hex(),
    /** Seconds the holders' cut of a payment takes to unlock (`UnlockWindowSet`); null: the vault's default. */
    unlockWindow: t.bigint(),
    /** ERC-2981 royalty on secondary sales of the fractions (ModelShares `RoyaltySet`), and on licences. */
    royaltyReceiver: t.hex(),
    royaltyBps: t.bigint(),
    licenceRoyaltyBps: t.bigint(),
    /** The revenue split in basis points (RevenueVault `SplitSet`); null until the DAO sets one. */
    contributorsBps: t.bigint(),
    holdersBps: t.bigint(),
    treasuryBps: t.bigint(),
    createdAt: t.bigint().notNull(),
    createdBlock: t.bigint().notNull(),
  }),
  (table) => ({ votesIndex: index().on(table.votes), governorIndex: index().on(table.governor) }),
);

/** Which model each votes, governor and timelock clone belongs to (how clone events find their model). */
export const clone = onchainTable("clone", (t) => ({
  address: t.hex().primaryKey(),
  modelId: t.bigint().notNull(),
  /** "votes", "governor" or "timelock". */
  kind: t.text().notNull(),
}));

/** What a minter (e.g. the raises contract) may still mint of a model (ModelShares `MintingGranted`, less mints). */
export const mintingGrant = onchainTable(
  "minting_grant",
  (t) => ({
    modelId: t.bigint().notNull(),
    minter: t.hex().notNull(),
    granted: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.minter] }) }),
);

// ---------------------------------------------------------------------------------------------------------------
// Holders and balances (ModelShares TransferSingle / TransferBatch); a row is removed when its balance reaches 0
// ---------------------------------------------------------------------------------------------------------------

export const balance = onchainTable(
  "balance",
  (t) => ({
    modelId: t.bigint().notNull(),
    account: t.hex().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.account] }), accountIndex: index().on(table.account) }),
);

/** Operators an account approved to move all its fractions (ModelShares `ApprovalForAll`; e.g. a treasury's sale). */
export const shareApproval = onchainTable(
  "share_approval",
  (t) => ({
    account: t.hex().notNull(),
    operator: t.hex().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.account, table.operator] }) }),
);

/** Every fraction movement (one row per id of a batch), for histories. */
export const transfer = onchainTable(
  "transfer",
  (t) => ({
    id: t.text().primaryKey(),
    modelId: t.bigint().notNull(),
    operator: t.hex().notNull(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ modelIndex: index().on(table.modelId) }),
);

// ---------------------------------------------------------------------------------------------------------------
// Delegates and voting power (each model's ModelVotes clone: DelegateChanged / DelegateVotesChanged)
// ---------------------------------------------------------------------------------------------------------------

/** Whom each account delegates its votes in a model to. */
export const delegation = onchainTable(
  "delegation",
  (t) => ({
    modelId: t.bigint().notNull(),
    delegator: t.hex().notNull(),
    delegate: t.hex().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.modelId, table.delegator] }),
    delegateIndex: index().on(table.modelId, table.delegate),
  }),
);

/** Each delegate's current voting power in a model (`getVotes`). */
export const votingPower = onchainTable(
  "voting_power",
  (t) => ({
    modelId: t.bigint().notNull(),
    account: t.hex().notNull(),
    votes: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.account] }) }),
);

/**
 * The votable supply (fractions outside the treasury; ModelVotes `Transfer` mints and burns) at the end of each
 * timestamp it changed in: the votes token's `getPastTotalSupply`, the quorum's base (see proposal-state.ts).
 */
export const votableSupply = onchainTable(
  "votable_supply",
  (t) => ({
    modelId: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    supply: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.timestamp] }) }),
);

/** The quorum numerator (percent) from each timestamp it was set at: the governor's `quorumNumerator(timepoint)`. */
export const quorumNumerator = onchainTable(
  "quorum_numerator",
  (t) => ({
    modelId: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    numerator: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.timestamp] }) }),
);

// ---------------------------------------------------------------------------------------------------------------
// Proposals and votes (each model's ModelGovernor clone)
// ---------------------------------------------------------------------------------------------------------------

/**
 * `status` is what the events say: "created", "queued", "executed" or "canceled". Whether a proposal is pending,
 * active, defeated, succeeded or expired follows from the clock, `voteStart`/`voteEnd` (timestamps), the tallies and
 * the quorum at `voteStart`: indexer/proposal-state.ts computes the governor's `state` from these tables.
 */
export const proposal = onchainTable(
  "proposal",
  (t) => ({
    modelId: t.bigint().notNull(),
    proposalId: t.bigint().notNull(),
    governor: t.hex().notNull(),
    proposer: t.hex().notNull(),
    targets: t.hex().array().notNull(),
    values: t.bigint().array().notNull(),
    signatures: t.text().array().notNull(),
    calldatas: t.hex().array().notNull(),
    description: t.text().notNull(),
    voteStart: t.bigint().notNull(),
    /** The deadline, moved by `ProposalExtended` (late quorum). */
    voteEnd: t.bigint().notNull(),
    status: t.text().notNull(),
    etaSeconds: t.bigint(),
    forVotes: t.bigint().notNull(),
    againstVotes: t.bigint().notNull(),
    abstainVotes: t.bigint().notNull(),
    voterCount: t.integer().notNull(),
    createdBlock: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.proposalId] }) }),
);

export const vote = onchainTable(
  "vote",
  (t) => ({
    modelId: t.bigint().notNull(),
    proposalId: t.bigint().notNull(),
    voter: t.hex().notNull(),
    /** 0 against, 1 for, 2 abstain. */
    support: t.integer().notNull(),
    weight: t.bigint().notNull(),
    reason: t.text().notNull(),
    /** The params of `VoteCastWithParams`, or null. */
    params: t.hex(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.proposalId, table.voter] }) }),
);

// ---------------------------------------------------------------------------------------------------------------
// Offers, terms and licences (LicenseManager, UsageMeter)
// ---------------------------------------------------------------------------------------------------------------

/** The terms a licence is bought under, fixed at publication (an offer's later changes get a new termsId). */
export const terms = onchainTable("terms", (t) => ({
  id: t.bigint().primaryKey(),
  modelId: t.bigint().notNull(),
  offerId: t.bigint().notNull(),
  price: t.bigint().notNull(),
  paymentToken: t.hex().notNull(),
  /** Seconds; 0 = perpetual. */
  duration: t.bigint().notNull(),
  credits: t.bigint().notNull(),
  cap: t.bigint().notNull(),
  transferable: t.boolean().notNull(),
  commercialUse: t.boolean().notNull(),
  derivativesAllowed: t.boolean().notNull(),
  termsURI: t.text().notNull(),
  termsHash: t.hex().notNull(),
  parentShareBps: t.bigint().notNull(),
  minDerivativePrice: t.bigint().notNull(),
  publishedAt: t.bigint().notNull(),
}));

/** A model's offer as it stands: its current terms, whether it is on sale, and licences sold under it. */
export const offer = onchainTable(
  "offer",
  (t) => ({
    modelId: t.bigint().notNull(),
    offerId: t.bigint().notNull(),
    termsId: t.bigint().notNull(),
    price: t.bigint().notNull(),
    paymentToken: t.hex().notNull(),
    duration: t.bigint().notNull(),
    credits: t.bigint().notNull(),
    cap: t.bigint().notNull(),
    onSale: t.boolean().notNull(),
    sold: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.offerId] }) }),
);

export const licence = onchainTable(
  "licence",
  (t) => ({
    id: t.bigint().primaryKey(),
    modelId: t.bigint().notNull(),
    offerId: t.bigint().notNull(),
    termsId: t.bigint().notNull(),
    /** The ERC-721 owner (zero address once burned). */
    owner: t.hex().notNull(),
    buyer: t.hex().notNull(),
    /** Unix seconds; 0 = perpetual. */
    expiry: t.bigint().notNull(),
    /** Usage credits left (UsageMeter `UsageSettled` lowers them, renewals top them up). */
    credits: t.bigint().notNull(),
    /** Everything paid for it: the purchase and each renewal. */
    paid: t.bigint().notNull(),
    renewals: t.integer().notNull(),
    purchasedAt: t.bigint().notNull(),
  }),
  (table) => ({ ownerIndex: index().on(table.owner), modelIndex: index().on(table.modelId) }),
);

/** The licence an account names as its primary one for a model (what a gateway meters). */
export const primaryLicence = onchainTable(
  "primary_licence",
  (t) => ({
    modelId: t.bigint().notNull(),
    account: t.hex().notNull(),
    licenceId: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.account] }) }),
);

export const usageSettlement = onchainTable("usage_settlement", (t) => ({
  id: t.text().primaryKey(),
  licenceId: t.bigint().notNull(),
  signer: t.hex().notNull(),
  cap: t.bigint().notNull(),
  settled: t.bigint().notNull(),
  charged: t.bigint().notNull(),
  creditsLeft: t.bigint().notNull(),
  blockNumber: t.bigint().notNull(),
}));

// ---------------------------------------------------------------------------------------------------------------
// Revenue (RevenueVault)
// ---------------------------------------------------------------------------------------------------------------

/** Per model and payment token: what came in and how it went out. */
export const revenue = onchainTable(
  "revenue",
  (t) => ({
    modelId: t.bigint().notNull(),
    token: t.hex().notNull(),
    /** Sum of `Deposited.amount` (= the vault's `totalDeposited`). */
    deposited: t.bigint().notNull(),
    toContributors: t.bigint().notNull(),
    toHolders: t.bigint().notNull(),
    toTreasury: t.bigint().notNull(),
    holderClaimed: t.bigint().notNull(),
    contributorReleased: t.bigint().notNull(),
    treasuryReleased: t.bigint().notNull(),
    /** Set aside out of payments into this derivative (or passed up through it) for its parents (`ParentPaid`). */
    paidToParents: t.bigint().notNull(),
    /**
     * What this model's derivatives set aside for it and it keeps (its `ParentPaid` cut less what it passes up to its
     * own parents), and how much of that was collected into its split (a `Deposited` from the vault itself): the vault's
     * `fromDerivatives` total, and pending = fromDerivatives - derivativeCollected.
     */
    fromDerivatives: t.bigint().notNull(),
    derivativeCollected: t.bigint().notNull(),
    /** Secondary-sale royalties swept from the model's royalty receiver into its revenue (`RoyaltiesCollected`). */
    royaltiesCollected: t.bigint().notNull(),
    /** Holder revenue that unlocked while nobody outside the treasury held fractions (`UnlockedToTreasury`). */
    unlockedToTreasury: t.bigint().notNull(),
    /**
     * Holder revenue still locked at block `lockedBlock` (time `lockedAt`), unlocking linearly until `unlockEnd`, as
     * the last `HolderRevenueUnlocking` said (the vault's `unlocking` view at that block; later it has unlocked more).
     */
    locked: t.bigint().notNull(),
    unlockEnd: t.bigint().notNull(),
    lockedAt: t.bigint().notNull(),
    lockedBlock: t.bigint().notNull(),
    deposits: t.integer().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.token] }) }),
);

/** Per model, payment token and account: holder revenue claimed, contributor revenue and treasury cuts released. */
export const revenueAccount = onchainTable(
  "revenue_account",
  (t) => ({
    modelId: t.bigint().notNull(),
    token: t.hex().notNull(),
    account: t.hex().notNull(),
    deposited: t.bigint().notNull(),
    holderClaimed: t.bigint().notNull(),
    contributorReleased: t.bigint().notNull(),
    treasuryReleased: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.modelId, table.token, table.account] }),
    accountIndex: index().on(table.account),
  }),
);

/** Every deposit, as it was split. */
export const deposit = onchainTable(
  "deposit",
  (t) => ({
    id: t.text().primaryKey(),
    modelId: t.bigint().notNull(),
    token: t.hex().notNull(),
    from: t.hex().notNull(),
    amount: t.bigint().notNull(),
    toContributors: t.bigint().notNull(),
    toHolders: t.bigint().notNull(),
    toTreasury: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ modelIndex: index().on(table.modelId) }),
);

/** The model's current contributors (`ContributorsSet` replaces the whole set). */
export const contributor = onchainTable(
  "contributor",
  (t) => ({
    modelId: t.bigint().notNull(),
    account: t.hex().notNull(),
    shares: t.bigint().notNull(),
    epoch: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.account] }) }),
);

/** Tokens a model accepts (allowed now) or accepted (`PaymentTokenSet`). */
export const paymentToken = onchainTable(
  "payment_token",
  (t) => ({
    modelId: t.bigint().notNull(),
    token: t.hex().notNull(),
    allowed: t.boolean().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.token] }) }),
);

// ---------------------------------------------------------------------------------------------------------------
// Raises and sales (Raises, FractionSales): the same fold as client/funding-replay.ts
// ---------------------------------------------------------------------------------------------------------------

/** A presale of a model's fractions (and licence seats), its terms from `RaiseOpened`, its totals from the rest. */
export const raise = onchainTable(
  "raise",
  (t) => ({
    id: t.bigint().primaryKey(),
    modelId: t.bigint().notNull(),
    token: t.hex().notNull(),
    price: t.bigint().notNull(),
    goal: t.bigint().notNull(),
    cap: t.bigint().notNull(),
    accountCap: t.bigint().notNull(),
    opensAt: t.bigint().notNull(),
    closesAt: t.bigint().notNull(),
    allowlistRoot: t.hex().notNull(),
    termsHash: t.hex().notNull(),
    termsURI: t.text().notNull(),
    /** Basis points of the money released per milestone. */
    tranches: t.bigint().array().notNull(),
    seatPrice: t.bigint().notNull(),
    seats: t.bigint().notNull(),
    accessDeadline: t.bigint().notNull(),
    committed: t.bigint().notNull(),
    seatsSold: t.bigint().notNull(),
    finalized: t.boolean().notNull(),
    cancelled: t.boolean().notNull(),
    /** Null until finalized (or when cancelled). */
    succeeded: t.boolean(),
    tranchesReleased: t.bigint().notNull(),
    milestoneFailed: t.boolean().notNull(),
    milestoneRefund: t.bigint().notNull(),
    accessOfferId: t.bigint().notNull(),
    /** Money in, refunded, released to the treasury, and paid for delivered seats. */
    inflow: t.bigint().notNull(),
    refunded: t.bigint().notNull(),
    released: t.bigint().notNull(),
    paidForSeats: t.bigint().notNull(),
    backerCount: t.integer().notNull(),
    openedAt: t.bigint().notNull(),
  }),
  (table) => ({ modelIndex: index().on(table.modelId) }),
);

/** One backer's position in a raise. */
export const backing = onchainTable(
  "backing",
  (t) => ({
    raiseId: t.bigint().notNull(),
    backer: t.hex().notNull(),
    fractions: t.bigint().notNull(),
    seats: t.bigint().notNull(),
    acceptedTerms: t.boolean().notNull(),
    claimed: t.boolean().notNull(),
    claimedFractions: t.bigint().notNull(),
    seatsDelivered: t.boolean().notNull(),
    /** Fee-on-transfer remainders plus what delivered seats cost below the seat price. */
    surplus: t.bigint().notNull(),
    refunded: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.raiseId, table.backer] }), backerIndex: index().on(table.backer) }),
);

/** A primary sale of a treasury's fractions (a linear price from startPrice to endPrice). */
export const sale = onchainTable(
  "sale",
  (t) => ({
    id: t.bigint().primaryKey(),
    modelId: t.bigint().notNull(),
    token: t.hex().notNull(),
    startPrice: t.bigint().notNull(),
    endPrice: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    startsAt: t.bigint().notNull(),
    endsAt: t.bigint().notNull(),
    sold: t.bigint().notNull(),
    proceeds: t.bigint().notNull(),
    stopped: t.boolean().notNull(),
  }),
  (table) => ({ modelIndex: index().on(table.modelId) }),
);

export const salePurchase = onchainTable("sale_purchase", (t) => ({
  id: t.text().primaryKey(),
  saleId: t.bigint().notNull(),
  buyer: t.hex().notNull(),
  to: t.hex().notNull(),
  amount: t.bigint().notNull(),
  price: t.bigint().notNull(),
  paid: t.bigint().notNull(),
  blockNumber: t.bigint().notNull(),
}));

// ---------------------------------------------------------------------------------------------------------------
// Lineage (ModelLineage.DerivativeRegistered) and reviews (LicenseeReviewResolver on EAS)
// ---------------------------------------------------------------------------------------------------------------

/**
 * A derivative model: who registered it, its depth and routes (computed as the registry does: one generation below
 * its deepest parent, one ancestor credit per parent plus that parent's own), what its parents take together, and
 * the least it must charge for a licence.
 */
export const derivative = onchainTable("derivative", (t) => ({
  modelId: t.bigint().primaryKey(),
  registrant: t.hex().notNull(),
  depth: t.bigint().notNull(),
  routes: t.bigint().notNull(),
  parentShareBps: t.bigint().notNull(),
  minPriceToken: t.hex().notNull(),
  minPrice: t.bigint().notNull(),
  registeredAt: t.bigint().notNull(),
}));

/** One parent of a derivative: the licence it was registered through and the parent's share of its revenue. */
export const lineageParent = onchainTable(
  "lineage_parent",
  (t) => ({
    modelId: t.bigint().notNull(),
    parentId: t.bigint().notNull(),
    licenceId: t.bigint().notNull(),
    shareBps: t.bigint().notNull(),
    /** Its place among the derivative's parents (as `parentsOf` lists them). */
    position: t.integer().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.modelId, table.parentId] }),
    parentIndex: index().on(table.parentId),
  }),
);

/**
 * A licensee's review (an EAS attestation under the review schema, accepted by its resolver). The text and URI are
 * in the attestation's data on EAS (`getAttestation(uid)`); the resolver's event carries the rating.
 */
export const review = onchainTable(
  "review",
  (t) => ({
    uid: t.hex().primaryKey(),
    modelId: t.bigint().notNull(),
    licenceId: t.bigint().notNull(),
    attester: t.hex().notNull(),
    rating: t.integer().notNull(),
    /** The review's text and document URI, from the attestation's data on EAS. */
    text: t.text().notNull(),
    reviewURI: t.text().notNull(),
    revoked: t.boolean().notNull(),
    createdAt: t.bigint().notNull(),
    revokedAt: t.bigint(),
  }),
  (table) => ({ modelIndex: index().on(table.modelId) }),
);

/** Evaluators a model's treasury named to attest provenance (`ProvenanceResolver.EvaluatorSet`). */
export const evaluator = onchainTable(
  "evaluator",
  (t) => ({
    modelId: t.bigint().notNull(),
    account: t.hex().notNull(),
    allowed: t.boolean().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.account] }) }),
);

/**
 * Provenance and evaluation attestations on a model version (`ProvenanceAttested`), revoked when EAS says so
 * (its `Revoked` under the provenance schema). The URI is in the attestation's data on EAS.
 */
export const provenance = onchainTable(
  "provenance",
  (t) => ({
    uid: t.hex().primaryKey(),
    modelId: t.bigint().notNull(),
    manifestHash: t.hex().notNull(),
    attester: t.hex().notNull(),
    kind: t.text().notNull(),
    /** The claim's document URI, from the attestation's data on EAS. */
    uri: t.text().notNull(),
    revoked: t.boolean().notNull(),
    createdAt: t.bigint().notNull(),
    revokedAt: t.bigint(),
  }),
  (table) => ({ modelIndex: index().on(table.modelId) }),
);

// ---------------------------------------------------------------------------------------------------------------
// Relations (GraphQL nesting)
// ---------------------------------------------------------------------------------------------------------------

export const modelRelations = relations(model, ({ many }) => ({
  holders: many(balance),
  proposals: many(proposal),
  offers: many(offer),
  licences: many(licence),
  revenue: many(revenue),
  raises: many(raise),
  sales: many(sale),
  parents: many(lineageParent, { relationName: "derivative" }),
  children: many(lineageParent, { relationName: "parent" }),
  reviews: many(review),
  provenance: many(provenance),
}));
export const balanceRelations = relations(balance, ({ one }) => ({
  model: one(model, { fields: [balance.modelId], references: [model.id] }),
}));
export const proposalRelations = relations(proposal, ({ one, many }) => ({
  model: one(model, { fields: [proposal.modelId], references: [model.id] }),
  votes: many(vote),
}));
export const voteRelations = relations(vote, ({ one }) => ({
  proposal: one(proposal, {
    fields: [vote.modelId, vote.proposalId],
    references: [proposal.modelId, proposal.proposalId],
  }),
}));
export const offerRelations = relations(offer, ({ one }) => ({
  model: one(model, { fields: [offer.modelId], references: [model.id] }),
}));
export const licenceRelations = relations(licence, ({ one }) => ({
  model: one(model, { fields: [licence.modelId], references: [model.id] }),
  terms: one(terms, { fields: [licence.termsId], references: [terms.id] }),
}));
export const revenueRelations = relations(revenue, ({ one }) => ({
  model: one(model, { fields: [revenue.modelId], references: [model.id] }),
}));
export const raiseRelations = relations(raise, ({ one, many }) => ({
  model: one(model, { fields: [raise.modelId], references: [model.id] }),
  backings: many(backing),
}));
export const backingRelations = relations(backing, ({ one }) => ({
  raise: one(raise, { fields: [backing.raiseId], references: [raise.id] }),
}));
export const saleRelations = relations(sale, ({ one }) => ({
  model: one(model, { fields: [sale.modelId], references: [model.id] }),
}));
export const lineageParentRelations = relations(lineageParent, ({ one }) => ({
  model: one(model, { fields: [lineageParent.modelId], references: [model.id], relationName: "derivative" }),
  parent: one(model, { fields: [lineageParent.parentId], references: [model.id], relationName: "parent" }),
}));
export const reviewRelations = relations(review, ({ one }) => ({
  model: one(model, { fields: [review.modelId], references: [model.id] }),
  licence: one(licence, { fields: [review.licenceId], references: [licence.id] }),
}));
export const provenanceRelations = relations(provenance, ({ one }) => ({
  model: one(model, { fields: [provenance.modelId], references: [model.id] }),
}));
