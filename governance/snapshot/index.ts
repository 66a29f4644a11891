/** Snapshot signalling for a model: space settings, signed proposals and votes, scores and results. */
export * from "./capture-server.js";
export * from "./client.js";
export * from "./scores.js";
export * from "./sequencer.js";
export * from "./space.js";
