/** Every `ws propose --action`, by name: each builds its proposal from the task's arguments (see tasks/propose.ts). */
import { ATTESTATION_ACTIONS } from "./attestations.js";
import type { Build } from "./common.js";
import { LINEAGE_ACTIONS } from "./lineage.js";
import { OFFER_ACTIONS } from "./offers.js";
import { RAISE_ACTIONS } from "./raises.js";
import { REVENUE_ACTIONS } from "./revenue.js";
import { SALE_ACTIONS } from "./sales.js";
import { SETTINGS_ACTIONS } from "./settings.js";
import { TREASURY_ACTIONS } from "./treasury.js";

export const BUILDERS: Record<string, Build> = {
  ...TREASURY_ACTIONS,
  ...OFFER_ACTIONS,
  ...REVENUE_ACTIONS,
  ...SETTINGS_ACTIONS,
  ...RAISE_ACTIONS,
  ...SALE_ACTIONS,
  ...ATTESTATION_ACTIONS,
  ...LINEAGE_ACTIONS,
};

export const ACTIONS = Object.keys(BUILDERS);

export type { ProposeArgs } from "./common.js";
