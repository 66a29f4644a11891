/**
 * A model's lineage: the parents it derives from (each with its share of this model's revenue and the licence it
 * was registered through) and the derivatives registered on it, each linking to its page.
 */
import { useIndexer } from "../../data/indexer.ts";
import { formatBps } from "../../format.ts";
import { href } from "../../router.ts";
import { Amount } from "./Amount.tsx";
import { TableWrap } from "./TableWrap.tsx";

interface ParentRow {
  parentId: string;
  licenceId: string;
  shareBps: string;
  parent: { name: string | null } | null;
}
interface ChildRow {
  modelId: string;
  shareBps: string;
  model: { name: string | null } | null;
}
interface LineageData {
  parents: { items: ParentRow[] };
  children: { items: ChildRow[] };
  derivative: { depth: string; minPrice: string; minPriceToken: string; parentShareBps: string } | null;
}

const LINEAGE = `query Lineage($id: BigInt!) {
  parents: lineageParents(where: { modelId: $id }, orderBy: "position", orderDirection: "asc", limit: 10) {
    items { parentId licenceId shareBps parent { name } }
  }
  children: lineageParents(where: { parentId: $id }, orderBy: "modelId", orderDirection: "asc", limit: 1000) {
    items { modelId shareBps model { name } }
  }
  derivative(modelId: $id) { depth minPrice minPriceToken parentShareBps }
}`;

function ModelLink({ id, name }: { id: string; name?: string | null }) {
  return <a href={href({ page: "model", modelId: BigInt(id) })}>{name || `Model #${id}`}</a>;
}

/** The lineage section. */
export function Lineage({ modelId }: { modelId: bigint }) {
  const data = useIndexer<LineageData>(["lineage", String(modelId)], LINEAGE, { id: String(modelId) });
  const parents = data.data?.parents.items ?? [];
  const children = data.data?.children.items ?? [];
  const d = data.data?.derivative;
  return (
    <section aria-labelledby="lineage">
      <h2 id="lineage">Lineage</h2>
      {data.isError && <p className="error">Could not load the lineage: {data.error.message}.</p>}
      <h3>Parents</h3>
      {parents.length === 0 ? (
        <p>An original model: it derives from no registered model.</p>
      ) : (
        <>
          {d && (
            <p>
              A derivative, {d.depth} generation{d.depth === "1" ? "" : "s"} down: its parents take{" "}
              {formatBps(d.parentShareBps)} of its revenue
              {d.minPrice !== "0" && (
                <>
                  , and its licences cost at least <Amount value={d.minPrice} token={d.minPriceToken} />
                </>
              )}
              .
            </p>
          )}
          <TableWrap label="Parents">
            <table>
              <thead>
                <tr>
                  <th scope="col">Parent</th>
                  <th scope="col">Share of this model&apos;s revenue</th>
                  <th scope="col">Through licence</th>
                </tr>
              </thead>
              <tbody>
                {parents.map((p) => (
                  <tr key={p.parentId}>
                    <td>
                      <ModelLink id={p.parentId} name={p.parent?.name} />
                    </td>
                    <td>{formatBps(p.shareBps)}</td>
                    <td>#{p.licenceId}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      <h3>Derivatives</h3>
      {children.length === 0 ? (
        <p>No derivatives registered on this model.</p>
      ) : (
        <TableWrap label="Derivatives">
          <table>
            <thead>
              <tr>
                <th scope="col">Derivative</th>
                <th scope="col">This model&apos;s share of its revenue</th>
              </tr>
            </thead>
            <tbody>
              {children.map((c) => (
                <tr key={c.modelId}>
                  <td>
                    <ModelLink id={c.modelId} name={c.model?.name} />
                  </td>
                  <td>{formatBps(c.shareBps)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
