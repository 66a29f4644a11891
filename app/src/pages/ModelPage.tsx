/**
 * A model's page: overview, files and versions, licences (buy, renew), proposals (vote), revenue split and
 * contributors, lineage and reviews, each a section component under ./model/. Reading needs no wallet.
 */
import { metadataUriOf, useMetadata, useModel } from "../data/models.ts";
import { href } from "../router.ts";
import { Lineage } from "./model/Lineage.tsx";
import { Offers } from "./model/Offers.tsx";
import { Overview } from "./model/Overview.tsx";
import { Proposals } from "./model/Proposals.tsx";
import { Revenue } from "./model/Revenue.tsx";
import { Reviews } from "./model/Reviews.tsx";
import { Versions } from "./model/Versions.tsx";

/** The model page for `modelId`. */
export default function ModelPage({ modelId }: { modelId: bigint }) {
  const query = useModel(modelId);
  const model = query.data?.model ?? undefined;
  const metadataUri = model === undefined ? undefined : metadataUriOf(model);
  const metadata = useMetadata(metadataUri);
  if (query.isLoading) return <p>Loading model #{String(modelId)}…</p>;
  if (query.isError) {
    return (
      <>
        <h1>Model #{String(modelId)}</h1>
        <p role="alert" className="error">
          Could not load the model: {query.error.message}.
        </p>
      </>
    );
  }
  if (model === undefined) {
    return (
      <>
        <h1>Model #{String(modelId)} not found</h1>
        <p>
          The indexer knows no model #{String(modelId)}. <a href={href({ page: "models" })}>See all models</a>.
        </p>
      </>
    );
  }
  const name = model.name || metadata.data?.name || `Model #${model.id}`;
  return (
    <>
      <Overview model={model} metadata={metadata.data} />
      <Versions
        modelId={modelId}
        metadataUri={metadataUri}
        metadata={metadata.data}
        metadataError={metadata.isError ? metadata.error.message : undefined}
        contentHash={model.contentHash}
      />
      <Offers modelId={modelId} name={name} />
      <Proposals modelId={modelId} governor={model.governor} timelock={model.timelock} />
      <Revenue modelId={modelId} split={model} />
      <Lineage modelId={modelId} />
      <Reviews modelId={modelId} />
    </>
  );
}
