/** Every action the Propose page offers, in the order of its menu (the names are `ws propose --action` names). */
import type { ActionSpec } from "../action.ts";
import { ATTESTATION_ACTIONS } from "./attestations.ts";
import { FUNDING_ACTIONS } from "./funding.ts";
import { OFFER_ACTIONS } from "./offers.ts";
import { OPEN_RAISE } from "./open-raise.ts";
import { OPEN_SALE } from "./open-sale.ts";
import { REVENUE_ACTIONS } from "./revenue.ts";
import { SETTINGS_ACTIONS } from "./settings.ts";
import { TREASURY_ACTIONS } from "./treasury.ts";

export const ACTIONS: ActionSpec[] = [
  ...OFFER_ACTIONS,
  ...REVENUE_ACTIONS,
  ...TREASURY_ACTIONS,
  ...SETTINGS_ACTIONS,
  OPEN_RAISE,
  OPEN_SALE,
  ...FUNDING_ACTIONS,
  ...ATTESTATION_ACTIONS,
];

/** The action named `id`. */
export function actionById(id: string): ActionSpec | undefined {
  return ACTIONS.find((a) => a.id === id);
}
