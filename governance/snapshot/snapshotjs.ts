/**
 * snapshot.js, typed. Its CommonJS bundle sets `module.exports` to the library object, while its declarations
 * describe an ES default export; Node's ESM loader hands us the former. This reads whichever is present, once.
 */
import snapshotModule from "@snapshot-labs/snapshot.js";

type SnapshotJs = typeof snapshotModule.default;

export const snapshot: SnapshotJs =
  (snapshotModule as unknown as { default?: SnapshotJs }).default ?? (snapshotModule as unknown as SnapshotJs);
