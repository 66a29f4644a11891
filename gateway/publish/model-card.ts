/**
 * Reads a Hugging Face model card (`README.md`): the YAML front matter between `---` lines (license, tags,
 * base_model, pipeline_tag, library_name, language, datasets, metrics, ...) and, as fallbacks for the model's name
 * and description, the first Markdown heading and the first paragraph after the front matter. A card without front
 * matter works; malformed YAML is an error naming the file.
 */
import { readFile } from "node:fs/promises";

import { parse as parseYaml } from "yaml";

/** The Hugging Face model card fields carried into the ERC-1155 metadata, when the card has them. */
export interface CardFields {
  license?: string;
  licenseName?: string;
  pipelineTag?: string;
  libraryName?: string;
  tags?: string[];
  baseModel?: string[];
  language?: string[];
  datasets?: string[];
  metrics?: string[];
}

/** What the publisher takes from a model card. List fields are always arrays of strings when present. */
export interface ModelCard extends CardFields {
  /** First `# heading` of the body, when any. */
  title?: string;
  /** First paragraph of the body (plain text, at most 1000 characters), when any. */
  summary?: string;
  /** The front matter as parsed (every field, for callers that need more). */
  frontMatter: Record<string, unknown>;
}

const SCALARS = {
  license: "license",
  license_name: "licenseName",
  pipeline_tag: "pipelineTag",
  library_name: "libraryName",
} as const;
const LISTS = {
  tags: "tags",
  base_model: "baseModel",
  language: "language",
  datasets: "datasets",
  metrics: "metrics",
} as const;

/** Reads and parses `file` (a model card); see `parseModelCard`. */
export async function readModelCard(file: string): Promise<ModelCard> {
  return parseModelCard(await readFile(file, "utf8"), file);
}

/**
 * Parses the text of a model card. `source` names it in errors.
 * Front matter must open on the first line with `---` and close with a line `---` (or `...`).
 */
export function parseModelCard(text: string, source = "README.md"): ModelCard {
  const normalized = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let body = normalized;
  let frontMatter: Record<string, unknown> = {};
  const match = /^---\n([\s\S]*?)\n?(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(normalized);
  if (match) {
    body = normalized.slice(match[0].length);
    let parsed: unknown;
    try {
      parsed = parseYaml(match[1]);
    } catch (error) {
      throw new Error(`${source}: the YAML front matter does not parse: ${(error as Error).message.split("\n")[0]}`);
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new Error(`${source}: the YAML front matter must be a mapping of fields, got a ${typeof parsed}`);
      }
      frontMatter = parsed as Record<string, unknown>;
    }
  }
  const card: ModelCard = { frontMatter };
  for (const [key, field] of Object.entries(SCALARS)) {
    const value = frontMatter[key];
    if (typeof value === "string" || typeof value === "number") card[field] = String(value);
  }
  for (const [key, field] of Object.entries(LISTS)) {
    const list = stringList(frontMatter[key]);
    if (list.length > 0) card[field] = list;
  }
  const { title, summary } = titleAndSummary(body);
  if (title) card.title = title;
  if (summary) card.summary = summary;
  return card;
}

function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.filter((item) => typeof item === "string" || typeof item === "number").map(String);
}

function titleAndSummary(body: string): { title?: string; summary?: string } {
  const lines = body.split("\n");
  let title: string | undefined;
  const paragraph: string[] = [];
  let inFence = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith("```") || line.startsWith("~~~")) {
      inFence = !inFence;
      if (paragraph.length > 0) break;
      continue;
    }
    if (inFence) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (heading) {
      if (paragraph.length > 0) break;
      title ??= plain(heading[1]);
      continue;
    }
    if (line === "") {
      if (paragraph.length > 0) break;
      continue;
    }
    if (/^(<!--|[-*_]{3,}$|\||!\[|<img)/.test(line)) continue;
    paragraph.push(line);
  }
  const summary = plain(paragraph.join(" ")).slice(0, 1000);
  return { title: title || undefined, summary: summary || undefined };
}

/** Markdown inline syntax removed: links keep their text, emphasis and code marks go. */
function plain(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
