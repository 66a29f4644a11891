/**
 * A model's published files and versions: the manifest its metadata points at (through the gateway's `/ipfs/`
 * route), checked against the content hash on chain, the versions before it (each manifest's `previous`), and the
 * download links of the gateway (GatewayFiles), and publishing a new version through it (PublishVersion).
 */
import { GatewayFiles } from "../../components/GatewayFiles.tsx";
import { useAppConfig } from "../../context.tsx";
import { ipfsCid, useVersions, type ModelMetadata } from "../../data/models.ts";
import { PublishVersion } from "./PublishVersion.tsx";
import { TableWrap } from "./TableWrap.tsx";

/** Bytes as B / KB / MB / GB (binary). */
export function formatSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export interface VersionsProps {
  modelId: bigint;
  metadataUri?: string;
  metadata?: ModelMetadata;
  metadataError?: string;
  /** The content hash on chain (keccak256 of the current manifest's bytes), or null. */
  contentHash: string | null;
}

/** The files and versions section. */
export function Versions({ modelId, metadataUri, metadata, metadataError, contentHash }: VersionsProps) {
  const { gatewayUrl } = useAppConfig();
  const manifestUri = typeof metadata?.properties.manifest === "string" ? metadata.properties.manifest : undefined;
  const versions = useVersions(manifestUri);
  const current = versions.data?.[0];
  const matches = current !== undefined && contentHash !== null && current.contentHash === contentHash.toLowerCase();
  return (
    <section aria-labelledby="files">
      <h2 id="files">Files and versions</h2>
      <dl className="facts">
        <dt>Metadata</dt>
        <dd className="mono">{metadataUri ?? "none published"}</dd>
        <dt>Content hash</dt>
        <dd className="mono">{contentHash ?? "none"}</dd>
        {manifestUri !== undefined && (
          <>
            <dt>Manifest</dt>
            <dd className="mono">{manifestUri}</dd>
          </>
        )}
      </dl>
      {gatewayUrl === undefined && <p>No gateway is configured, so the files cannot be listed here.</p>}
      {gatewayUrl !== undefined && metadataUri !== undefined && ipfsCid(metadataUri) === undefined && (
        <p>The metadata is not on IPFS, so the gateway cannot list its files.</p>
      )}
      {metadataError !== undefined && <p className="warn">The metadata could not be fetched: {metadataError}.</p>}
      {versions.isError && <p className="warn">The manifest could not be fetched: {versions.error.message}.</p>}
      {current !== undefined && (
        <>
          <p className={matches ? "ok" : "warn"}>
            {matches
              ? `Version ${current.version}: its manifest matches the content hash on chain.`
              : `Version ${current.version}: its manifest does not match the content hash on chain.`}
          </p>
          <h3>Files of version {current.version}</h3>
          <TableWrap label="Files">
            <table>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Size</th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {current.files.map((f) => (
                  <tr key={f.path}>
                    <td className="mono">{f.path}</td>
                    <td>{formatSize(f.size)}</td>
                    <td className="mono" title={f.sha256}>
                      {f.sha256.slice(0, 12)}…
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <h3>Versions</h3>
          <TableWrap label="Versions">
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Files</th>
                  <th scope="col">Manifest</th>
                </tr>
              </thead>
              <tbody>
                {versions.data!.map((v) => (
                  <tr key={v.cid}>
                    <td>
                      {v.version}
                      {v === current ? " (current)" : ""}
                    </td>
                    <td>
                      {v.files.length} ({formatSize(v.files.reduce((sum, f) => sum + f.size, 0))})
                    </td>
                    <td className="mono">{v.cid}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      <h3>Download</h3>
      <GatewayFiles modelId={modelId} />
      {gatewayUrl !== undefined && (
        <>
          <h3>Publish a new version</h3>
          <PublishVersion modelId={modelId} />
        </>
      )}
    </section>
  );
}
