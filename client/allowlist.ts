/**
 * A raise's allow-list as the Raises contract checks it: an OpenZeppelin `MerkleProof` tree (sorted-pair keccak256)
 * whose leaves are `keccak256(bytes.concat(keccak256(abi.encode(account))))`, the leaf of OpenZeppelin's "standard"
 * Merkle tree for one `address` value (hashed twice so no leaf can pass for an inner node). The tree is laid out as
 * that standard tree lays it out (leaves sorted by hash, stored from the end of a flat array, each node the sorted
 * pair hash of its two children), so its root is the one `@openzeppelin/merkle-tree` computes for the same
 * addresses, and its proofs verify with `MerkleProof.verify`. Hardhat-free: plain ethers.
 */
import { AbiCoder, concat, getAddress, isAddress, keccak256 } from "ethers";

/** The leaf of `account`: keccak256(bytes.concat(keccak256(abi.encode(account)))). */
export function allowlistLeaf(account: string): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["address"], [account])));
}

/** keccak256 of the two hashes in ascending order (OpenZeppelin's commutative `Hashes.commutativeKeccak256`). */
function hashPair(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

export interface Allowlist {
  /** The root to put in the raise's terms (`allowlistRoot`). */
  root: string;
  /** The accounts, checksummed, in the order given. */
  accounts: string[];
  /** The proof `commit` takes for `account`, or undefined when it is not on the list. */
  proof(account: string): string[] | undefined;
}

/**
 * The tree of `accounts` (addresses, any case). Throws an Error naming the first entry that is not an address or is
 * there twice, or saying the list is empty.
 */
export function buildAllowlist(accounts: readonly string[]): Allowlist {
  if (accounts.length === 0) throw new Error("the allow-list is empty: expected at least one address");
  const checked: string[] = [];
  const seen = new Set<string>();
  for (const [i, value] of accounts.entries()) {
    if (!isAddress(value)) throw new Error(`entry ${i + 1} ("${value}") is not an address`);
    const account = getAddress(value);
    if (seen.has(account)) throw new Error(`entry ${i + 1} (${account}) is on the list twice`);
    seen.add(account);
    checked.push(account);
  }
  const leaves = checked.map((account) => ({ account, hash: allowlistLeaf(account) }));
  leaves.sort((a, b) => (BigInt(a.hash) < BigInt(b.hash) ? -1 : BigInt(a.hash) > BigInt(b.hash) ? 1 : 0));
  // A flat complete binary tree: node i has children 2i+1 and 2i+2; the leaves fill the end, the first leaf last.
  const tree: string[] = new Array<string>(2 * leaves.length - 1);
  const position = new Map<string, number>();
  for (const [i, leaf] of leaves.entries()) {
    tree[tree.length - 1 - i] = leaf.hash;
    position.set(leaf.account, tree.length - 1 - i);
  }
  for (let i = tree.length - 1 - leaves.length; i >= 0; i--) tree[i] = hashPair(tree[2 * i + 1], tree[2 * i + 2]);
  return {
    root: tree[0],
    accounts: checked,
    proof(account: string): string[] | undefined {
      if (!isAddress(account)) return undefined;
      let i = position.get(getAddress(account));
      if (i === undefined) return undefined;
      const proof: string[] = [];
      while (i > 0) {
        proof.push(tree[i % 2 === 0 ? i - 1 : i + 1]);
        i = Math.floor((i - 1) / 2);
      }
      return proof;
    },
  };
}

/** Whether `proof` shows `account` in the tree of `root` (what `MerkleProof.verify` computes). */
export function verifyAllowlistProof(root: string, account: string, proof: readonly string[]): boolean {
  let hash = allowlistLeaf(account);
  for (const sibling of proof) hash = hashPair(hash, sibling);
  return hash.toLowerCase() === root.toLowerCase();
}

/**
 * The addresses of an allow-list file: a JSON array of addresses, or one address per line (blank lines and text
 * after `#` are ignored). Throws an Error naming the line (or the JSON entry) that is not an address.
 */
export function parseAllowlist(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    let list: unknown;
    try {
      list = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(list)) throw new Error("expected a JSON array of addresses");
    return list.map((value, i) => {
      if (typeof value !== "string" || !isAddress(value)) {
        throw new Error(`entry ${i + 1} (${JSON.stringify(value)}) is not an address`);
      }
      return value;
    });
  }
  const accounts: string[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const value = line.replace(/#.*$/, "").trim();
    if (value === "") continue;
    if (!isAddress(value)) throw new Error(`line ${i + 1} ("${value}") is not an address`);
    accounts.push(value);
  }
  return accounts;
}
