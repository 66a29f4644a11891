/** The loaded `config.json`, available to every component. */
import { createContext, useContext } from "react";

import type { AppConfig } from "./config.ts";

export const ConfigContext = createContext<AppConfig | undefined>(undefined);

/** The app's configuration (throws outside the provider, which only a programming error can cause). */
export function useAppConfig(): AppConfig {
  const config = useContext(ConfigContext);
  if (config === undefined) throw new Error("useAppConfig: no ConfigContext provider");
  return config;
}
