/**
 * One model in the models list: its name and model card summary (from its ERC-1155 metadata on IPFS, when the
 * gateway serves it), its cheapest licence, holders and revenue to date, linking to its page.
 */
import { cheapestOffers, metadataUriOf, useMetadata, type ModelSummary } from "../../data/models.ts";
import { href } from "../../router.ts";
import { Amount } from "./Amount.tsx";

/** The model's card; `openRaise` says whether it has a raise open now. */
export function ModelCard({ model, openRaise }: { model: ModelSummary; openRaise: boolean }) {
  const metadata = useMetadata(metadataUriOf(model));
  const name = model.name || metadata.data?.name || `Model #${model.id}`;
  const cheapest = cheapestOffers(model);
  const revenue = model.revenue.items.filter((r) => BigInt(r.deposited) > 0n);
  return (
    <li className="card">
      <h2>
        <a href={href({ page: "model", modelId: BigInt(model.id) })}>{name}</a>
      </h2>
      <p className="muted">
        Model #{model.id}
        {model.symbol ? ` · ${model.symbol}` : ""}
        {model.parents.totalCount > 0 ? " · Derivative" : " · Original"}
        {openRaise ? " · Raise open" : ""}
      </p>
      <Summary
        description={metadata.data?.description}
        loading={metadata.isLoading}
        failed={metadata.isError}
        hasUri={metadataUriOf(model) !== undefined}
      />
      <dl className="facts">
        <dt>Licence</dt>
        <dd>
          {cheapest.length === 0
            ? "Not on sale"
            : cheapest.map((c, i) => (
                <span key={c.token}>
                  {i > 0 && " or "}from <Amount value={c.price} token={c.token} />
                </span>
              ))}
        </dd>
        <dt>Holders</dt>
        <dd>{model.holderCount}</dd>
        <dt>Revenue to date</dt>
        <dd>
          {revenue.length === 0
            ? "None yet"
            : revenue.map((r, i) => (
                <span key={r.token}>
                  {i > 0 && ", "}
                  <Amount value={r.deposited} token={r.token} />
                </span>
              ))}
        </dd>
      </dl>
    </li>
  );
}

function Summary(props: { description?: string; loading: boolean; failed: boolean; hasUri: boolean }) {
  if (props.description) return <p>{props.description}</p>;
  if (props.loading) return <p className="muted">Loading the model card…</p>;
  if (props.failed) return <p className="muted">The model card could not be fetched from IPFS.</p>;
  return <p className="muted">{props.hasUri ? "No model card summary." : "No model card published."}</p>;
}
