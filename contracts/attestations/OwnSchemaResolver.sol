// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEAS} from "@ethereum-attestation-service/eas-contracts/contracts/IEAS.sol";
import {ISchemaRegistry} from "@ethereum-attestation-service/eas-contracts/contracts/ISchemaRegistry.sol";
import {SchemaResolver} from "@ethereum-attestation-service/eas-contracts/contracts/resolver/SchemaResolver.sol";

/**
 * @title OwnSchemaResolver
 * @notice An EAS resolver for exactly one schema, which it registers itself (revocable) with its EAS's
 * SchemaRegistry when it is deployed, so that schema's UID exists as soon as the resolver does.
 * @dev Registering in the constructor leaves nobody a window to register the same (schema, resolver, revocable)
 * first and make a deployment's separate registration revert with `AlreadyExists`; if someone registered it in
 * advance for the predicted address, the record is identical (the UID hashes all three) and is kept.
 * Anyone can register another schema naming this resolver: children refuse attestations whose schema is not
 * `_SCHEMA_UID`.
 */
abstract contract OwnSchemaResolver is SchemaResolver {
    /// @dev SchemaRegistry's UID of the own schema: keccak256(schema, resolver, revocable).
    bytes32 internal immutable _SCHEMA_UID;

    /// @param eas the EAS contract whose callbacks this resolver accepts, and whose registry gets the schema
    /// @param schema the schema string
    constructor(IEAS eas, string memory schema) SchemaResolver(eas) {
        bytes32 uid = keccak256(abi.encodePacked(schema, address(this), true));
        _SCHEMA_UID = uid;
        ISchemaRegistry registry = eas.getSchemaRegistry();
        if (registry.getSchema(uid).uid != uid) registry.register(schema, this, true);
    }
}
