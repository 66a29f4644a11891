/** Placeholder: built by the Raises page's owner. */
export default function RaisesPage(props: { modelId?: bigint }) {
  return <h1>Raises {String(props.modelId ?? "")}</h1>;
}
