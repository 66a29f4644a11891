/** Placeholder: built by the Model page's owner. */
export default function ModelPage(props: { modelId?: bigint }) {
  return <h1>Model {String(props.modelId ?? "")}</h1>;
}
