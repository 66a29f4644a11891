/**
 * The licences an account owns, with their access now (live, expiry, credits left) read from the licence manager,
 * which one is primary for its model (what `hasAccess` and a gateway consider), and a Renew link to the model page.
 */

import { useAppConfig } from "../../context.tsx";
import type { IndexedLicence, LicenceNow } from "../../data/account.ts";
import { formatTime } from "../../format.ts";
import { licenseManagerAbi } from "../../generated.ts";
import { href } from "../../router.ts";
import { TxButton } from "../../tx/TxButton.tsx";

export interface LicencesProps {
  canAct: boolean;
  licences: IndexedLicence[] | undefined;
  now: Map<string, LicenceNow> | undefined;
}

/** Why a licence gives access or not, in words (colour is never the only signal). */
function accessText(n: LicenceNow): string {
  if (n.live) return "Live";
  if (n.expiry !== 0n && n.expiry * 1000n <= BigInt(Date.now())) return "Expired";
  if (n.metered && n.credits === 0n) return "No credits left";
  return "Not live";
}

/** The licences table. */
export function LicencesSection({ canAct, licences, now }: LicencesProps) {
  const { deployment } = useAppConfig();
  return (
    <section aria-labelledby="licences-title">
      <h2 id="licences-title">Licences</h2>
      {licences === undefined ? (
        <p>Loading…</p>
      ) : licences.length === 0 ? (
        <p>No licences.</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Licences">
          <table>
            <thead>
              <tr>
                <th scope="col">Licence</th>
                <th scope="col">Model</th>
                <th scope="col">Access</th>
                <th scope="col">Expires</th>
                <th scope="col">Credits left</th>
                <th scope="col">Primary</th>
                <th scope="col">Renew</th>
              </tr>
            </thead>
            <tbody>
              {licences.map((l) => {
                const n = now?.get(l.id);
                const name = l.model?.name ?? `Model #${l.modelId}`;
                const modelHref = href({ page: "model", modelId: BigInt(l.modelId) });
                return (
                  <tr key={l.id} data-testid={`licence-${l.id}`}>
                    <th scope="row">#{l.id}</th>
                    <td>
                      <a href={modelHref}>{name}</a> (offer {l.offerId})
                    </td>
                    <td className={n === undefined ? undefined : n.live ? "ok" : "warn"}>
                      {n === undefined ? "…" : accessText(n)}
                    </td>
                    <td>{n === undefined ? "…" : n.expiry === 0n ? "never (perpetual)" : formatTime(n.expiry)}</td>
                    <td>{n === undefined ? "…" : n.metered ? n.credits.toString() : "unmetered"}</td>
                    <td>
                      {n === undefined ? (
                        "…"
                      ) : n.primary ? (
                        "Yes"
                      ) : canAct ? (
                        <TxButton
                          label={`Make #${l.id} primary`}
                          summary={[`Use licence #${l.id} for your access to ${name} (what gateways check)`]}
                          build={() => ({
                            address: deployment.licenses,
                            abi: licenseManagerAbi,
                            functionName: "usePrimaryLicence",
                            args: [BigInt(l.id)],
                          })}
                          success={`Licence #${l.id} is now primary`}
                        />
                      ) : (
                        "No"
                      )}
                    </td>
                    <td>
                      <a href={modelHref} aria-label={`Renew licence #${l.id} on ${name}'s page`}>
                        Renew
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
