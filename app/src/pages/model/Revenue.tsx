/**
 * How a model's revenue is split (contributors, holders, treasury), who the contributors are and what each one's
 * shares give them, and what came in per payment token and how it went out.
 */
import { useIndexer } from "../../data/indexer.ts";
import { formatBps, shortAddress } from "../../format.ts";
import { Amount } from "./Amount.tsx";
import { TableWrap } from "./TableWrap.tsx";

interface RevenueRow {
  token: string;
  deposited: string;
  toContributors: string;
  toHolders: string;
  toTreasury: string;
  holderClaimed: string;
  contributorReleased: string;
  paidToParents: string;
  deposits: number;
}

const REVENUE = `query Revenue($id: BigInt!) {
  contributors(where: { modelId: $id }, orderBy: "shares", orderDirection: "desc", limit: 1000) {
    items { account shares }
  }
  revenues(where: { modelId: $id }, limit: 100) {
    items {
      token deposited toContributors toHolders toTreasury holderClaimed contributorReleased paidToParents deposits
    }
  }
}`;

/** The split as the model's row has it (null until the DAO sets one). */
export interface Split {
  contributorsBps: string | null;
  holdersBps: string | null;
  treasuryBps: string | null;
}

/** The revenue section. */
export function Revenue({ modelId, split }: { modelId: bigint; split: Split }) {
  const data = useIndexer<{
    contributors: { items: { account: string; shares: string }[] };
    revenues: { items: RevenueRow[] };
  }>(["revenue", String(modelId)], REVENUE, { id: String(modelId) });
  const contributors = data.data?.contributors.items ?? [];
  const totalShares = contributors.reduce((sum, c) => sum + BigInt(c.shares), 0n);
  const revenues = data.data?.revenues.items ?? [];
  return (
    <section aria-labelledby="revenue">
      <h2 id="revenue">Revenue split and contributors</h2>
      {split.holdersBps === null ? (
        <p>No split set yet: every payment goes to the model&apos;s treasury until its holders vote one in.</p>
      ) : (
        <dl className="facts">
          <dt>Contributors</dt>
          <dd>{formatBps(split.contributorsBps ?? 0)}</dd>
          <dt>Holders</dt>
          <dd>{formatBps(split.holdersBps)}</dd>
          <dt>Treasury</dt>
          <dd>{formatBps(split.treasuryBps ?? 0)}</dd>
        </dl>
      )}
      {data.isError && <p className="error">Could not load the revenue: {data.error.message}.</p>}
      <h3>Contributors</h3>
      {contributors.length === 0 ? (
        <p>No contributors named.</p>
      ) : (
        <TableWrap label="Contributors">
          <table>
            <thead>
              <tr>
                <th scope="col">Contributor</th>
                <th scope="col">Shares</th>
                <th scope="col">Of the contributors&apos; cut</th>
              </tr>
            </thead>
            <tbody>
              {contributors.map((c) => (
                <tr key={c.account}>
                  <td className="mono" title={c.account}>
                    {shortAddress(c.account)}
                  </td>
                  <td>{c.shares}</td>
                  <td>{formatBps((BigInt(c.shares) * 10_000n) / (totalShares || 1n))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h3>Revenue to date</h3>
      {revenues.length === 0 ? (
        <p>No revenue yet.</p>
      ) : (
        <TableWrap label="Revenue to date">
          <table>
            <thead>
              <tr>
                <th scope="col">Paid in</th>
                <th scope="col">To holders (claimed)</th>
                <th scope="col">To contributors (released)</th>
                <th scope="col">To treasury</th>
                <th scope="col">To parent models</th>
              </tr>
            </thead>
            <tbody>
              {revenues.map((r) => (
                <tr key={r.token}>
                  <td>
                    <Amount value={r.deposited} token={r.token} /> in {r.deposits} payment{r.deposits === 1 ? "" : "s"}
                  </td>
                  <td>
                    <Amount value={r.toHolders} token={r.token} /> (<Amount value={r.holderClaimed} token={r.token} />)
                  </td>
                  <td>
                    <Amount value={r.toContributors} token={r.token} /> (
                    <Amount value={r.contributorReleased} token={r.token} />)
                  </td>
                  <td>
                    <Amount value={r.toTreasury} token={r.token} />
                  </td>
                  <td>
                    <Amount value={r.paidToParents} token={r.token} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
