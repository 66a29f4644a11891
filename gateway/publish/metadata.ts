/**
 * ERC-1155 metadata JSON of a published model version, as the EIP-1155 metadata JSON schema describes it (`name`,
 * `description`, optional `image`, free-form `properties`). The token URI the DAO votes on is `ipfs://<CID>` of
 * these bytes; `properties.manifest` points at the version's manifest, which lists every encrypted file.
 */
import { canonicalJson, type Manifest } from "./manifest.ts";
import type { CardFields, ModelCard } from "./model-card.ts";

/** Format label recorded in `properties.format`. */
export const METADATA_FORMAT = "weightshare/metadata/v1";

/** The ERC-1155 metadata of one model version. */
export interface ModelMetadata {
  name: string;
  description: string;
  image?: string;
  properties: {
    format: typeof METADATA_FORMAT;
    /** `ipfs://<manifest CID>`. */
    manifest: string;
    chainId: string;
    modelId: string;
    version: number;
    /** Number of files and their total plaintext size in bytes. */
    files: number;
    totalSize: number;
    /** Manifest CID of the previous version, when any. */
    previous?: string;
  } & CardFields; // the model card's fields, when the card has them
}

/** What `buildMetadata` takes besides the manifest. */
export interface MetadataInput {
  manifest: Manifest;
  manifestCid: string;
  /** The model card, when the directory has one. */
  card?: ModelCard;
  /** Override the card's title / summary. */
  name?: string;
  description?: string;
  /** An image URI (the card's `thumbnail` field when a string, else none). */
  image?: string;
}

/** Builds the metadata of a version: name and description from the options, else the model card, else defaults. */
export function buildMetadata(input: MetadataInput): ModelMetadata {
  const { manifest, card } = input;
  const name = input.name?.trim() || card?.title || `Model #${manifest.modelId}`;
  const description =
    input.description?.trim() || card?.summary || `Version ${manifest.version} of model #${manifest.modelId}.`;
  const thumbnail = card?.frontMatter.thumbnail;
  const image = input.image ?? (typeof thumbnail === "string" ? thumbnail : undefined);
  return {
    name,
    description,
    ...(image ? { image } : {}),
    properties: {
      format: METADATA_FORMAT,
      manifest: `ipfs://${input.manifestCid}`,
      chainId: manifest.chainId,
      modelId: manifest.modelId,
      version: manifest.version,
      files: manifest.files.length,
      totalSize: manifest.files.reduce((sum, f) => sum + f.size, 0),
      ...(manifest.previous ? { previous: manifest.previous } : {}),
      ...(card?.license ? { license: card.license } : {}),
      ...(card?.licenseName ? { licenseName: card.licenseName } : {}),
      ...(card?.pipelineTag ? { pipelineTag: card.pipelineTag } : {}),
      ...(card?.libraryName ? { libraryName: card.libraryName } : {}),
      ...(card?.tags ? { tags: card.tags } : {}),
      ...(card?.baseModel ? { baseModel: card.baseModel } : {}),
      ...(card?.language ? { language: card.language } : {}),
      ...(card?.datasets ? { datasets: card.datasets } : {}),
      ...(card?.metrics ? { metrics: card.metrics } : {}),
    },
  };
}

/** The metadata's stored bytes: UTF-8 canonical JSON. */
export function metadataBytes(metadata: ModelMetadata): Uint8Array {
  return new TextEncoder().encode(canonicalJson(metadata));
}
