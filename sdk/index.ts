/**
 * Weightshare SDK: the one typed module that tests, tasks, the demo and the benchmark share.
 */
export * from "./deploy.js";
export * from "./format.js";
export * from "./protocol.js";
export * from "./receipts.js";
export * from "./lifecycle.js";
