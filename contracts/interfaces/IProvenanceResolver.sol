// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IProvenanceResolver
 * @notice The resolver of Weightshare's provenance schema on the Ethereum Attestation Service (EAS):
 * `uint256 modelId,bytes32 manifestHash,string kind,string uri`, where `kind` is `training-data`, `evaluation` or
 * `model-card` and `manifestHash` names the model version (its manifest's hash). Only the model's treasury (its
 * timelock, so by a vote) or an evaluator the treasury named here may attest for that model.
 * @dev Naming or dropping an evaluator changes who may attest from then on; attestations already made stay, and
 * only their attester may revoke them (EAS's rule).
 */
interface IProvenanceResolver {
    /// @notice The attestation is not of this resolver's own provenance schema.
    error ProvenanceWrongSchema(bytes32 schema, bytes32 expected);
    /// @notice The attestation's data is too short to hold the schema's four fields.
    error ProvenanceMalformed(uint256 length);
    /// @notice No model has this id.
    error ProvenanceUnknownModel(uint256 modelId);
    /// @notice The attester is neither the model's treasury nor an evaluator it named.
    error ProvenanceUnauthorizedAttester(address attester, uint256 modelId);
    /// @notice Only the model's treasury names evaluators.
    error ProvenanceUnauthorizedTreasury(address caller, uint256 modelId);
    /// @notice An evaluator cannot be the zero address.
    error ProvenanceInvalidEvaluator(address evaluator);
    /// @notice The kind is not one of `training-data`, `evaluation`, `model-card`.
    error ProvenanceUnknownKind(string kind);
    /// @notice The manifest hash is zero.
    error ProvenanceEmptyManifest(uint256 modelId);
    /// @notice The URI is longer than allowed.
    error ProvenanceURITooLong(uint256 length, uint256 max);

    /// @notice The treasury of `modelId` named (`allowed`) or dropped an evaluator.
    event EvaluatorSet(uint256 indexed modelId, address indexed evaluator, bool allowed);
    /// @notice `attester` attested `kind` for the model version `manifestHash` of `modelId` (attestation `uid`).
    event ProvenanceAttested(
        uint256 indexed modelId,
        bytes32 indexed manifestHash,
        bytes32 indexed uid,
        address attester,
        string kind
    );

    /// @notice Names (`allowed` true) or drops an evaluator of `modelId`. The model's treasury only.
    function setEvaluator(uint256 modelId, address evaluator, bool allowed) external;

    /// @notice Whether `account` is an evaluator the treasury of `modelId` named.
    function isEvaluator(uint256 modelId, address account) external view returns (bool);

    /// @notice The schema string this resolver accepts; the resolver registered it (revocable) when deployed.
    // solhint-disable-next-line func-name-mixedcase
    function SCHEMA() external view returns (string memory);

    /// @notice The UID EAS's SchemaRegistry gives `SCHEMA` with this resolver, revocable.
    function schemaUID() external view returns (bytes32);

    /// @notice The fractions token whose `treasuryOf` names each model's treasury.
    function shares() external view returns (address);
}
