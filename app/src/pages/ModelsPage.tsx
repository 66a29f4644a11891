/** Every model the indexer knows, searchable by name and filtered by what a visitor can do with it. */
import { useState } from "react";
import { useBlock } from "wagmi";

import { cheapestOffers, raiseOpen, useModels } from "../data/models.ts";
import { ModelCard } from "./model/ModelCard.tsx";

type Lineage = "all" | "original" | "derivative";

/** The models page. */
export function ModelsPage() {
  const models = useModels();
  const block = useBlock({ watch: true });
  const [search, setSearch] = useState("");
  const [licences, setLicences] = useState(false);
  const [raising, setRaising] = useState(false);
  const [lineage, setLineage] = useState<Lineage>("all");
  // The chain's clock (a local chain may run ahead of the wall clock), else the wall clock.
  const now = block.data === undefined ? Math.floor(Date.now() / 1000) : Number(block.data.timestamp);

  const words = search.trim().toLowerCase();
  const shown = (models.data ?? [])
    .map((m) => ({ model: m, open: m.raises.items.some((r) => raiseOpen(r, now)) }))
    .filter(({ model, open }) => {
      const name = `${model.name ?? ""} ${model.symbol ?? ""} #${model.id}`.toLowerCase();
      if (words !== "" && !name.includes(words)) return false;
      if (licences && cheapestOffers(model).length === 0) return false;
      if (raising && !open) return false;
      const derivative = model.parents.totalCount > 0;
      if (lineage === "original" && derivative) return false;
      if (lineage === "derivative" && !derivative) return false;
      return true;
    });

  return (
    <>
      <h1>Models</h1>
      <form className="filters" role="search" aria-label="Find models" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="model-search">Search by name</label>
          <input
            id="model-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="e.g. Vision"
          />
        </div>
        <div>
          <label htmlFor="model-lineage">Lineage</label>
          <select id="model-lineage" value={lineage} onChange={(e) => setLineage(e.target.value as Lineage)}>
            <option value="all">Originals and derivatives</option>
            <option value="original">Originals only</option>
            <option value="derivative">Derivatives only</option>
          </select>
        </div>
        <div>
          <label>
            <input type="checkbox" checked={licences} onChange={(e) => setLicences(e.target.checked)} /> Sells licences
          </label>
          <label>
            <input type="checkbox" checked={raising} onChange={(e) => setRaising(e.target.checked)} /> Has an open raise
          </label>
        </div>
      </form>
      {models.isLoading && <p>Loading models…</p>}
      {models.isError && (
        <p role="alert" className="error">
          Could not load the models: {models.error.message}.
        </p>
      )}
      {models.data !== undefined && (
        <p role="status" aria-live="polite">
          {shown.length === models.data.length
            ? `${models.data.length} model${models.data.length === 1 ? "" : "s"}`
            : `${shown.length} of ${models.data.length} models match`}
        </p>
      )}
      <ul className="cards" aria-label="Models">
        {shown.map(({ model, open }) => (
          <ModelCard key={model.id} model={model} openRaise={open} />
        ))}
      </ul>
    </>
  );
}
