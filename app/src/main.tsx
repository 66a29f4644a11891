/** The app's entry: reads config.json, then renders with wagmi and react-query around it. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";

import { App } from "./App.tsx";
import { loadConfig } from "./config.ts";
import { ConfigContext } from "./context.tsx";
import "./styles.css";
import { wagmiConfig } from "./wagmi.ts";

const root = createRoot(document.getElementById("root")!);

try {
  const config = await loadConfig();
  const queries = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } });
  root.render(
    <StrictMode>
      <ConfigContext.Provider value={config}>
        <WagmiProvider config={wagmiConfig(config)}>
          <QueryClientProvider client={queries}>
            <App />
          </QueryClientProvider>
        </WagmiProvider>
      </ConfigContext.Provider>
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <main className="page">
      <h1>Weightshare</h1>
      <p role="alert" className="error">
        {String((error as Error).message ?? error)}
      </p>
    </main>,
  );
}
