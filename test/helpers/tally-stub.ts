/**
 * A loopback stand-in for Tally's GraphQL API that serves the hand-written fixtures in test/fixtures/tally (each
 * says so) and checks what the API requires of a request: POST, JSON, the `Api-Key` header, the operation with its
 * input type, and the CAIP-10 governor id. `governor` chooses which governor id it knows.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { governorId } from "../../governance/tally/index.js";

export const KEY = "test-key-not-secret";
export const GOVERNOR = governorId(11155111n, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
export const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/tally/${name}.json`, import.meta.url), "utf8");

export interface Seen {
  headers: Record<string, string | string[] | undefined>;
  body: { query: string; variables: { input: Record<string, unknown> } };
}

export async function tallyStub(governor = GOVERNOR): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Seen["body"];
      seen.push({ headers: req.headers, body });
      const send = (status: number, text: string) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(text);
      };
      if (req.method !== "POST" || req.headers["content-type"] !== "application/json") return send(400, "{}");
      if (req.headers["api-key"] !== KEY) {
        return send(401, JSON.stringify({ errors: [{ message: "invalid api key" }], data: null }));
      }
      const input = body.variables.input;
      if (/^query Governor\(\$input: GovernorInput!\)/.test(body.query)) {
        return send(200, fixture(input.id === governor ? "governor" : "unknown-governor"));
      }
      const filters = input.filters as { governorId?: string } | undefined;
      if (filters?.governorId !== governor) return send(200, JSON.stringify({ errors: [{ message: "bad filter" }] }));
      if (/^query Proposals\(\$input: ProposalsInput!\)/.test(body.query)) return send(200, fixture("proposals"));
      if (/^query Delegates\(\$input: DelegatesInput!\)/.test(body.query)) return send(200, fixture("delegates"));
      send(200, JSON.stringify({ errors: [{ message: "unknown operation" }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/query`, seen, server };
}
