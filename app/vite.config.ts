/**
 * The web app's build: React through Vite, served from `app/` and built into `app/dist` (static files any host can
 * serve). The app reads `config.json` beside `index.html` at start, so one build works on every chain.
 */
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
  // The app imports the tasks' proposal builders and error sentences (governance/, client/), which live beside it.
  envPrefix: "WEIGHTSHARE_APP_",
});
