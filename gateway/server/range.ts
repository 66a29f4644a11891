/**
 * HTTP `Range` requests (RFC 9110 §14): one `bytes=` range (first-last, first- or -suffix) against a file of known
 * size. Anything else — another unit, several ranges, a malformed or reversed range, one starting past the end — is
 * unsatisfiable: 416 problem+json with `Content-Range: bytes * /size`.
 */
import { HttpProblem } from "./problem.ts";

/** An inclusive byte range inside the file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The 416 problem for a file of `size` bytes. */
export function rangeNotSatisfiable(size: number, header: string): HttpProblem {
  return new HttpProblem({
    status: 416,
    title: "Range not satisfiable",
    detail:
      `Range "${header.slice(0, 100)}" is not one satisfiable byte range of a ${size}-byte file ` +
      `(expected bytes=first-last, bytes=first- or bytes=-suffix)`,
    headers: { "Content-Range": `bytes */${size}` },
  });
}

/** The range `header` asks for in a file of `size` bytes: undefined for the whole file, or throws a 416 problem. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bytes\s*=\s*(\d{0,15})\s*-\s*(\d{0,15})\s*$/i.exec(header);
  if (match === null || (match[1] === "" && match[2] === "")) throw rangeNotSatisfiable(size, header);
  const [first, last] = [match[1], match[2]];
  let start: number;
  let end: number;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw rangeNotSatisfiable(size, header);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
    if (start >= size || (last !== "" && Number(last) < start)) throw rangeNotSatisfiable(size, header);
  }
  return { start, end };
}
