/** Placeholder: built by the Register page's owner. */
export default function RegisterPage(props: { modelId?: bigint }) {
  return <h1>Register {String(props.modelId ?? "")}</h1>;
}
