/**
 * The problems metering answers with: 403 when the caller has no live licence (or the model is not operated here),
 * 402 when its credits or its signed authorisation do not cover the call (saying what is left, what the call costs and
 * how to go on), 409 for a receipt that authorises nothing new.
 */
import type { LicenceState } from "../ledger/ledger.ts";
import { HttpProblem } from "../server/problem.ts";

/** The 403 for a caller without a licence of the model (fractions alone carry no usage credits). */
export function inferenceLicenceRequired(modelId: bigint, account: string): HttpProblem {
  return new HttpProblem({
    status: 403,
    title: "Licence required",
    kind: "licence-required",
    detail:
      `${account} holds no licence of model #${modelId}: inference is metered per licence (fractions alone carry ` +
      `no usage credits): buy one with \`ws buy --model-id ${modelId} --offer-id <offer>\` ` +
      `(offers: \`ws model --model-id ${modelId}\`)`,
    extensions: { modelId: modelId.toString(), account },
  });
}

/** The 403 for a lapsed licence. */
export function licenceLapsed(licenceId: bigint, expiry: number): HttpProblem {
  return new HttpProblem({
    status: 403,
    title: "Licence expired",
    kind: "licence-expired",
    detail:
      `licence #${licenceId} expired at ${new Date(expiry * 1000).toISOString()}: renew it with ` +
      `\`ws renew --licence-id ${licenceId}\``,
    extensions: { licenceId: licenceId.toString(), expiry },
  });
}

/** The 403 for a model whose operator on chain is not this gateway's key. */
export function notOperator(modelId: bigint, operator: string, ours: string): HttpProblem {
  return new HttpProblem({
    status: 403,
    title: "Not this gateway's model",
    kind: "not-operator",
    detail:
      `model #${modelId}'s operator on chain is ${operator}, not this gateway's ${ours}: its usage cannot be settled ` +
      `here (the DAO names the operator with set-operator)`,
    extensions: { modelId: modelId.toString(), operator, gatewayOperator: ours },
  });
}

/** Credits left once what was served but not settled is counted. */
export function creditsLeft(state: LicenceState): bigint {
  if (!state.metered) return 0n;
  const unsettled = state.served + state.reserved - state.chainSettled;
  return state.chainCredits > unsettled ? state.chainCredits - unsettled : 0n;
}

/** Credits the licensee's signed cap still allows. */
export function authorisedLeft(state: LicenceState): bigint {
  const used = state.served + state.reserved;
  return state.cap > used ? state.cap - used : 0n;
}

/** The 402 for a call its credits or authorisation do not cover. */
export function paymentRequired(reason: "cap" | "credits", state: LicenceState, cost: bigint): HttpProblem {
  const licenceId = state.licenceId;
  const common = {
    licenceId: licenceId.toString(),
    cost: cost.toString(),
    creditsLeft: creditsLeft(state).toString(),
    authorised: state.cap.toString(),
    used: state.served.toString(),
    inFlight: state.reserved.toString(),
  };
  if (reason === "credits") {
    return new HttpProblem({
      status: 402,
      title: "Credits exhausted",
      kind: "credits-exhausted",
      detail:
        `licence #${licenceId} has ${creditsLeft(state)} credits left (after usage not yet settled) and this call ` +
        `may cost ${cost}: renew it for more with \`ws renew --licence-id ${licenceId}\``,
      extensions: { ...common, renew: `ws renew --licence-id ${licenceId}` },
    });
  }
  return new HttpProblem({
    status: 402,
    title: "Authorisation exhausted",
    kind: "authorisation-exhausted",
    detail:
      `licence #${licenceId} authorised a running total of ${state.cap} credits, ${state.served + state.reserved} ` +
      `are used or in flight, and this call may cost ${cost}: sign a receipt for a higher total (POST /usage/receipts, ` +
      `or the X-Weightshare-Receipt header; \`ws infer\` does it for you)`,
    extensions: { ...common, authorise: "POST /usage/receipts" },
  });
}

/** The 409 for a receipt that authorises nothing new. */
export function receiptRefused(reason: "stale" | "below-used", cap: bigint, state: LicenceState): HttpProblem {
  const detail =
    reason === "stale"
      ? `its cap ${cap} is not above the ${state.cap} already authorised for licence #${state.licenceId} ` +
        `(replayed or superseded): sign a higher running total`
      : `its cap ${cap} is below the ${state.served + state.reserved} credits licence #${state.licenceId} has ` +
        `already used or has in flight: sign a running total above that`;
  return new HttpProblem({
    status: 409,
    title: "Receipt refused",
    kind: reason === "stale" ? "receipt-stale" : "receipt-below-used",
    detail: `receipt refused: ${detail}`,
    extensions: {
      licenceId: state.licenceId.toString(),
      authorised: state.cap.toString(),
      used: state.served.toString(),
      inFlight: state.reserved.toString(),
    },
  });
}
