/**
 * What the store tests share: deterministic content and collecting a stream of bytes.
 */

/** Deterministic bytes: byte i is (7 i) mod 253 (no period that lines up with power-of-two chunk sizes). */
export function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7) % 253;
  return bytes;
}

/** Concatenates an async iterable of bytes. */
export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}
