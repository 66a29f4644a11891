/** Weightshare governance tooling: proposal builders and their decoder (Tally and Snapshot integrations join here). */
export * from "./proposals.js";
export * from "./funding.js";
export * from "./attestations.js";
export * from "./lineage.js";
export * from "./decode.js";
