/**
 * Publish a version through the gateway, on the model page's "Files and versions": pick files or a folder, sign in
 * to the gateway (one signature, no transaction) and upload; the gateway encrypts and catalogues them as the next
 * version and answers its metadata URI and content hash; then propose adopting it (AdoptVersion). Only the model's
 * creator or an account with enough votes to propose may publish: the gateway's refusals are explained here.
 */
import { useState } from "react";
import { useAccount } from "wagmi";

import { useAppConfig } from "../../context.tsx";
import { shortAddress } from "../../format.ts";
import { GatewayProblem } from "../../gateway/api.ts";
import { pickFiles, publishVersion, type PickedFile, type PublishedVersion } from "../../gateway/publish.ts";
import { useGatewaySession } from "../../gateway/session.ts";
import { AdoptVersion } from "./AdoptVersion.tsx";
import { formatSize } from "./Versions.tsx";

/** What a refusal means for the person publishing, then the gateway's own detail. */
function explain(error: unknown, account: string, modelId: bigint): { lead: string; detail?: string } {
  if ((error as { code?: unknown })?.code === 4001) {
    return { lead: "You declined the signature in your wallet, so nothing was uploaded. Publish again when ready." };
  }
  if (!(error instanceof GatewayProblem)) {
    const message = (error as { shortMessage?: string; message?: string })?.shortMessage ?? String(error);
    return { lead: `Something went wrong: ${message.split("\n")[0]}` };
  }
  if (error.status === 0) return { lead: error.detail };
  const lead: Record<number, string> = {
    400: "The gateway refused these files, so nothing was published. Fix or leave out the file it names:",
    401: "Your gateway sign-in is no longer valid: press Publish again to sign in anew.",
    403: `Your account ${shortAddress(account)} may not publish versions of model #${modelId}: only the model's creator or an account holding at least its proposal threshold of votes may. Ask holders to delegate their votes to you, or ask the creator.`,
    404: `Model #${modelId} is not registered on the gateway's chain.`,
    409: "Someone published a version of this model at the same moment: press Publish again.",
    413: "These files are too large to publish through the gateway, so nothing was published; publish large models with ws publish on the gateway's host.",
    429: "The gateway is busy serving this account: wait a moment and try again.",
  };
  return { lead: lead[error.status] ?? `The gateway refused: ${error.title}.`, detail: error.detail };
}

/** The "Publish a new version" panel of model `modelId`. */
export function PublishVersion({ modelId }: { modelId: bigint }) {
  const { gatewayUrl } = useAppConfig();
  const { address, isConnected } = useAccount();
  const { session, signIn, forget } = useGatewaySession();
  const [picked, setPicked] = useState<{ picked: PickedFile[]; skipped: string[] }>({ picked: [], skipped: [] });
  const [busy, setBusy] = useState<"" | "signing" | "uploading">("");
  const [error, setError] = useState<unknown>();
  const [published, setPublished] = useState<PublishedVersion>();

  if (gatewayUrl === undefined) return null;
  if (!isConnected || address === undefined) {
    return <p>Connect a wallet to publish a new version of this model through the gateway.</p>;
  }
  const total = picked.picked.reduce((sum, f) => sum + f.file.size, 0);

  const onPick = (files: FileList | null) => {
    setPicked(pickFiles(files === null ? [] : [...files]));
    setError(undefined);
  };

  const onPublish = async () => {
    setError(undefined);
    setPublished(undefined);
    try {
      let current = session;
      if (current === undefined) {
        setBusy("signing");
        current = await signIn();
      }
      setBusy("uploading");
      setPublished(await publishVersion(gatewayUrl, current, modelId, picked.picked));
    } catch (e) {
      if (e instanceof GatewayProblem && e.status === 401) forget();
      setError(e);
    } finally {
      setBusy("");
    }
  };

  const problem = error === undefined ? undefined : explain(error, address, modelId);
  return (
    <div className="panel">
      <p>
        Upload the files of a new version (a model card <code>README.md</code>, weights, configuration). The gateway
        encrypts them and records them as the next version; holders then vote to adopt it, and until they do, the
        current version stays the one served.
      </p>
      <label htmlFor="publish-files">Files</label>
      <input id="publish-files" type="file" multiple onChange={(e) => onPick(e.target.files)} />
      <label htmlFor="publish-folder">Or a folder</label>
      <input
        id="publish-folder"
        type="file"
        multiple
        ref={(el) => el?.setAttribute("webkitdirectory", "")}
        onChange={(e) => onPick(e.target.files)}
      />
      {picked.picked.length > 0 && (
        <>
          <p>
            {picked.picked.length} {picked.picked.length === 1 ? "file" : "files"}, {formatSize(total)}:
          </p>
          <ul className="mono">
            {picked.picked.map((f) => (
              <li key={f.path}>
                {f.path} ({formatSize(f.file.size)})
              </li>
            ))}
          </ul>
        </>
      )}
      {picked.skipped.length > 0 && (
        <p className="muted">Left out (hidden files are never published): {picked.skipped.join(", ")}</p>
      )}
      <button type="button" disabled={picked.picked.length === 0 || busy !== ""} onClick={() => void onPublish()}>
        {busy === "signing"
          ? "Waiting for your wallet…"
          : busy === "uploading"
            ? "Publishing…"
            : session === undefined
              ? "Sign in and publish"
              : "Publish"}
      </button>
      <div aria-live="polite">
        {problem !== undefined && (
          <div role="alert" className="error">
            <p>{problem.lead}</p>
            {problem.detail !== undefined && <p className="muted">The gateway said: {problem.detail}</p>}
          </div>
        )}
        {published !== undefined && (
          <div>
            <p className="ok">
              Version {published.version} is published through the gateway, but not adopted yet: the current version is
              still the one served until holders adopt this one.
            </p>
            <dl className="facts">
              <dt>Metadata URI</dt>
              <dd className="mono">{published.metadataURI}</dd>
              <dt>Content hash</dt>
              <dd className="mono">{published.contentHash}</dd>
              <dt>Revision</dt>
              <dd className="mono">{published.commit}</dd>
            </dl>
          </div>
        )}
      </div>
      {published !== undefined && <AdoptVersion modelId={modelId} published={published} account={address} />}
    </div>
  );
}
