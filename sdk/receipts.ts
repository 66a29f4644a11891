/** EIP-712 usage receipts: moved to the Hardhat-free client (client/receipts.ts); re-exported for existing imports. */
export * from "../client/receipts.js";
