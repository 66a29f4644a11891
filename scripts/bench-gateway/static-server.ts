/**
 * The plain path `npm run bench:gateway` compares the gateway with: Node's own static file serving (`http` +
 * `fs.createReadStream`, no decryption, no access check), in a process of its own. Serves the one file given as the
 * first argument at `/file`, on 127.0.0.1 and a free port, which it prints as `listening <port>` on stdout.
 */
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";

const file = process.argv[2];
const size = statSync(file).size;

const server = createServer((req, res) => {
  if (req.url !== "/file") {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-length": size, "content-type": "application/octet-stream" });
  createReadStream(file).pipe(res);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address !== null && typeof address === "object") console.log(`listening ${address.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
