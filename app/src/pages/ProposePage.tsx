/** Placeholder: built by the Propose page's owner. */
export default function ProposePage(props: { modelId?: bigint }) {
  return <h1>Propose {String(props.modelId ?? "")}</h1>;
}
