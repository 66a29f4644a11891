// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IModelGovernor} from "./IModelGovernor.sol";

/**
 * @title IModelRegistry
 * @notice Registers models: in one permissionless transaction, allocates the id, mints the initial fractions to
 * the consortium, and creates the model's votes, governor and timelock (treasury) at addresses that can be
 * predicted before the call. The registry keeps no role in any model.
 */
interface IModelRegistry {
    /// @notice Everything a model is registered with.
    struct Registration {
        string name;
        string symbol;
        bytes32 contentHash;
        string metadataURI;
        address[] members;
        uint256[] amounts;
        IModelGovernor.GovernorSettings governor;
        uint256 timelockDelay;
    }

    /// @notice What the registry stores per model.
    struct ModelRecord {
        string name;
        address creator;
        bytes32 contentHash;
        uint64 createdAt;
        address votes;
        address governor;
        address timelock;
    }

    /// @notice The model's name is empty.
    error ModelRegistryEmptyName();

    /// @notice There must be at least one member, with as many amounts as members.
    error ModelRegistryInvalidMembers(uint256 members, uint256 amounts);

    /// @notice Member `index` is the zero address or receives zero fractions.
    error ModelRegistryInvalidMember(uint256 index, address account, uint256 amount);

    /// @notice No model has this id.
    error ModelRegistryUnknownModel(uint256 modelId);

    /// @notice `caller` is not the timelock of `modelId`.
    error ModelRegistryUnauthorizedTimelock(address caller, uint256 modelId);

    /// @notice An implementation must be a deployed contract.
    error ModelRegistryInvalidImplementation(address implementation);

    /// @notice `ModelShares` allocated a different id than the registry predicted (another creator raced it).
    error ModelRegistryIdMismatch(uint256 expected, uint256 actual);

    /// @notice A model was registered. Carries every address and parameter an indexer needs.
    event ModelRegistered(
        uint256 indexed modelId,
        address indexed creator,
        address indexed governor,
        address votes,
        address timelock,
        Registration registration
    );

    /// @notice The model's content hash changed (by its own timelock).
    event ContentHashUpdated(uint256 indexed modelId, bytes32 previous, bytes32 current);

    /// @notice The implementations cloned for models registered from now on changed.
    event ImplementationsSet(address governorImplementation, address timelockImplementation);

    /**
     * @notice Registers a model. Permissionless. Reverts with a custom error naming the first bad parameter
     * and its value (`GovernanceBounds.GovernanceParameterOutOfBounds`, `ModelRegistryInvalidMember`, ...);
     * nothing is minted or deployed on revert.
     * @return modelId the new model's id
     * @return record the stored record, with the votes, governor and timelock addresses
     */
    function registerModel(
        Registration calldata registration
    ) external returns (uint256 modelId, ModelRecord memory record);

    /// @notice Sets the model's content hash (e.g. after a new model version). Only that model's timelock.
    function setContentHash(uint256 modelId, bytes32 contentHash) external;

    /// @notice Sets the governor and timelock implementations cloned for new models. Protocol admin only.
    function setImplementations(address governorImplementation, address timelockImplementation) external;

    /// @notice The record of `modelId`.
    function model(uint256 modelId) external view returns (ModelRecord memory);

    /// @notice How many models exist (the same count as `ModelShares.modelCount()`).
    function modelCount() external view returns (uint256);

    /**
     * @notice Where the treasury (timelock) and governor of `registrant`'s next model will be deployed: they depend
     * only on the registrant and how many models it registered before, so nobody can take them by registering
     * first. The id (and the votes address, which mirrors balances and holds nothing) is the next free one at the
     * time of the call and may change if others register first.
     */
    function predictAddresses(
        address registrant
    ) external view returns (uint256 modelId, address votes, address governor, address timelock);

    /// @notice How many models `registrant` has registered.
    function registrationsOf(address registrant) external view returns (uint256);

    /// @notice The `ModelShares` contract the registry creates models in.
    function shares() external view returns (address);

    /// @notice The governor and timelock implementations cloned for new models.
    function implementations() external view returns (address governorImplementation, address timelockImplementation);
}
