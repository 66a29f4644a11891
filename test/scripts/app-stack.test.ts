/**
 * `npm run app`'s whole stack (scripts/app/stack.ts), started fresh for this file (the browser tests change the
 * stack they share, and this checks the state as seeded) and stopped after it: every part answers on loopback,
 * config.json names them,
 * the gateway lets the app's origin in, and each seeded account is in the state the stack reports, read from the
 * contracts, the indexer and the gateway. Light on purpose: the browser tests drive the app itself.
 */
import { expect } from "chai";
import { JsonRpcProvider, Network, Wallet, ZeroAddress } from "ethers";

import { connectProtocol, modelContracts } from "../../client/contracts.js";
import { raiseSummary } from "../../client/raises.js";
import { signIn } from "../../gateway/client/sign-in.js";
import { tinySafetensors } from "../../scripts/app/model-files.js";
import { startStack, type Stack } from "../../scripts/app/stack.js";

const STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"];

describe("npm run app's stack (hardhat node, seed, indexer, gateway, app)", function () {
  // Generous for a loaded 2-core machine; what is asserted is state, never time.
  this.timeout(900_000);
  let stack: Stack;
  let provider: JsonRpcProvider;

  before(async function () {
    stack = await startStack();
    const network = Network.from(stack.chainId);
    provider = new JsonRpcProvider(stack.rpcUrl, network, { staticNetwork: network });
  });

  after(async function () {
    provider?.destroy();
    await stack?.stop();
  });

  it("serves the app with a config.json naming the chain, the indexer, the gateway and the deployment", async function () {
    const page = await fetch(stack.appUrl);
    expect([page.status, page.headers.get("content-type")]).to.deep.equal([200, "text/html; charset=utf-8"]);
    const config = (await (await fetch(`${stack.appUrl}/config.json`)).json()) as Record<string, unknown>;
    expect(config).to.deep.include({
      chainId: 31337,
      rpcUrl: stack.rpcUrl,
      indexerUrl: stack.indexerUrl,
      gatewayUrl: stack.gatewayUrl,
    });
    expect(config.deployment).to.deep.equal(stack.deployment);
    // fetch resolves `..` before sending; raw hostile paths are test/scripts/app-static-server.test.ts's job. What
    // a browser can ask for outside app/dist is not there.
    const outside = await fetch(`${stack.appUrl}/%2e%2e/package.json`);
    expect([outside.status, outside.headers.get("content-type")]).to.deep.equal([404, "application/problem+json"]);
  });

  it("lets the app's origin call the gateway (CORS), and no other origin", async function () {
    const preflight = (origin: string) =>
      fetch(`${stack.gatewayUrl}/auth/nonce`, {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": "GET" },
      });
    expect((await preflight(stack.appUrl)).headers.get("access-control-allow-origin")).to.equal(stack.appUrl);
    expect((await preflight("http://127.0.0.1:1")).headers.get("access-control-allow-origin")).to.equal(null);
  });

  it("has seeded every account in the state it reports, as the contracts say", async function () {
    const a = stack.accounts;
    const { vault, licenses, registry } = connectProtocol(stack.deployment, provider);
    const raises = connectProtocol(stack.deployment, provider).raises!;
    expect(await vault.claimable(1n, ZeroAddress, a.consortium.address)).to.be.greaterThan(0n);
    expect(await vault.releasable(1n, ZeroAddress, a.contributor.address)).to.be.greaterThan(0n);
    expect(await vault.releasable(1n, ZeroAddress, a.coContributor.address)).to.be.greaterThan(0n);
    expect(await licenses.hasAccess(1n, a.licensee.address)).to.equal(false);
    expect(await licenses.balanceOf(a.licensee.address)).to.equal(0n);
    expect(await licenses.hasAccess(1n, a.customer.address)).to.equal(true);
    expect(await provider.getBalance(a.licensee.address)).to.be.greaterThan(10n ** 18n);

    const vision = await modelContracts(registry, 1n, provider);
    const proposalId = BigInt(stack.seed.activeProposal.proposalId);
    expect(STATES[Number(await vision.governor.state(proposalId))]).to.equal("Active");
    expect(await vision.governor.hasVoted(proposalId, a.consortium.address)).to.equal(false);
    expect(await vision.governor.hasVoted(proposalId, a.member.address)).to.equal(true);
    expect(await vision.votes.getVotes(a.consortium.address)).to.equal(600n);

    const raise = await raiseSummary(raises, BigInt(stack.seed.raise.id));
    expect([raise.status, raise.terms.modelId]).to.deep.equal(["Open", 2n]);
    expect((await raises.backing(1n, a.backer.address)).fractions).to.equal(0n);
  });

  it("has indexed the chain's head: four models, model 4 a derivative of model 1, and the review", async function () {
    const query = `{ models(orderBy: "id", orderDirection: "asc") { items { id name } }
      derivatives { items { modelId } } lineageParents { items { modelId parentId } }
      reviews { items { modelId rating } } }`;
    const response = await fetch(`${stack.indexerUrl}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query }),
    });
    const { data } = (await response.json()) as { data: Record<string, { items: Record<string, unknown>[] }> };
    expect(data.models.items.map((m) => m.name)).to.deep.equal(stack.seed.models.map((m) => m.name));
    expect(data.lineageParents.items).to.deep.equal([{ modelId: "4", parentId: "1" }]);
    expect(data.reviews.items).to.deep.equal([{ modelId: "1", rating: 5 }]);
  });

  it("lets a licensee download model 1's published weights through the gateway, and refuses the licensee without one", async function () {
    const url = `${stack.gatewayUrl}/weightshare/1/resolve/main/model.safetensors`;
    const customer = new Wallet(stack.accounts.customer.privateKey, provider);
    const session = await signIn(stack.gatewayUrl, customer);
    const file = await fetch(url, { headers: { Authorization: `Bearer ${session.token}` } });
    expect(file.status).to.equal(200);
    expect(Buffer.from(await file.arrayBuffer())).to.deep.equal(tinySafetensors("Vision-7B revision 2"));
    const licensee = await signIn(stack.gatewayUrl, new Wallet(stack.accounts.licensee.privateKey, provider));
    const refused = await fetch(url, { headers: { Authorization: `Bearer ${licensee.token}` } });
    expect(refused.status).to.equal(403);
  });
});
