/**
 * Refuses hostile request paths before routing: `..` or `.` segments (also percent-encoded, double-encoded or
 * behind an encoded slash), backslashes, NUL and other control characters, and malformed percent-encoding. File
 * paths never reach a file system here (they are looked up in a manifest), but such a request is never a real
 * client's, and refusing it early keeps every later layer simple.
 */
import { HttpProblem } from "./problem.ts";

function refuse(detail: string): HttpProblem {
  return new HttpProblem({ status: 400, title: "Bad path", kind: "bad-path", detail });
}

/** Throws a 400 problem when the path part of the raw request URL is hostile. */
export function checkRequestPath(rawUrl: string): void {
  const path = rawUrl.split("?")[0];
  let decoded = path;
  for (let round = 0; round < 3; round++) {
    checkDecoded(decoded);
    if (!decoded.includes("%")) return;
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      throw refuse("the path has malformed percent-encoding");
    }
  }
  checkDecoded(decoded);
}

function checkDecoded(path: string): void {
  if (path.includes("\\")) throw refuse("backslashes are not allowed in paths");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw refuse("control characters (NUL included) are not allowed in paths");
  if (path.split("/").some((segment) => segment === ".." || segment === ".")) {
    throw refuse('"." and ".." segments are not allowed in paths');
  }
}

/** Checks a file path taken from a route (already decoded): relative, no empty, "." or ".." segment. */
export function checkFilePath(path: string): string {
  if (path === "" || path.startsWith("/") || path.split("/").some((s) => s === "" || s === "." || s === "..")) {
    throw refuse('the file path must be relative, without empty, "." or ".." segments');
  }
  checkDecoded(path);
  return path;
}
