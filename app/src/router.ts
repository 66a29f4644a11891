/**
 * Hash routes (`#/models/3`), so the built app is plain static files any host can serve without rewrite rules.
 */
import { useEffect, useState } from "react";

export type Route =
  | { page: "models" }
  | { page: "model"; modelId: bigint }
  | { page: "propose"; modelId: bigint }
  | { page: "account" }
  | { page: "raises" }
  | { page: "register" }
  | { page: "not-found"; path: string };

/** The route a location hash names. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "") || "/";
  if (path === "/" || path === "/models") return { page: "models" };
  const model = /^\/models\/(\d{1,20})(\/propose)?$/.exec(path);
  if (model) return { page: model[2] ? "propose" : "model", modelId: BigInt(model[1]) };
  if (path === "/account") return { page: "account" };
  if (path === "/raises") return { page: "raises" };
  if (path === "/register") return { page: "register" };
  return { page: "not-found", path };
}

/** The href of a route. */
export function href(route: Exclude<Route, { page: "not-found" }>): string {
  switch (route.page) {
    case "models":
      return "#/";
    case "model":
      return `#/models/${route.modelId}`;
    case "propose":
      return `#/models/${route.modelId}/propose`;
    default:
      return `#/${route.page}`;
  }
}

/** The current route, following the location hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
