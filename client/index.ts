/**
 * Weightshare's Hardhat-free protocol client: deployments, typed contracts, usage receipts and reads, raises and
 * fraction sales (with their allow-lists and the events an indexer reads), reviews and provenance attestations on
 * EAS, and derivative models' lineage (with the events an indexer reads), over plain ethers. Shared by the gateway,
 * the indexer, the app, and (through sdk/) the Hardhat tasks, tests and demo.
 */
export * from "./deployment.ts";
export * from "./contracts.ts";
export * from "./receipts.ts";
export * from "./reads.ts";
export * from "./allowlist.ts";
export * from "./raises.ts";
export * from "./sales.ts";
export * from "./funding-events.ts";
export * from "./funding-replay.ts";
export * from "./attestations.ts";
export * from "./lineage.ts";
