/**
 * Licensees' reviews of a model: EAS attestations under the review schema, accepted by the review resolver only
 * from an account holding a licence of the model, as the indexer read them. Revoked reviews are marked, not hidden.
 */
import { useIndexer } from "../../data/indexer.ts";
import { formatTime, shortAddress } from "../../format.ts";

interface ReviewRow {
  uid: string;
  licenceId: string;
  attester: string;
  rating: number;
  text: string;
  reviewURI: string;
  revoked: boolean;
  createdAt: string;
}

const REVIEWS = `query Reviews($id: BigInt!) {
  reviews(where: { modelId: $id }, orderBy: "createdAt", orderDirection: "desc", limit: 100) {
    items { uid licenceId attester rating text reviewURI revoked createdAt }
  }
}`;

/** The reviews section. */
export function Reviews({ modelId }: { modelId: bigint }) {
  const data = useIndexer<{ reviews: { items: ReviewRow[] } }>(["reviews", String(modelId)], REVIEWS, {
    id: String(modelId),
  });
  const reviews = data.data?.reviews.items ?? [];
  const live = reviews.filter((r) => !r.revoked);
  const average = live.length === 0 ? undefined : live.reduce((sum, r) => sum + r.rating, 0) / live.length;
  return (
    <section aria-labelledby="reviews">
      <h2 id="reviews">Reviews</h2>
      {data.isError && <p className="error">Could not load the reviews: {data.error.message}.</p>}
      {data.data !== undefined && reviews.length === 0 && <p>No reviews yet. Only licensees can review a model.</p>}
      {average !== undefined && (
        <p>
          Average rating {average.toFixed(1)} out of 5 from {live.length} licensee review{live.length === 1 ? "" : "s"}.
        </p>
      )}
      <ul className="cards" aria-label="Reviews">
        {reviews.map((r) => (
          <li key={r.uid} className="card">
            <p>
              <strong>Rated {r.rating} out of 5</strong>
              {r.revoked && " · Revoked by its author"}
            </p>
            {r.text && <p style={{ whiteSpace: "pre-wrap" }}>{r.text}</p>}
            {r.reviewURI && <p className="mono">{r.reviewURI}</p>}
            <p className="muted">
              By <span title={r.attester}>{shortAddress(r.attester)}</span>, holder of licence #{r.licenceId},{" "}
              {formatTime(r.createdAt)}.
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
