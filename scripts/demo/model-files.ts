/**
 * A small model directory as ML engineers have it, for the demo: a Hugging Face model card with front matter,
 * `config.json`, a tokenizer, and real `safetensors` weights (8-byte header length, JSON header, little-endian F32
 * tensor data), written into `dir`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** The safetensors bytes of `tensors` (name -> shape), filled with a deterministic pattern. */
export function safetensors(tensors: Record<string, number[]>): Buffer {
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  let offset = 0;
  for (const [name, shape] of Object.entries(tensors)) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]); // pad to 8 with spaces
  const data = Buffer.alloc(offset);
  for (let i = 0; i < offset / 4; i++) data.writeFloatLE(Math.sin(i) / 10, i * 4);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, data]);
}

/** Writes the Vision-7B demo model into `dir`; returns the relative paths written. */
export async function writeDemoModel(dir: string): Promise<string[]> {
  const files: Record<string, string | Buffer> = {
    "README.md": [
      "---",
      "license: other",
      "license_name: vision-7b-commercial-v1",
      "pipeline_tag: image-classification",
      "library_name: transformers",
      "tags: [vision, weightshare]",
      "---",
      "# Vision-7B",
      "",
      "An image classifier co-owned by three labs on Weightshare. Licensed access only.",
      "",
    ].join("\n"),
    "config.json": JSON.stringify({ model_type: "vit", hidden_size: 32, num_labels: 4 }, null, 2),
    "preprocessor_config.json": JSON.stringify({ image_size: 224, do_normalize: true }, null, 2),
    "model.safetensors": safetensors({
      "classifier.weight": [4, 32],
      "classifier.bias": [4],
      "embed.weight": [256, 32],
    }),
  };
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return Object.keys(files).sort();
}
