/** Tally: the ABI it reads, an event indexer rebuilding its view of a model, and its GraphQL API client. */
export * from "./abi.js";
export * from "./client.js";
export * from "./indexer.js";
