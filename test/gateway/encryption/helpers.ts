/** Shared helpers for the gateway encryption tests: in-memory ciphertext with a log of the chunks read. */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";

import { expect } from "chai";

import { encryptStream, TAG_LENGTH, type ChunkedFileHeader } from "../../../gateway/encryption/chunks.js";

/** An encrypted file held in memory, as the tests need it. */
export interface EncryptedFile {
  header: ChunkedFileHeader;
  chunkCount: number;
  ciphertext: Buffer;
}

/** Encrypts `plaintext` (fed in odd-sized pieces to exercise buffering) and collects the ciphertext. */
export async function encryptBuffer(key: Uint8Array, plaintext: Buffer, chunkSize: number): Promise<EncryptedFile> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < plaintext.length; at += 23) pieces.push(plaintext.subarray(at, at + 23));
  const { fileId, chunkCount, stream } = encryptStream(key, Readable.from(pieces), plaintext.length, chunkSize);
  const out: Buffer[] = [];
  for await (const part of stream) out.push(part as Buffer);
  return { header: { fileId, size: plaintext.length, chunkSize }, chunkCount, ciphertext: Buffer.concat(out) };
}

/** A reader over `ciphertext` that records which chunk indices were read. */
export function recordingReader(ciphertext: Buffer, chunkSize: number) {
  const chunksRead: number[] = [];
  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    chunksRead.push(offset / (chunkSize + TAG_LENGTH));
    return ciphertext.subarray(offset, offset + length);
  };
  return { read, chunksRead };
}

/** Concatenates an async iterable of bytes. */
export async function collect(parts: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const part of parts) out.push(Buffer.from(part));
  return Buffer.concat(out);
}

/** A random 32-byte key. */
export function randomKey(): Buffer {
  return randomBytes(32);
}

/** Awaits `promise`, expects it to reject with a message matching `message`, and returns the error. */
export async function expectRejection(promise: Promise<unknown>, message: RegExp): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.match(message);
    return error as Error;
  }
  return expect.fail(`expected a rejection matching ${message}`);
}
