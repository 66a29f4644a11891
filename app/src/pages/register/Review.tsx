/** The wizard's review step: everything the registration will do, in words, before the one transaction. */
import { formatDuration } from "../../../../sdk/format.ts";
import { shortAddress } from "../../format.ts";
import type { checkAll } from "./draft.ts";

export type Checked = Awaited<ReturnType<typeof checkAll>>;

/** The lines TxButton previews. */
export function summaryLines(c: Checked): string[] {
  const r = c.registration;
  const g = r.governance;
  return [
    `register model "${r.name}" (${r.symbol})${r.metadataURI === "" ? " with no metadata yet" : ` with metadata ${r.metadataURI}`}`,
    `mint ${supply(c)} fractions: ${r.members.map((m) => `${m.amount} to ${shortAddress(m.account)}`).join(", ")}`,
    `create its governor (proposing needs ${g.proposalThreshold} votes, quorum ${g.quorumNumerator}%) and its treasury (a timelock, ${formatDuration(g.timelockDelay, true)} delay)`,
  ];
}

function supply(c: Checked): bigint {
  return c.registration.members.reduce((s, m) => s + m.amount, 0n);
}

/** The registration as a list of facts and a table of members. */
export function Review({ checked }: { checked: Checked }) {
  const r = checked.registration;
  const g = r.governance;
  return (
    <>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{r.name}</dd>
        <dt>Symbol</dt>
        <dd>{r.symbol}</dd>
        <dt>Metadata URI</dt>
        <dd>{r.metadataURI === "" ? "none" : <code>{r.metadataURI}</code>}</dd>
        <dt>Content hash</dt>
        <dd>
          <code>{r.contentHash}</code>
        </dd>
        <dt>Fractions</dt>
        <dd>{String(supply(checked))}</dd>
      </dl>
      <h3>First holders</h3>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Fractions</th>
            </tr>
          </thead>
          <tbody>
            {r.members.map((m) => (
              <tr key={m.account}>
                <td>
                  <code>{m.account}</code>
                </td>
                <td>{String(m.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Governance</h3>
      <dl className="facts">
        <dt>Voting delay</dt>
        <dd>{formatDuration(g.votingDelay, true)}</dd>
        <dt>Voting period</dt>
        <dd>{formatDuration(g.votingPeriod, true)}</dd>
        <dt>Proposal threshold</dt>
        <dd>{String(g.proposalThreshold)} votes</dd>
        <dt>Quorum</dt>
        <dd>{String(g.quorumNumerator)}%</dd>
        <dt>Late-quorum extension</dt>
        <dd>{formatDuration(g.lateQuorumExtension, true)}</dd>
        <dt>Timelock delay</dt>
        <dd>{formatDuration(g.timelockDelay, true)}</dd>
        <dt>Guardian</dt>
        <dd>{/^0x0+$/.test(g.guardian) ? "none" : <code>{g.guardian}</code>}</dd>
      </dl>
    </>
  );
}
