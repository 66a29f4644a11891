/**
 * The accounts `npm run app` seeds and what the seeding reports: shared by the seed (run under Hardhat) and the
 * stack (plain Node), so this file imports nothing.
 */

/** The seeded roles, by their index among the node's accounts (Hardhat's default test mnemonic). */
export const ROLE_INDEX = {
  deployer: 0,
  consortium: 1,
  member: 2,
  contributor: 3,
  coContributor: 4,
  licensee: 5,
  backer: 6,
  customer: 7,
  builder: 8,
} as const;

/** A seeded role's name. */
export type Role = keyof typeof ROLE_INDEX;

/** What the seeding left on chain, for the stack to report. */
export interface SeedResult {
  chainId: number;
  /** The deployment record (client/deployment.ts). */
  deployment: {
    shares: string;
    registry: string;
    vault: string;
    licenses: string;
    meter: string;
    raises?: string;
    sales?: string;
    lineage?: string;
    eas?: string;
    reviewResolver?: string;
    provenanceResolver?: string;
    reviewSchema?: string;
    provenanceSchema?: string;
  };
  /** The chain's head once seeded. */
  head: number;
  addresses: Record<Role, string>;
  models: { id: number; name: string; metadataURI: string }[];
  /** Model 1's Active proposal (member voted For, consortium has not voted). */
  activeProposal: { modelId: number; proposalId: string; description: string };
  /** Model 2's open raise. */
  raise: { id: number; modelId: number; price: string };
  /** Model 1's ETH licence offer (the one `licensee` can buy) and its derivative offer; price in wei. */
  offers: { licence: number; derivative: number; price: string };
  /** What each role holds, in words. */
  holds: Record<Role, string>;
}
