/**
 * Weightshare SDK: the one typed module that tests, tasks, the demo and the benchmark share: the Hardhat-free client
 * (client/) plus what needs Hardhat (deploying, registering models, driving governance on a simulated chain).
 */
export * from "../client/index.js";
export * from "./deploy.js";
export * from "./format.js";
export * from "./protocol.js";
export * from "./receipts.js";
export * from "./lifecycle.js";
export { publish, type PublishOptions, type PublishResult } from "../gateway/publish/publish.js";
