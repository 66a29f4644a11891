/** Placeholder: built by the Account page's owner. */
export default function AccountPage(props: { modelId?: bigint }) {
  return <h1>Account {String(props.modelId ?? "")}</h1>;
}
