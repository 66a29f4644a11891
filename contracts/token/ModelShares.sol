// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1155Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC1155/ERC1155Upgradeable.sol";
import {ERC1155BurnableUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC1155/extensions/ERC1155BurnableUpgradeable.sol";
import {ERC1155SupplyUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC1155/extensions/ERC1155SupplyUpgradeable.sol";
import {ERC2981Upgradeable} from "@openzeppelin/contracts-upgradeable/token/common/ERC2981Upgradeable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {IModelShares} from "../interfaces/IModelShares.sol";
import {IModelVotes} from "../interfaces/IModelVotes.sol";
import {IRevenueHook} from "../interfaces/IRevenueHook.sol";

/**
 * @title ModelShares
 * @notice The fractions of every Weightshare model: one ERC-1155 id per model, with per-id supply, metadata URI
 * and ERC-2981 royalty. Each balance change is reported to the model's `ModelVotes` clone inside `_update`, so
 * votes are already moved when an `onERC1155Received` hook runs.
 * @dev UUPS proxy with ERC-7201 storage. Upgrades: protocol admin (`DEFAULT_ADMIN_ROLE`) only.
 */
contract ModelShares is
    Initializable,
    ERC1155SupplyUpgradeable,
    ERC1155BurnableUpgradeable,
    ERC2981Upgradeable,
    AccessControlUpgradeable,
    UUPSUpgradeable,
    IModelShares
{
    /// @notice Role that may create models (granted to the registry).
    bytes32 public constant MODEL_CREATOR_ROLE = keccak256("MODEL_CREATOR_ROLE");

    /// @notice Votes are counted in `uint208`; no model's supply may exceed it.
    uint256 public constant MAX_SUPPLY_PER_MODEL = type(uint208).max;

    /// @dev What `ModelShares` keeps per model. `votes` and `trackRevenue` share the one slot the transfer path reads.
    struct Model {
        address votes;
        bool trackRevenue;
        address treasury;
        string uri;
    }

    /// @custom:storage-location erc7201:weightshare.storage.ModelShares
    struct ModelSharesStorage {
        address votesImplementation;
        uint256 modelCount;
        mapping(uint256 modelId => Model) models;
        address revenueHook;
        mapping(uint256 modelId => mapping(address minter => uint256)) mintingGrants;
        // The sum of a model's minting grants: room kept under `MAX_SUPPLY_PER_MODEL` for what they may mint.
        mapping(uint256 modelId => uint256) grantedTotal;
    }

    // keccak256(abi.encode(uint256(keccak256("weightshare.storage.ModelShares")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MODEL_SHARES_STORAGE_LOCATION =
        0xdcb22c2a8a4ef29ccf861b260a2c53c25b73af08461e5cd48925c6ae17523200;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy.
     * @param admin the protocol admin (a timelock): upgrades, votes implementation, role management
     * @param votesImplementation_ the `ModelVotes` implementation cloned for each new model
     */
    function initialize(address admin, address votesImplementation_) external initializer {
        __ERC1155_init("");
        __ERC1155Supply_init();
        __ERC1155Burnable_init();
        __ERC2981_init();
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setVotesImplementation(votesImplementation_);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Model creation (registry)
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IModelShares
    function createModel(
        address treasury,
        string calldata name,
        string calldata symbol,
        string calldata uri_,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) external onlyRole(MODEL_CREATOR_ROLE) returns (uint256 modelId, address votes) {
        if (treasury == address(0)) revert ModelSharesInvalidTreasury(treasury);
        if (recipients.length != amounts.length) {
            revert ModelSharesInvalidArrayLength(recipients.length, amounts.length);
        }
        (modelId, votes) = _newModel(treasury, uri_);
        IModelVotes(votes).initialize(name, symbol);
        emit ModelCreated(modelId, votes, treasury, uri_);
        if (bytes(uri_).length != 0) emit URI(uri_, modelId);
        for (uint256 i = 0; i < recipients.length; ++i) {
            _mint(recipients[i], modelId, amounts[i], "");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Per-model settings (the model's treasury)
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IModelShares
    function mint(address to, uint256 modelId, uint256 amount, bytes calldata data) external {
        _checkTreasury(modelId);
        _mint(to, modelId, amount, data);
    }

    /// @inheritdoc IModelShares
    function grantMinting(uint256 modelId, address minter, uint256 amount) external {
        _checkTreasury(modelId);
        if (minter == address(0) || amount == 0) revert ModelSharesInvalidGrant(minter, amount);
        ModelSharesStorage storage $ = _getModelSharesStorage();
        uint256 outstanding = $.grantedTotal[modelId] + amount;
        uint256 promised = totalSupply(modelId) + outstanding;
        if (promised > MAX_SUPPLY_PER_MODEL) revert ModelSharesSupplyOverflow(modelId, promised, MAX_SUPPLY_PER_MODEL);
        $.grantedTotal[modelId] = outstanding;
        uint256 granted = $.mintingGrants[modelId][minter] + amount;
        $.mintingGrants[modelId][minter] = granted;
        emit MintingGranted(modelId, minter, amount, granted);
    }

    /// @inheritdoc IModelShares
    function mintGranted(address to, uint256 modelId, uint256 amount, bytes calldata data) external {
        _useGrant(modelId, amount);
        _mint(to, modelId, amount, data);
    }

    /// @inheritdoc IModelShares
    function renounceMinting(uint256 modelId, uint256 amount) external {
        emit MintingRenounced(modelId, msg.sender, amount, _useGrant(modelId, amount));
    }

    /// @inheritdoc IModelShares
    function setURI(uint256 modelId, string calldata uri_) external {
        _checkTreasury(modelId);
        _getModelSharesStorage().models[modelId].uri = uri_;
        emit URI(uri_, modelId);
    }

    /// @inheritdoc IModelShares
    function setRoyalty(uint256 modelId, address receiver, uint96 feeNumerator) external {
        _checkTreasury(modelId);
        if (receiver == address(0)) {
            _resetTokenRoyalty(modelId);
            feeNumerator = 0;
        } else {
            _setTokenRoyalty(modelId, receiver, feeNumerator);
        }
        emit RoyaltySet(modelId, receiver, feeNumerator);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Protocol admin
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IModelShares
    function setVotesImplementation(address implementation) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setVotesImplementation(implementation);
    }

    /// @inheritdoc IModelShares
    function setRevenueHook(address hook) external onlyRole(DEFAULT_ADMIN_ROLE) {
        ModelSharesStorage storage $ = _getModelSharesStorage();
        emit RevenueHookSet($.revenueHook, hook);
        $.revenueHook = hook;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Revenue hook
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IModelShares
    function setRevenueTracking(uint256 modelId, bool tracked) external {
        ModelSharesStorage storage $ = _getModelSharesStorage();
        if (msg.sender != $.revenueHook || msg.sender == address(0)) {
            revert ModelSharesUnauthorizedRevenueHook(msg.sender);
        }
        Model storage model = $.models[modelId];
        if (model.votes == address(0)) revert ModelSharesUnknownModel(modelId);
        model.trackRevenue = tracked;
        emit RevenueTrackingSet(modelId, tracked);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The metadata URI of `modelId` (empty for an unknown id or one without metadata).
    function uri(uint256 modelId) public view override returns (string memory) {
        return _getModelSharesStorage().models[modelId].uri;
    }

    /// @inheritdoc IModelShares
    function mintingGrant(uint256 modelId, address minter) external view returns (uint256) {
        return _getModelSharesStorage().mintingGrants[modelId][minter];
    }

    /// @inheritdoc IModelShares
    function votesOf(uint256 modelId) external view returns (address) {
        return _getModelSharesStorage().models[modelId].votes;
    }

    /// @inheritdoc IModelShares
    function treasuryOf(uint256 modelId) external view returns (address) {
        return _getModelSharesStorage().models[modelId].treasury;
    }

    /// @inheritdoc IModelShares
    function modelCount() external view returns (uint256) {
        return _getModelSharesStorage().modelCount;
    }

    /// @inheritdoc IModelShares
    function revenueHook() external view returns (address) {
        return _getModelSharesStorage().revenueHook;
    }

    /// @inheritdoc IModelShares
    function revenueTracked(uint256 modelId) external view returns (bool) {
        return _getModelSharesStorage().models[modelId].trackRevenue;
    }

    /// @inheritdoc IModelShares
    function votesImplementation() external view returns (address) {
        return _getModelSharesStorage().votesImplementation;
    }

    /// @inheritdoc IModelShares
    function predictVotesAddress(uint256 modelId, address treasury) external view returns (address) {
        return
            Clones.predictDeterministicAddressWithImmutableArgs(
                _getModelSharesStorage().votesImplementation,
                _votesArgs(modelId, treasury),
                bytes32(modelId)
            );
    }

    /// @notice ERC-165: ERC-1155, ERC-1155 metadata, ERC-2981 and AccessControl.
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(ERC1155Upgradeable, ERC2981Upgradeable, AccessControlUpgradeable) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @dev The single hook every balance change goes through (mint, burn, transfer, batch). For a model that tracks
     * revenue, the revenue hook is told first, before balances change, so a transfer moves future revenue and
     * never revenue already earned. Then balances and supply change, then each entry is reported to its model's
     * votes, in order, so a batch that repeats an id is counted entry by entry. Receiver acceptance checks run
     * after this function returns.
     */
    function _update(
        address from,
        address to,
        uint256[] memory ids,
        uint256[] memory values
    ) internal override(ERC1155Upgradeable, ERC1155SupplyUpgradeable) {
        ModelSharesStorage storage $ = _getModelSharesStorage();
        mapping(uint256 => Model) storage models = $.models;
        for (uint256 i = 0; i < ids.length; ++i) {
            if (models[ids[i]].trackRevenue) {
                IRevenueHook($.revenueHook).beforeSharesMoved(ids[i], from, to, values[i]);
            }
        }
        super._update(from, to, ids, values);
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 id = ids[i];
            address votes = models[id].votes;
            if (votes == address(0)) revert ModelSharesUnknownModel(id);
            if (from == address(0)) {
                // What grants may still mint is kept free: the treasury cannot mint away fractions owed to backers.
                uint256 supply = totalSupply(id) + $.grantedTotal[id];
                if (supply > MAX_SUPPLY_PER_MODEL) revert ModelSharesSupplyOverflow(id, supply, MAX_SUPPLY_PER_MODEL);
            }
            IModelVotes(votes).onSharesMoved(from, to, values[i]);
        }
    }

    /// @dev Upgrades are authorised by the protocol admin only.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _checkTreasury(uint256 modelId) private view {
        address treasury = _getModelSharesStorage().models[modelId].treasury;
        if (treasury == address(0)) revert ModelSharesUnknownModel(modelId);
        if (msg.sender != treasury) revert ModelSharesUnauthorizedTreasury(msg.sender, modelId);
    }

    /// @dev Takes `amount` off the caller's grant for `modelId`; returns what is left.
    function _useGrant(uint256 modelId, uint256 amount) private returns (uint256 left) {
        ModelSharesStorage storage $ = _getModelSharesStorage();
        mapping(address => uint256) storage grants = $.mintingGrants[modelId];
        uint256 granted = grants[msg.sender];
        if (amount > granted) revert ModelSharesMintingExceedsGrant(modelId, msg.sender, amount, granted);
        left = granted - amount;
        grants[msg.sender] = left;
        $.grantedTotal[modelId] -= amount;
    }

    /// @dev Allocates the next id, clones its votes at the predicted address and records the model.
    function _newModel(address treasury, string calldata uri_) private returns (uint256 modelId, address votes) {
        ModelSharesStorage storage $ = _getModelSharesStorage();
        modelId = ++$.modelCount;
        votes = Clones.cloneDeterministicWithImmutableArgs(
            $.votesImplementation,
            _votesArgs(modelId, treasury),
            bytes32(modelId)
        );
        Model storage model = $.models[modelId];
        model.votes = votes;
        model.treasury = treasury;
        model.uri = uri_;
    }

    function _setVotesImplementation(address implementation) private {
        if (implementation.code.length == 0) revert ModelSharesInvalidVotesImplementation(implementation);
        ModelSharesStorage storage $ = _getModelSharesStorage();
        emit VotesImplementationSet($.votesImplementation, implementation);
        $.votesImplementation = implementation;
    }

    function _votesArgs(uint256 modelId, address treasury) private view returns (bytes memory) {
        return abi.encode(address(this), treasury, modelId);
    }

    function _getModelSharesStorage() private pure returns (ModelSharesStorage storage $) {
        assembly {
            $.slot := MODEL_SHARES_STORAGE_LOCATION
        }
    }
}
