/** Weightshare governance tooling: proposal builders (Tally and Snapshot integrations join here). */
export * from "./proposals.js";
