/**
 * Sign-in messages naming the web app's origin: a gateway allowing an origin (CORS) accepts it, exactly, as the
 * EIP-4361 domain and URI (so a wallet asked by the app's page sees the page's own domain); any other origin, every
 * look-alike of the allowed one (prefix, suffix, port, scheme, case, user info) and a domain/URI pair that mixes two
 * sites are refused with 401 problem+json naming what the message named; the gateway's own domain still signs in;
 * a used nonce is refused whichever origin the message names.
 */
import { expect } from "chai";
import hre from "hardhat";

import { DOMAIN, gatewayWorld, nonce, postSignIn, problemOf, siweMessage, type GatewayWorld } from "./fixture.js";

const APP_HOST = "app.weightshare.test";
const APP = `https://${APP_HOST}`;
const DEV_HOST = "127.0.0.1:5173";
const DEV = `http://${DEV_HOST}`;

type Overrides = Parameters<typeof siweMessage>[3];

describe("gateway/server: sign-in messages naming an allowed web origin", function () {
  this.timeout(120_000);
  let world: GatewayWorld;

  before(async function () {
    const connection = await hre.network.create();
    world = await gatewayWorld(connection, { gateway: { corsOrigins: [APP, DEV] } });
  });
  after(async function () {
    await world?.close();
  });

  /** Signs a message for `fields` as the licensee and posts it. */
  async function signInWith(fields: Overrides): Promise<{ response: Response; message: string }> {
    const message = siweMessage(world, world.licensee.address, await nonce(world), fields);
    return { response: await postSignIn(world, message, await world.licensee.signMessage(message)), message };
  }

  async function tokenWorks(response: Response): Promise<void> {
    expect(response.status).to.equal(200);
    const { token } = (await response.json()) as { token: string };
    const repo = await fetch(`${world.url}/api/models/weightshare/${world.modelId}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(repo.status).to.equal(200);
    await repo.arrayBuffer();
  }

  it("accepts an allowed app origin as domain and URI, and the token opens the repo", async function () {
    await tokenWorks((await signInWith({ domain: APP_HOST, uri: `${APP}/` })).response);
    await tokenWorks((await signInWith({ domain: DEV_HOST, uri: `${DEV}/#/models/1` })).response);
    await tokenWorks((await signInWith({ domain: APP_HOST, uri: `${APP}/login`, scheme: "https" })).response);
  });

  it("still accepts the gateway's own domain", async function () {
    await tokenWorks((await signInWith({})).response);
  });

  it("refuses an origin it does not allow, naming the message's domain", async function () {
    const { response } = await signInWith({ domain: "evil.example", uri: "https://evil.example/" });
    const body = await problemOf(response, 401);
    expect(body.detail).to.contain('domain "evil.example"').and.contain(DOMAIN);
  });

  it("refuses prefix, suffix, port and case look-alikes of an allowed origin's domain", async function () {
    const lookAlikes = [
      `${APP_HOST}.evil.example`,
      `evil${APP_HOST}`,
      `x.${APP_HOST}`,
      APP_HOST.slice(0, -1),
      `${APP_HOST}:443`,
      `${APP_HOST}:8443`,
      APP_HOST.toUpperCase(),
      "127.0.0.1",
      `${DEV_HOST}3`,
      "127.0.0.1:517",
      `${DOMAIN}.evil.example`,
    ];
    for (const domain of lookAlikes) {
      const { response } = await signInWith({ domain, uri: `https://${domain}/` });
      const body = await problemOf(response, 401);
      expect(body.detail, domain).to.contain(`domain "${domain}"`);
    }
  });

  it("refuses an allowed domain whose URI or scheme is another origin", async function () {
    const cases: [Overrides, string][] = [
      [{ domain: APP_HOST, uri: `${APP}.evil.example/` }, "evil.example"],
      [{ domain: APP_HOST, uri: `http://${APP_HOST}/` }, "is not on https://app.weightshare.test"],
      [{ domain: APP_HOST, uri: `${APP}:8443/` }, ":8443"],
      [{ domain: APP_HOST, uri: `https://${APP_HOST}@evil.example/` }, "@evil.example"],
      [{ domain: APP_HOST, uri: `https://user:pw@${APP_HOST}/` }, "user:pw@"],
      [{ domain: APP_HOST, uri: `${DEV}/` }, DEV],
      [{ domain: APP_HOST, uri: `http://${DOMAIN}/` }, DOMAIN],
      [{ domain: APP_HOST, uri: `${APP}/`, scheme: "http" }, 'scheme "http"'],
      [{ domain: DEV_HOST, uri: `${DEV}/`, scheme: "https" }, 'scheme "https"'],
      // The gateway's own domain with the app's URI mixes two sites too.
      [{ domain: DOMAIN, uri: `${APP}/` }, "is not on this gateway"],
    ];
    for (const [fields, words] of cases) {
      const { response } = await signInWith(fields);
      const body = await problemOf(response, 401);
      expect(body.detail, JSON.stringify(fields)).to.contain(words);
    }
  });

  it("refuses a replayed app-origin sign-in: the nonce is used up", async function () {
    const { response, message } = await signInWith({ domain: APP_HOST, uri: `${APP}/` });
    expect(response.status).to.equal(200);
    await response.arrayBuffer();
    const again = await postSignIn(world, message, await world.licensee.signMessage(message));
    const body = await problemOf(again, 401);
    expect(body.detail).to.contain("nonce");
  });

  it("keeps the chain check for an app-origin message", async function () {
    const { response } = await signInWith({ domain: APP_HOST, uri: `${APP}/`, chainId: 1 });
    const body = await problemOf(response, 401);
    expect(body.detail).to.contain("chain 1");
  });
});
