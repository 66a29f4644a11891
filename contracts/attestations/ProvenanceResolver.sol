// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEAS, Attestation} from "@ethereum-attestation-service/eas-contracts/contracts/IEAS.sol";

import {IModelShares} from "../interfaces/IModelShares.sol";
import {IProvenanceResolver} from "../interfaces/IProvenanceResolver.sol";
import {OwnSchemaResolver} from "./OwnSchemaResolver.sol";

/**
 * @title ProvenanceResolver
 * @notice Accepts provenance and evaluation attestations about a model version (training data sources, evaluation
 * results, a signed model card) only from the model's treasury, which attests by vote, or from evaluators that
 * treasury named here. See `IProvenanceResolver`.
 * @dev Built on EAS's `SchemaResolver`: every callback it receives is refused unless EAS itself calls
 * (`AccessDenied`). It registers its schema when deployed (`OwnSchemaResolver`). No admin, not upgradeable; each
 * model's treasury alone manages that model's evaluators.
 */
contract ProvenanceResolver is IProvenanceResolver, OwnSchemaResolver {
    /// @inheritdoc IProvenanceResolver
    string public constant SCHEMA = "uint256 modelId,bytes32 manifestHash,string kind,string uri";
    /// @notice The longest URI, in bytes.
    uint256 public constant MAX_URI_BYTES = 512;

    /// @dev Four ABI head words: modelId, manifestHash, and the offsets of kind and uri.
    uint256 private constant HEAD_BYTES = 4 * 32;
    bytes32 private constant KIND_TRAINING_DATA = keccak256("training-data");
    bytes32 private constant KIND_EVALUATION = keccak256("evaluation");
    bytes32 private constant KIND_MODEL_CARD = keccak256("model-card");

    IModelShares private immutable _SHARES;

    mapping(uint256 modelId => mapping(address account => bool)) private _isEvaluator;

    /// @param eas the EAS contract whose callbacks this resolver accepts
    /// @param fractions the fractions token whose `treasuryOf` names each model's treasury
    constructor(IEAS eas, IModelShares fractions) OwnSchemaResolver(eas, SCHEMA) {
        _SHARES = fractions;
    }

    /// @inheritdoc IProvenanceResolver
    function setEvaluator(uint256 modelId, address evaluator, bool allowed) external {
        address treasury = _SHARES.treasuryOf(modelId);
        if (treasury == address(0)) revert ProvenanceUnknownModel(modelId);
        if (msg.sender != treasury) revert ProvenanceUnauthorizedTreasury(msg.sender, modelId);
        if (evaluator == address(0)) revert ProvenanceInvalidEvaluator(evaluator);
        _isEvaluator[modelId][evaluator] = allowed;
        emit EvaluatorSet(modelId, evaluator, allowed);
    }

    /// @inheritdoc IProvenanceResolver
    function isEvaluator(uint256 modelId, address account) external view returns (bool) {
        return _isEvaluator[modelId][account];
    }

    /// @inheritdoc IProvenanceResolver
    function schemaUID() external view returns (bytes32) {
        return _SCHEMA_UID;
    }

    /// @inheritdoc IProvenanceResolver
    function shares() external view returns (address) {
        return address(_SHARES);
    }

    /// @dev Checks the schema, the fields and that the attester is the model's treasury or one of its evaluators.
    function onAttest(Attestation calldata attestation, uint256 /* value */) internal override returns (bool) {
        if (attestation.schema != _SCHEMA_UID) revert ProvenanceWrongSchema(attestation.schema, _SCHEMA_UID);
        bytes calldata data = attestation.data;
        if (data.length < HEAD_BYTES) revert ProvenanceMalformed(data.length);
        (uint256 modelId, bytes32 manifestHash, string memory kind, string memory uri) = abi.decode(
            data,
            (uint256, bytes32, string, string)
        );
        address treasury = _SHARES.treasuryOf(modelId);
        if (treasury == address(0)) revert ProvenanceUnknownModel(modelId);
        address attester = attestation.attester;
        if (attester != treasury && !_isEvaluator[modelId][attester]) {
            revert ProvenanceUnauthorizedAttester(attester, modelId);
        }
        if (manifestHash == bytes32(0)) revert ProvenanceEmptyManifest(modelId);
        bytes32 kindHash = keccak256(bytes(kind));
        if (kindHash != KIND_TRAINING_DATA && kindHash != KIND_EVALUATION && kindHash != KIND_MODEL_CARD) {
            revert ProvenanceUnknownKind(kind);
        }
        if (bytes(uri).length > MAX_URI_BYTES) revert ProvenanceURITooLong(bytes(uri).length, MAX_URI_BYTES);
        emit ProvenanceAttested(modelId, manifestHash, attestation.uid, attester, kind);
        return true;
    }

    /// @dev EAS lets only the attester revoke its own (revocable) attestations; nothing else to check.
    function onRevoke(Attestation calldata, uint256) internal pure override returns (bool) {
        return true;
    }
}
