/** Placeholder: every model, searchable (built by its owner). */
export function ModelsPage() {
  return <h1>Models</h1>;
}
