// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {GovernanceBounds} from "../governance/GovernanceBounds.sol";
import {ModelTimelock} from "../governance/ModelTimelock.sol";
import {IModelGovernor} from "../interfaces/IModelGovernor.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IModelShares} from "../interfaces/IModelShares.sol";

/**
 * @title ModelRegistry
 * @notice Permissionless registration of models: one transaction allocates the id, creates the model's timelock
 * (treasury), governor and votes as clones at predictable addresses, wires their roles, and mints the initial
 * fractions. The registry keeps no role in any model.
 * @dev UUPS proxy with ERC-7201 storage; upgrades and implementation changes by the protocol admin only.
 * Registration order matters: the timelock and governor are initialised before `ModelShares` mints, so no
 * receiver hook of a member can ever see (or initialise) a half-built model.
 */
contract ModelRegistry is Initializable, AccessControlUpgradeable, UUPSUpgradeable, IModelRegistry {
    /// @custom:storage-location erc7201:weightshare.storage.ModelRegistry
    struct ModelRegistryStorage {
        IModelShares shares;
        address governorImplementation;
        address timelockImplementation;
        mapping(uint256 modelId => ModelRecord) models;
        // Appended in V2: how many models each account registered (the clone salt is (registrant, this count)).
        mapping(address registrant => uint256) registrations;
    }

    // keccak256(abi.encode(uint256(keccak256("weightshare.storage.ModelRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MODEL_REGISTRY_STORAGE_LOCATION =
        0x9afd40a80356b2989334759ea2eb1005d9ae776cc05539feeac92c8e56cce800;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy.
     * @param admin the protocol admin (a timelock): upgrades and implementations for new models
     * @param shares_ the `ModelShares` proxy; the registry needs its `MODEL_CREATOR_ROLE`
     * @param governorImplementation the locked `ModelGovernor` cloned per model
     * @param timelockImplementation the locked `ModelTimelock` cloned per model
     */
    function initialize(
        address admin,
        IModelShares shares_,
        address governorImplementation,
        address timelockImplementation
    ) external initializer {
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _getModelRegistryStorage().shares = shares_;
        _setImplementations(governorImplementation, timelockImplementation);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Registration
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function registerModel(
        Registration calldata registration
    ) external returns (uint256 modelId, ModelRecord memory record) {
        _validate(registration);
        ModelRegistryStorage storage $ = _getModelRegistryStorage();
        modelId = $.shares.modelCount() + 1;
        // Salted by the registrant and its own count: nobody else can take the addresses it predicted (and
        // perhaps funded) by registering first.
        bytes32 salt = _salt(msg.sender, $.registrations[msg.sender]++);

        record.name = registration.name;
        record.creator = msg.sender;
        record.contentHash = registration.contentHash;
        record.createdAt = uint64(block.timestamp);
        record.votes = $.shares.predictVotesAddress(modelId, _predictTimelock($, salt));
        record.timelock = Clones.cloneDeterministic($.timelockImplementation, salt);
        record.governor = Clones.cloneDeterministic($.governorImplementation, salt);

        // 1. Timelock: the governor proposes, cancels and executes; the timelock administers itself.
        address[] memory governorOnly = new address[](1);
        governorOnly[0] = record.governor;
        ModelTimelock(payable(record.timelock)).initialize(
            registration.timelockDelay,
            governorOnly,
            governorOnly,
            address(0)
        );
        // 2. Governor over the (predicted) votes and the timelock.
        IModelGovernor(record.governor).initialize(
            registration.name,
            IVotes(record.votes),
            payable(record.timelock),
            registration.governor
        );
        // 3. Only now: the votes clone and the initial fractions (receiver hooks may run from here on).
        _createShares($, modelId, record, registration);

        $.models[modelId] = record;
        emit ModelRegistered(modelId, msg.sender, record.governor, record.votes, record.timelock, registration);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Per model (its timelock) and protocol admin
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function setContentHash(uint256 modelId, bytes32 contentHash) external {
        ModelRecord storage record = _getModelRegistryStorage().models[modelId];
        if (record.timelock == address(0)) revert ModelRegistryUnknownModel(modelId);
        if (msg.sender != record.timelock) revert ModelRegistryUnauthorizedTimelock(msg.sender, modelId);
        emit ContentHashUpdated(modelId, record.contentHash, contentHash);
        record.contentHash = contentHash;
    }

    /// @inheritdoc IModelRegistry
    function setImplementations(
        address governorImplementation,
        address timelockImplementation
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setImplementations(governorImplementation, timelockImplementation);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function model(uint256 modelId) external view returns (ModelRecord memory record) {
        record = _getModelRegistryStorage().models[modelId];
        if (record.timelock == address(0)) revert ModelRegistryUnknownModel(modelId);
    }

    /// @inheritdoc IModelRegistry
    function modelCount() external view returns (uint256) {
        return _getModelRegistryStorage().shares.modelCount();
    }

    /// @inheritdoc IModelRegistry
    function predictAddresses(
        address registrant
    ) external view returns (uint256 modelId, address votes, address governor, address timelock) {
        ModelRegistryStorage storage $ = _getModelRegistryStorage();
        bytes32 salt = _salt(registrant, $.registrations[registrant]);
        modelId = $.shares.modelCount() + 1;
        timelock = _predictTimelock($, salt);
        governor = Clones.predictDeterministicAddress($.governorImplementation, salt);
        votes = $.shares.predictVotesAddress(modelId, timelock);
    }

    /// @inheritdoc IModelRegistry
    function registrationsOf(address registrant) external view returns (uint256) {
        return _getModelRegistryStorage().registrations[registrant];
    }

    /// @inheritdoc IModelRegistry
    function shares() external view returns (address) {
        return address(_getModelRegistryStorage().shares);
    }

    /// @inheritdoc IModelRegistry
    function implementations() external view returns (address governorImplementation, address timelockImplementation) {
        ModelRegistryStorage storage $ = _getModelRegistryStorage();
        return ($.governorImplementation, $.timelockImplementation);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Every check runs before anything is deployed or minted; the first failure names its parameter.
    function _validate(Registration calldata r) private pure {
        if (bytes(r.name).length == 0) revert ModelRegistryEmptyName();
        uint256 count = r.members.length;
        if (count == 0 || count != r.amounts.length) revert ModelRegistryInvalidMembers(count, r.amounts.length);
        uint256 supply;
        for (uint256 i = 0; i < count; ++i) {
            uint256 amount = r.amounts[i];
            if (r.members[i] == address(0) || amount == 0 || amount > type(uint208).max) {
                revert ModelRegistryInvalidMember(i, r.members[i], amount);
            }
            supply += amount;
        }
        GovernanceBounds.check("initialSupply", supply, 1, type(uint208).max);
        GovernanceBounds.checkVotingDelay(r.governor.votingDelay);
        GovernanceBounds.checkVotingPeriod(r.governor.votingPeriod);
        GovernanceBounds.check("proposalThreshold", r.governor.proposalThreshold, 0, supply);
        GovernanceBounds.checkQuorumPercent(r.governor.quorumNumerator);
        GovernanceBounds.check("lateQuorumExtension", r.governor.lateQuorumExtension, 0, r.governor.votingPeriod);
        GovernanceBounds.checkTimelockDelay(r.timelockDelay);
    }

    function _createShares(
        ModelRegistryStorage storage $,
        uint256 modelId,
        ModelRecord memory record,
        Registration calldata r
    ) private {
        (uint256 createdId, address createdVotes) = $.shares.createModel(
            record.timelock,
            string.concat(r.name, " Votes"),
            r.symbol,
            r.metadataURI,
            r.members,
            r.amounts
        );
        if (createdId != modelId || createdVotes != record.votes) revert ModelRegistryIdMismatch(modelId, createdId);
    }

    function _salt(address registrant, uint256 nonce) private pure returns (bytes32) {
        return keccak256(abi.encode(registrant, nonce));
    }

    function _predictTimelock(ModelRegistryStorage storage $, bytes32 salt) private view returns (address) {
        return Clones.predictDeterministicAddress($.timelockImplementation, salt);
    }

    function _setImplementations(address governorImplementation, address timelockImplementation) private {
        if (governorImplementation.code.length == 0) revert ModelRegistryInvalidImplementation(governorImplementation);
        if (timelockImplementation.code.length == 0) revert ModelRegistryInvalidImplementation(timelockImplementation);
        ModelRegistryStorage storage $ = _getModelRegistryStorage();
        $.governorImplementation = governorImplementation;
        $.timelockImplementation = timelockImplementation;
        emit ImplementationsSet(governorImplementation, timelockImplementation);
    }

    /// @dev Upgrades are authorised by the protocol admin only.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _getModelRegistryStorage() private pure returns (ModelRegistryStorage storage $) {
        assembly {
            $.slot := MODEL_REGISTRY_STORAGE_LOCATION
        }
    }
}
