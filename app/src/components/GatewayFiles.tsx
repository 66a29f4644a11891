/**
 * A model's published files through the gateway: sign in (one wallet signature, no transaction), the files of the
 * version adopted on chain with a Download button each, and why not when the account has no access, in the
 * gateway's own words. Without a wallet it says to connect one; without a gateway in the configuration, that files
 * are not served here.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useAccount } from "wagmi";

import { useAppConfig } from "../context.tsx";
import { shortAddress } from "../format.ts";
import { downloadFile, GatewayProblem, listModelFiles, saveBlob, type GatewayFile } from "../gateway/api.ts";
import { useGatewaySession } from "../gateway/session.ts";

export interface GatewayFilesProps {
  modelId: bigint;
}

/** Bytes as B / KB / MB / GB (powers of 1,024, one decimal). */
function formatSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** What a refusal means for the person reading the page, then the gateway's own detail. */
function explain(error: unknown, account: string, modelId: bigint): { lead: string; detail?: string } {
  if ((error as { code?: unknown })?.code === 4001) {
    return { lead: "You declined the signature in your wallet, so nothing was signed. Sign in again when ready." };
  }
  if (!(error instanceof GatewayProblem)) {
    const message = (error as { shortMessage?: string; message?: string })?.shortMessage ?? String(error);
    return { lead: `Something went wrong: ${message.split("\n")[0]}` };
  }
  const lead: Record<string, string> = {
    "licence-required": `Your account ${shortAddress(account)} has no live licence of model #${modelId} and holds none of its fractions, so the gateway will not serve its files. Buy or renew a licence on this page, then try again.`,
    "repo-not-found": `No version of model #${modelId} has been published through this gateway yet.`,
    "revision-not-found": `Model #${modelId} has published files, but its owners have not adopted a version on chain yet.`,
    "token-invalid": "Your gateway sign-in is no longer valid: sign in again.",
    "token-missing": "Sign in to the gateway first.",
    "rate-limited": "The gateway is busy serving this account: wait a moment and try again.",
  };
  if (error.status === 0) return { lead: error.detail };
  return { lead: lead[error.kind] ?? `The gateway refused: ${error.title}.`, detail: error.detail };
}

function Problem({ error, account, modelId }: { error: unknown; account: string; modelId: bigint }) {
  const { lead, detail } = explain(error, account, modelId);
  return (
    <div role="alert" className="error">
      <p>{lead}</p>
      {detail !== undefined && <p className="muted">The gateway said: {detail}</p>}
    </div>
  );
}

/** The files of model `modelId`'s adopted version, downloadable by an account with access. */
export function GatewayFiles({ modelId }: GatewayFilesProps) {
  const { gatewayUrl } = useAppConfig();
  const { address, isConnected } = useAccount();
  const { session, signIn, signingIn, forget } = useGatewaySession();
  const [signInError, setSignInError] = useState<unknown>();
  const [downloading, setDownloading] = useState<string>();
  const [downloadError, setDownloadError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  const files = useQuery({
    queryKey: ["gateway-files", gatewayUrl, session?.address, session?.token, modelId.toString()],
    queryFn: () => listModelFiles(gatewayUrl!, session!, modelId),
    enabled: gatewayUrl !== undefined && session !== undefined,
    retry: false,
  });
  // A token the gateway no longer accepts (its secret changed, it expired early) is dropped: sign in again.
  const refused = files.error instanceof GatewayProblem && files.error.status === 401;
  useEffect(() => {
    if (refused) forget();
  }, [refused, forget]);

  if (gatewayUrl === undefined) {
    return <p>This deployment runs no gateway, so model files are not served here.</p>;
  }
  if (!isConnected || address === undefined) {
    return <p>Connect a wallet to see this model&apos;s files and download them with your licence.</p>;
  }
  if (session === undefined) {
    return (
      <div className="gateway-sign-in">
        <p>
          Sign in to the gateway to see this model&apos;s files: your wallet signs a message proving you own{" "}
          {shortAddress(address)}. It is free and sends no transaction.
        </p>
        <button
          type="button"
          disabled={signingIn}
          onClick={() => {
            setSignInError(undefined);
            signIn().catch(setSignInError);
          }}
        >
          {signingIn ? "Waiting for your wallet…" : "Sign in to download"}
        </button>
        {signInError !== undefined && <Problem error={signInError} account={address} modelId={modelId} />}
      </div>
    );
  }

  const download = async (file: GatewayFile, commit: string) => {
    setDownloading(file.path);
    setDownloadError(undefined);
    setSaved(undefined);
    try {
      saveBlob(await downloadFile(gatewayUrl, session, modelId, commit, file.path), file.path);
      setSaved(file.path);
    } catch (error) {
      if (error instanceof GatewayProblem && error.status === 401) forget();
      setDownloadError(error);
    } finally {
      setDownloading(undefined);
    }
  };

  if (files.isPending) return <p role="status">Loading the model&apos;s files…</p>;
  if (files.isError) return <Problem error={files.error} account={address} modelId={modelId} />;
  const { version, commit, files: list } = files.data;
  return (
    <div className="gateway-files">
      <p>
        Version {version} (commit <code>{commit.slice(0, 12)}</code>), {list.length} file
        {list.length === 1 ? "" : "s"}:
      </p>
      <ul>
        {list.map((file) => (
          <li key={file.path}>
            <code>{file.path}</code> ({formatSize(file.size)}){" "}
            <button
              type="button"
              disabled={downloading !== undefined}
              aria-label={`Download ${file.path}`}
              onClick={() => void download(file, commit)}
            >
              {downloading === file.path ? "Downloading…" : "Download"}
            </button>
          </li>
        ))}
      </ul>
      <div role="status" aria-live="polite">
        {saved !== undefined && <p className="ok">Saved {saved.split("/").pop()}.</p>}
      </div>
      {downloadError !== undefined && <Problem error={downloadError} account={address} modelId={modelId} />}
    </div>
  );
}
