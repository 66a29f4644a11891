/**
 * A document's content hash (keccak256 of its exact bytes), as `ws propose` computes it (tasks/lib/documents.ts): read
 * from the URI when this browser can fetch it, else from a file the user chose (the form hashes it), else the hash
 * given, which must match whatever could be read.
 */
import { keccak256 } from "viem";

import { bad, bytes32, type Named } from "./fields.ts";

/** keccak256 of a file the user chose. */
export async function fileHash(file: Blob): Promise<`0x${string}`> {
  return keccak256(new Uint8Array(await file.arrayBuffer()));
}

async function fromUri(uri: string): Promise<{ hash: `0x${string}` } | { unreadable: string }> {
  if (!/^https?:\/\//i.test(uri)) return { unreadable: "this browser reads only http(s) URIs" };
  try {
    const response = await fetch(uri);
    if (!response.ok) return { unreadable: `HTTP ${response.status}` };
    return { hash: await fileHash(await response.blob()) };
  } catch (error) {
    return { unreadable: String((error as Error).message ?? error) };
  }
}

/** The document's hash (see the top of this file); `hash` is what the hash field holds ("" when empty). */
export async function documentHash(uriField: Named, uri: string, hashField: Named, hash: string): Promise<string> {
  if (uri.trim() === "") return bad(uriField, "expected the document's URI");
  const given = hash.trim() === "" ? "" : bytes32(hashField, hash);
  const read = await fromUri(uri.trim());
  if ("unreadable" in read) {
    if (given !== "") return given;
    return bad(
      uriField,
      `cannot read ${uri} (${read.unreadable}) to hash it; choose the document's file under "${hashField.label}", or paste its keccak256 there`,
    );
  }
  if (given !== "" && given !== read.hash) {
    return bad(hashField, `${given} is not the keccak256 of the document read from ${uri} (${read.hash})`);
  }
  return read.hash;
}
