/**
 * A model's licence offers with a Buy button each (`LicenseManager.purchase(modelId, offerId, recipient, maxPrice)`,
 * the max price being the price shown, so a price vote landing first is refused rather than charged), and the
 * connected account's licences of the model with a Renew button each (`renew(licenceId, maxPrice)`).
 */
import { useAccount, useBlock } from "wagmi";

import { useIndexer } from "../../data/indexer.ts";
import { formatDuration, formatTime } from "../../format.ts";
import { licenseManagerAbi } from "../../generated.ts";
import { useAppConfig } from "../../context.tsx";
import { Amount } from "./Amount.tsx";
import { PayButton } from "./PayButton.tsx";

interface OfferRow {
  offerId: string;
  termsId: string;
  price: string;
  paymentToken: string;
  duration: string;
  credits: string;
  cap: string;
  onSale: boolean;
  sold: string;
}
interface TermsRow {
  id: string;
  transferable: boolean;
  commercialUse: boolean;
  derivativesAllowed: boolean;
  termsURI: string;
  parentShareBps: string;
}
interface LicenceRow {
  id: string;
  offerId: string;
  expiry: string;
  credits: string;
  renewals: number;
}

const OFFERS = `query Offers($id: BigInt!) {
  offers(where: { modelId: $id }, orderBy: "offerId", orderDirection: "asc", limit: 100) {
    items { offerId termsId price paymentToken duration credits cap onSale sold }
  }
  termss(where: { modelId: $id }, limit: 1000) {
    items { id transferable commercialUse derivativesAllowed termsURI parentShareBps }
  }
}`;

const MY_LICENCES = `query MyLicences($id: BigInt!, $owner: String!) {
  licences(where: { modelId: $id, owner: $owner }, orderBy: "id", orderDirection: "asc", limit: 100) {
    items { id offerId expiry credits renewals }
  }
}`;

/** The offers section. */
export function Offers({ modelId, name }: { modelId: bigint; name: string }) {
  const { address } = useAccount();
  const licenses = useAppConfig().deployment.licenses;
  const data = useIndexer<{ offers: { items: OfferRow[] }; termss: { items: TermsRow[] } }>(
    ["offers", String(modelId)],
    OFFERS,
    { id: String(modelId) },
  );
  const offers = data.data?.offers.items ?? [];
  const terms = new Map((data.data?.termss.items ?? []).map((t) => [t.id, t]));
  return (
    <section aria-labelledby="offers">
      <h2 id="offers">Licences</h2>
      {data.isLoading && <p>Loading offers…</p>}
      {data.isError && <p className="error">Could not load the offers: {data.error.message}.</p>}
      {data.data !== undefined && offers.length === 0 && <p>This model sells no licences yet.</p>}
      <ul className="cards" aria-label="Offers">
        {offers.map((o) => (
          <li key={o.offerId} className="card">
            <h3>Offer #{o.offerId}</h3>
            <OfferFacts offer={o} terms={terms.get(o.termsId)} />
            {!o.onSale ? (
              <p>Not on sale.</p>
            ) : o.cap !== "0" && BigInt(o.sold) >= BigInt(o.cap) ? (
              <p>Sold out.</p>
            ) : (
              <PayButton
                label="Buy licence"
                noWallet="Connect a wallet to buy"
                token={o.paymentToken}
                price={BigInt(o.price)}
                offer={{ modelId, offerId: BigInt(o.offerId) }}
                summary={[
                  `Mint a licence to offer #${o.offerId} of ${name} to your account`,
                  "Refuse, with nothing paid, if the price was raised before this is mined",
                ]}
                call={{
                  address: licenses,
                  abi: licenseManagerAbi,
                  functionName: "purchase",
                  args: [modelId, BigInt(o.offerId), address, BigInt(o.price)],
                }}
                success="Licence bought"
              />
            )}
          </li>
        ))}
      </ul>
      {address !== undefined && <MyLicences modelId={modelId} owner={address} offers={offers} />}
    </section>
  );
}

function OfferFacts({ offer: o, terms: t }: { offer: OfferRow; terms?: TermsRow }) {
  return (
    <dl className="facts">
      <dt>Price</dt>
      <dd>
        <Amount value={o.price} token={o.paymentToken} />
      </dd>
      <dt>Lasts</dt>
      <dd>{formatDuration(o.duration)}</dd>
      <dt>Credits</dt>
      <dd>{o.credits === "0" ? "Unmetered" : o.credits}</dd>
      <dt>Sold</dt>
      <dd>{o.cap === "0" ? o.sold : `${o.sold} of ${o.cap}`}</dd>
      {t !== undefined && (
        <>
          <dt>Use</dt>
          <dd>
            {t.commercialUse ? "Commercial use allowed" : "Non-commercial only"};{" "}
            {t.transferable ? "transferable" : "not transferable"}
            {t.derivativesAllowed ? `; derivatives allowed (parent takes ${Number(t.parentShareBps) / 100}%)` : ""}
          </dd>
          <dt>Terms</dt>
          <dd className="mono">{t.termsURI}</dd>
        </>
      )}
    </dl>
  );
}

function MyLicences({ modelId, owner, offers }: { modelId: bigint; owner: string; offers: OfferRow[] }) {
  const licences = useIndexer<{ licences: { items: LicenceRow[] } }>(
    ["my-licences", String(modelId), owner.toLowerCase()],
    MY_LICENCES,
    { id: String(modelId), owner: owner.toLowerCase() },
  );
  const block = useBlock({ watch: true });
  const now = block.data?.timestamp ?? BigInt(Math.floor(Date.now() / 1000));
  const licensesAddress = useAppConfig().deployment.licenses;
  const items = licences.data?.licences.items ?? [];
  if (items.length === 0) return null;
  return (
    <>
      <h3>Your licences</h3>
      <ul className="cards" aria-label="Your licences">
        {items.map((l) => {
          const offer = offers.find((o) => o.offerId === l.offerId);
          const expired = l.expiry !== "0" && BigInt(l.expiry) <= now;
          return (
            <li key={l.id} className="card">
              <h4>Licence #{l.id}</h4>
              <p>
                Offer #{l.offerId}.{" "}
                {l.expiry === "0"
                  ? "Perpetual."
                  : expired
                    ? `Expired on ${formatTime(l.expiry)}.`
                    : `Valid until ${formatTime(l.expiry)}.`}{" "}
                {l.credits !== "0" && `${l.credits} credits left.`}
              </p>
              {offer === undefined || !offer.onSale ? (
                <p className="muted">Its offer is not on sale, so it cannot be renewed now.</p>
              ) : (
                <PayButton
                  label="Renew"
                  noWallet="Connect a wallet to renew"
                  token={offer.paymentToken}
                  price={BigInt(offer.price)}
                  offer={{ modelId, offerId: BigInt(offer.offerId) }}
                  summary={[
                    `Renew licence #${l.id}: ${formatDuration(offer.duration)} more` +
                      (offer.credits === "0" ? "" : ` and ${offer.credits} more credits`),
                    "Refuse, with nothing paid, if the price was raised before this is mined",
                  ]}
                  call={{
                    address: licensesAddress,
                    abi: licenseManagerAbi,
                    functionName: "renew",
                    args: [BigInt(l.id), BigInt(offer.price)],
                  }}
                  success="Licence renewed"
                />
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
