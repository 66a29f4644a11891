/**
 * A raise's allow-list tree (client/allowlist.ts): OpenZeppelin's standard leaf for an address, sorted-pair hashing,
 * a proof per listed account that verifies (and none for anyone else), the same root whatever the order of the
 * list, and the allow-list file's two shapes with errors naming the bad line. That the Raises contract's
 * `MerkleProof` accepts these proofs is checked end to end in test/tasks/raise.test.ts (an allow-listed raise).
 */
import { expect } from "chai";
import { AbiCoder, concat, getAddress, keccak256, Wallet } from "ethers";

import { allowlistLeaf, buildAllowlist, parseAllowlist, verifyAllowlistProof } from "../../client/allowlist.js";

/** Deterministic addresses: the first `n` of a fixed mnemonic-free sequence. */
const accounts = (n: number) =>
  Array.from({ length: n }, (_, i) => new Wallet(keccak256(`0x${(i + 1).toString(16).padStart(64, "0")}`)).address);

const pair = (a: string, b: string) => (BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a])));

describe("client/allowlist", function () {
  it("hashes an account to keccak256(bytes.concat(keccak256(abi.encode(account))))", function () {
    const [a] = accounts(1);
    const encoded = AbiCoder.defaultAbiCoder().encode(["address"], [a]);
    expect(allowlistLeaf(a)).to.equal(keccak256(keccak256(encoded)));
    expect(allowlistLeaf(a.toLowerCase())).to.equal(allowlistLeaf(a));
  });

  it("one account: the root is its leaf and its proof is empty", function () {
    const [a] = accounts(1);
    const list = buildAllowlist([a]);
    expect(list.root).to.equal(allowlistLeaf(a));
    expect(list.proof(a)).to.deep.equal([]);
    expect(verifyAllowlistProof(list.root, a, [])).to.equal(true);
  });

  it("two and three accounts: sorted-pair hashes of the leaves", function () {
    const [a, b, c] = accounts(3);
    expect(buildAllowlist([a, b]).root).to.equal(pair(allowlistLeaf(a), allowlistLeaf(b)));
    // Three leaves sorted by hash fill the flat tree from its end (the smallest last): the two smallest are
    // siblings, and the largest pairs with their parent.
    const [l0, l1, l2] = [a, b, c].map(allowlistLeaf).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    expect(buildAllowlist([c, a, b]).root).to.equal(pair(pair(l0, l1), l2));
  });

  it("every listed account's proof verifies, for itself only; anyone else has none", function () {
    for (const n of [2, 5, 8, 13]) {
      const listed = accounts(n + 1);
      const outsider = listed.pop()!;
      const list = buildAllowlist(listed);
      for (const account of listed) {
        const proof = list.proof(account)!;
        expect(proof.length, `${n} accounts`).to.be.at.most(Math.ceil(Math.log2(n)));
        expect(verifyAllowlistProof(list.root, account, proof)).to.equal(true);
        expect(verifyAllowlistProof(list.root, outsider, proof)).to.equal(false);
      }
      expect(list.proof(outsider)).to.equal(undefined);
      expect(list.proof("not an address")).to.equal(undefined);
    }
  });

  it("the root does not depend on the order or the case of the addresses", function () {
    const listed = accounts(6);
    const root = buildAllowlist(listed).root;
    expect(buildAllowlist([...listed].reverse()).root).to.equal(root);
    expect(buildAllowlist(listed.map((a) => a.toLowerCase())).root).to.equal(root);
    expect(buildAllowlist(listed).accounts).to.deep.equal(listed.map((a) => getAddress(a)));
  });

  it("refuses an empty list, an entry that is not an address, and an address listed twice", function () {
    const [a, b] = accounts(2);
    expect(() => buildAllowlist([])).to.throw("the allow-list is empty: expected at least one address");
    expect(() => buildAllowlist([a, "0x1234"])).to.throw('entry 2 ("0x1234") is not an address');
    expect(() => buildAllowlist([a, b, a.toLowerCase()])).to.throw(`entry 3 (${a}) is on the list twice`);
  });

  it("reads a file of one address a line (comments, blank lines) or a JSON array, naming a bad line", function () {
    const [a, b] = accounts(2);
    expect(parseAllowlist(`# backers\n${a}\n\n  ${b}  # lab B\n`)).to.deep.equal([a, b]);
    expect(parseAllowlist(JSON.stringify([a, b]))).to.deep.equal([a, b]);
    expect(() => parseAllowlist(`${a}\nalice.eth\n`)).to.throw('line 2 ("alice.eth") is not an address');
    expect(() => parseAllowlist(`[${JSON.stringify(a)}, 7]`)).to.throw("entry 2 (7) is not an address");
    expect(() => parseAllowlist("[1,")).to.throw("not valid JSON");
  });
});
