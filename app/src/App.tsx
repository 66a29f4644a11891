/** The app's frame: a header with navigation and the wallet, and the page the route names. */
import { lazy, Suspense } from "react";

import { Wallet } from "./components/Wallet.tsx";
import { href, useRoute } from "./router.ts";
import { ModelsPage } from "./pages/ModelsPage.tsx";

const ModelPage = lazy(() => import("./pages/ModelPage.tsx"));
const ProposePage = lazy(() => import("./pages/ProposePage.tsx"));
const AccountPage = lazy(() => import("./pages/AccountPage.tsx"));
const RaisesPage = lazy(() => import("./pages/RaisesPage.tsx"));
const RegisterPage = lazy(() => import("./pages/RegisterPage.tsx"));

/** The whole app. */
export function App() {
  const route = useRoute();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={href({ page: "models" })}>
          Weightshare
        </a>
        <nav aria-label="Main">
          <a href={href({ page: "models" })} aria-current={route.page === "models" ? "page" : undefined}>
            Models
          </a>
          <a href={href({ page: "raises" })} aria-current={route.page === "raises" ? "page" : undefined}>
            Raises
          </a>
          <a href={href({ page: "register" })} aria-current={route.page === "register" ? "page" : undefined}>
            Register
          </a>
          <a href={href({ page: "account" })} aria-current={route.page === "account" ? "page" : undefined}>
            My account
          </a>
        </nav>
        <Wallet />
      </header>
      <main id="main" className="page">
        <Suspense fallback={<p>Loading…</p>}>
          {route.page === "models" && <ModelsPage />}
          {route.page === "model" && <ModelPage modelId={route.modelId} />}
          {route.page === "propose" && <ProposePage modelId={route.modelId} />}
          {route.page === "account" && <AccountPage />}
          {route.page === "raises" && <RaisesPage />}
          {route.page === "register" && <RegisterPage />}
          {route.page === "not-found" && (
            <>
              <h1>Page not found</h1>
              <p>
                Nothing lives at <code>{route.path}</code>. <a href={href({ page: "models" })}>See all models</a>.
              </p>
            </>
          )}
        </Suspense>
      </main>
    </>
  );
}
