/**
 * The Weightshare module for local chains (the `npm run node` chain, the simulated chain of tests): the same module
 * id and graph as deploy/modules/Weightshare.ts, on an Ethereum Attestation Service it deploys first from EAS's npm
 * sources (SchemaRegistry, then EAS on it), since a fresh chain has none. Real networks use Weightshare.ts, which
 * takes EAS's official deployment from the parameters instead.
 *
 *   npx hardhat ignition deploy deploy/modules/WeightshareLocal.ts --network localhost --parameters deploy/parameters/localhost.json
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { buildWeightshare, EAS_ARTIFACT, SCHEMA_REGISTRY_ARTIFACT } from "./Weightshare.js";

export default buildModule("Weightshare", (m) => {
  const schemaRegistry = m.contract(SCHEMA_REGISTRY_ARTIFACT, [], { id: "SchemaRegistry" });
  const eas = m.contract(EAS_ARTIFACT, [schemaRegistry], { id: "EAS" });
  return buildWeightshare(m, { eas, schemaRegistry });
});
