/** The top of a model's page: its name, model card summary and the facts about its ownership and governance. */
import { formatTime, shortAddress } from "../../format.ts";
import type { ModelDetail, ModelMetadata } from "../../data/models.ts";

function Address({ value }: { value: string | null }) {
  if (value === null) return <>unknown</>;
  return (
    <span className="mono" title={value}>
      {shortAddress(value)}
    </span>
  );
}

/** The overview: h1, summary, facts. */
export function Overview({ model, metadata }: { model: ModelDetail; metadata?: ModelMetadata }) {
  const name = model.name || metadata?.name || `Model #${model.id}`;
  const tags = Array.isArray(metadata?.properties.tags) ? (metadata.properties.tags as unknown[]).map(String) : [];
  const text = (key: string) =>
    typeof metadata?.properties[key] === "string" ? (metadata.properties[key] as string) : undefined;
  return (
    <section aria-labelledby="model-name">
      <h1 id="model-name">{name}</h1>
      {metadata?.description ? <p>{metadata.description}</p> : <p className="muted">No model card summary.</p>}
      <dl className="facts">
        <dt>Model</dt>
        <dd>
          #{model.id}
          {model.symbol ? ` (fractions: ${model.symbol})` : ""}
        </dd>
        {text("pipelineTag") && (
          <>
            <dt>Task</dt>
            <dd>{text("pipelineTag")}</dd>
          </>
        )}
        {text("license") && (
          <>
            <dt>Card licence</dt>
            <dd>{text("license")}</dd>
          </>
        )}
        {tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd>{tags.join(", ")}</dd>
          </>
        )}
        <dt>Holders</dt>
        <dd>
          {model.holderCount} holding {model.totalSupply} fractions
        </dd>
        <dt>Creator</dt>
        <dd>
          <Address value={model.creator} />
        </dd>
        <dt>Treasury</dt>
        <dd>
          <Address value={model.timelock} />
        </dd>
        <dt>Governor</dt>
        <dd>
          <Address value={model.governor} />
        </dd>
        <dt>Registered</dt>
        <dd>{formatTime(model.createdAt)}</dd>
      </dl>
    </section>
  );
}
