/**
 * Hugging Face model cards (issue #12, gateway/publish/model-card.ts): front matter fields, title and first
 * paragraph fallbacks, cards without front matter, malformed YAML named.
 */
import { expect } from "chai";

import { parseModelCard } from "../../../gateway/publish/model-card.js";
import { MODEL_CARD } from "./helpers.js";

describe("gateway/publish/model-card", function () {
  it("reads the front matter's fields and the first heading and paragraph", function () {
    const card = parseModelCard(MODEL_CARD);
    expect(card).to.deep.include({
      title: "Tiny Test Model",
      summary: "A tiny model for tests, fine-tuned from org/base-7b.",
      license: "apache-2.0",
      libraryName: "transformers",
      pipelineTag: "text-generation",
      baseModel: ["org/base-7b"],
      language: ["en", "fr"],
      tags: ["weightshare", "tiny"],
      datasets: ["org/corpus"],
    });
    expect(card.frontMatter.license).to.equal("apache-2.0");
  });

  it("works without front matter, with CRLF line ends, and skips badges and code before the paragraph", function () {
    const text =
      "# My Model\r\n\r\n![badge](https://x/b.svg)\r\n```\r\ncode\r\n```\r\nFirst line\r\nsecond line.\r\n\r\nMore.";
    const card = parseModelCard(text);
    expect(card.title).to.equal("My Model");
    expect(card.summary).to.equal("First line second line.");
    expect(card.license).to.equal(undefined);
    expect(card.frontMatter).to.deep.equal({});
  });

  it("accepts empty front matter and an empty card", function () {
    expect(parseModelCard("---\n---\n").frontMatter).to.deep.equal({});
    expect(parseModelCard("")).to.deep.equal({ frontMatter: {} });
  });

  it("names the file when the YAML does not parse or is not a mapping", function () {
    expect(() => parseModelCard("---\nlicense: [unclosed\n---\n", "model/README.md")).to.throw(
      "model/README.md: the YAML front matter does not parse",
    );
    expect(() => parseModelCard("---\n- a\n- b\n---\n", "README.md")).to.throw("must be a mapping");
  });
});
