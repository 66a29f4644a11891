/**
 * `npm run remix`: shares contracts/ with Remix IDE (https://remix.ethereum.org → "Connect to localhost"), read-only,
 * on 127.0.0.1:65520, through remixd's own websocket server and shared-folder service.
 *
 * Why not the `remixd` command: remixd 0.6.65 first asks the npm registry for its latest version and, when the
 * registry cannot be reached, crashes before listening (an unhandled rejection in its start-up), and it also starts a
 * Slither service we do not ship. This starts the same two pieces remixd's command starts for a shared folder, with
 * the same loopback binding and origin check, and nothing else. Stop it with Ctrl-C or SIGTERM.
 */
import { createRequire } from "node:module";
import path from "node:path";

interface SharedFolderClient {
  setWebSocket(ws: unknown): void;
  setupNotifications(folder: string): void;
  sharedFolder(folder: string): void;
}
interface RemixdLibrary {
  Websocket: new (
    port: number,
    options: { remixIdeUrl: string },
    client: () => SharedFolderClient,
  ) => {
    start(callback: (ws: unknown, client: SharedFolderClient, error?: NodeJS.ErrnoException) => void): void;
    close(): void;
  };
  services: { sharedFolder: new (readOnly: boolean) => SharedFolderClient };
}

export const REMIXD_PORT = 65_520;
export const REMIX_IDE = "https://remix.ethereum.org";

const remixd = createRequire(import.meta.url)("@remix-project/remixd/src/index.js") as RemixdLibrary;
const folder = path.resolve(import.meta.dirname, "..", "contracts");

const socket = new remixd.Websocket(
  REMIXD_PORT,
  { remixIdeUrl: REMIX_IDE },
  () => new remixd.services.sharedFolder(true),
);
socket.start((ws, client, error) => {
  if (error) {
    console.error(
      error.code === "EADDRINUSE"
        ? `error: port ${REMIXD_PORT}: already in use (another remixd?); stop it first`
        : `error: port ${REMIXD_PORT}: ${error.message}`,
    );
    process.exit(1);
  }
  client.setWebSocket(ws);
  client.setupNotifications(folder);
  client.sharedFolder(folder);
});
console.log(`Sharing ${folder} with ${REMIX_IDE}, read-only, on 127.0.0.1:${REMIXD_PORT}. Ctrl-C to stop.`);

function stop(): void {
  socket.close();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
