/**
 * The seeded models' files for `npm run app`: a tiny Hugging Face style model directory per model (a README model
 * card with front matter, a config and a small but valid safetensors file), written the same way every run so the
 * story is deterministic apart from the encryption's random keys.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** What a seeded model's card says. */
export interface TinyModel {
  name: string;
  summary: string;
  license: string;
  pipelineTag: string;
  tags: string[];
  /** The card's base_model (a derivative names its parent). */
  baseModel?: string;
  /** Bumped for a new version of the same model (changes the weights and the card). */
  revision?: number;
}

/** A safetensors file holding one float32 tensor `weight` of shape [rows, 4], its values derived from `seed`. */
export function tinySafetensors(seed: string, rows = 16): Buffer {
  const values = Buffer.alloc(rows * 4 * 4);
  let block = createHash("sha256").update(seed).digest();
  for (let i = 0; i < rows * 4; i++) {
    if (i % 8 === 0 && i > 0) block = createHash("sha256").update(block).digest();
    values.writeFloatLE((block.readUInt32LE((i % 8) * 4) / 0xffffffff) * 2 - 1, i * 4);
  }
  const header = JSON.stringify({
    __metadata__: { format: "pt" },
    weight: { dtype: "F32", shape: [rows, 4], data_offsets: [0, values.length] },
  });
  // The header is padded with spaces to a multiple of 8 bytes, as the format recommends.
  const padded = header.padEnd(Math.ceil(header.length / 8) * 8, " ");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(padded.length));
  return Buffer.concat([length, Buffer.from(padded, "utf8"), values]);
}

/** Writes `model`'s directory under `parent` and returns its path. */
export async function writeTinyModel(parent: string, model: TinyModel): Promise<string> {
  const revision = model.revision ?? 1;
  const dir = path.join(parent, `${model.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-v${revision}`);
  await mkdir(dir, { recursive: true });
  const frontMatter = [
    "---",
    `license: ${model.license}`,
    `pipeline_tag: ${model.pipelineTag}`,
    "library_name: safetensors",
    `tags: [${model.tags.join(", ")}]`,
    ...(model.baseModel === undefined ? [] : [`base_model: ${model.baseModel}`]),
    "---",
  ];
  const card = [
    ...frontMatter,
    "",
    `# ${model.name}`,
    "",
    model.summary,
    "",
    "## Files",
    "",
    "- `model.safetensors`: the weights (a small demonstration tensor).",
    "- `config.json`: the architecture.",
    "",
    `Revision ${revision}. Seeded by \`npm run app\` on a local chain.`,
    "",
  ].join("\n");
  await writeFile(path.join(dir, "README.md"), card);
  const config = { model_type: "weightshare-demo", hidden_size: 4, revision };
  await writeFile(path.join(dir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
  await writeFile(path.join(dir, "model.safetensors"), tinySafetensors(`${model.name} revision ${revision}`));
  return dir;
}
