// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {ERC1155Supply} from "@openzeppelin/contracts/token/ERC1155/extensions/ERC1155Supply.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {ILicenseManager} from "../interfaces/ILicenseManager.sol";
import {IModelLineage, MAX_PARENT_SHARE_BPS} from "../interfaces/IModelLineage.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IRevenueVault} from "../interfaces/IRevenueVault.sol";

/**
 * @title ModelLineage
 * @notice Registers derivative models against the derivative licences of their parents, and tells the revenue vault
 * whom each derivative pays. See `IModelLineage`.
 * @dev The lineage is a DAG by construction: a model's parents are set once, while it has no children, and never
 * include itself, so no model can become its own ancestor. Depth and the number of ancestor credits per payment
 * (`routes`, counting each path up the DAG) are computed at registration from the parents' own, so the vault's
 * recursive credit is bounded without walking anything here. UUPS proxy with ERC-7201 storage; upgrades by the
 * protocol admin only.
 */
contract ModelLineage is Initializable, AccessControlUpgradeable, UUPSUpgradeable, IModelLineage {
    /// @notice Parents one derivative may have.
    uint256 public constant MAX_PARENTS = 4;
    /// @notice Generations of ancestors above a derivative.
    uint256 public constant MAX_DEPTH = 4;
    /// @notice Ancestor credits one payment into a derivative may make (one per path up its lineage).
    uint256 public constant MAX_ROUTES = 8;

    /// @dev One model's place in the lineage.
    struct Node {
        Parent[] parents;
        uint256[] children;
        uint8 depth;
        uint8 routes;
        address floorToken;
        uint128 floor;
    }

    /// @dev What a registration adds up over its parents.
    struct Tally {
        uint256[] parentIds;
        uint256[] shares;
        uint256 total;
        uint256 depth;
        uint256 routes;
        address floorToken;
        uint256 floor;
    }

    /// @custom:storage-location erc7201:weightshare.storage.ModelLineage
    struct ModelLineageStorage {
        IModelRegistry registry;
        ILicenseManager licenses;
        IRevenueVault vault;
        mapping(uint256 modelId => Node) nodes;
        mapping(uint256 licenceId => uint256 modelId) derivativeOf;
    }

    // keccak256(abi.encode(uint256(keccak256("weightshare.storage.ModelLineage")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MODEL_LINEAGE_STORAGE_LOCATION =
        0x329f1204f5f23b93905e0c62f5bcc7dd4191aabd379d682bb026df2ce6092a00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy. Grant it the vault's `LINEAGE_ROLE` and name it in `LicenseManager.setLineage`.
     * @param admin the protocol admin (a timelock): upgrades only
     * @param registry the `ModelRegistry` (creators and treasuries)
     * @param licenses the `LicenseManager` (derivative licences and their terms)
     * @param vault the `RevenueVault` that pays parents
     */
    function initialize(
        address admin,
        IModelRegistry registry,
        ILicenseManager licenses,
        IRevenueVault vault
    ) external initializer {
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        ModelLineageStorage storage $ = _getModelLineageStorage();
        $.registry = registry;
        $.licenses = licenses;
        $.vault = vault;
    }

    /// @inheritdoc IModelLineage
    function registerDerivative(uint256 modelId, uint256[] calldata licenceIds) external {
        ModelLineageStorage storage $ = _getModelLineageStorage();
        Node storage node = _checkNewDerivative($, modelId, licenceIds.length);
        Tally memory tally = Tally(
            new uint256[](licenceIds.length),
            new uint256[](licenceIds.length),
            0,
            0,
            0,
            address(0),
            0
        );
        for (uint256 i = 0; i < licenceIds.length; ++i) _addParent($, node, modelId, licenceIds[i], i, tally);
        if (tally.total > MAX_PARENT_SHARE_BPS) revert ModelLineageShareAboveCap(tally.total, MAX_PARENT_SHARE_BPS);
        if (tally.depth > MAX_DEPTH) revert ModelLineageTooDeep(tally.depth, MAX_DEPTH);
        if (tally.routes > MAX_ROUTES) revert ModelLineageTooManyRoutes(tally.routes, MAX_ROUTES);
        node.depth = uint8(tally.depth);
        node.routes = uint8(tally.routes);
        node.floorToken = tally.floorToken;
        node.floor = uint128(tally.floor);
        $.vault.setParents(modelId, tally.parentIds, tally.shares);
        emit DerivativeRegistered(
            modelId,
            msg.sender,
            tally.parentIds,
            licenceIds,
            tally.shares,
            tally.floorToken,
            tally.floor
        );
    }

    /// @inheritdoc IModelLineage
    function parentsOf(uint256 modelId) external view returns (Parent[] memory) {
        return _getModelLineageStorage().nodes[modelId].parents;
    }

    /// @inheritdoc IModelLineage
    function childrenOf(uint256 modelId) external view returns (uint256[] memory) {
        return _getModelLineageStorage().nodes[modelId].children;
    }

    /// @inheritdoc IModelLineage
    function depthOf(uint256 modelId) external view returns (uint256 depth, uint256 routes) {
        Node storage node = _getModelLineageStorage().nodes[modelId];
        return (node.depth, node.routes);
    }

    /// @inheritdoc IModelLineage
    function minPriceOf(uint256 modelId) external view returns (address token, uint256 price) {
        Node storage node = _getModelLineageStorage().nodes[modelId];
        return (node.floorToken, node.floor);
    }

    /// @inheritdoc IModelLineage
    function derivativeOf(uint256 licenceId) external view returns (uint256 modelId) {
        return _getModelLineageStorage().derivativeOf[licenceId];
    }

    /// @notice The registry, licence manager and revenue vault this lineage works with.
    function contracts() external view returns (address registry, address licenses, address vault) {
        ModelLineageStorage storage $ = _getModelLineageStorage();
        return (address($.registry), address($.licenses), address($.vault));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /// @dev The caller registers the model (its treasury, or its creator while holding every fraction); the model is new: no parents yet, no
    /// children, no offer published and no payment token ever allowed (its royalty receiver exists from the first).
    function _checkNewDerivative(
        ModelLineageStorage storage $,
        uint256 modelId,
        uint256 parents
    ) private view returns (Node storage node) {
        if (modelId == 0 || modelId > $.registry.modelCount()) revert ModelLineageUnknownModel(modelId);
        IModelRegistry.ModelRecord memory record = $.registry.model(modelId);
        if (msg.sender != record.timelock) {
            if (msg.sender != record.creator) revert ModelLineageNotRegistrant(msg.sender, modelId);
            // The creator alone decides only while it alone holds the model (it is then the whole DAO): once anyone
            // else holds a fraction, parents' shares come out of their revenue too, and the DAO decides by vote.
            address shares = $.registry.shares();
            uint256 held = IERC1155(shares).balanceOf(msg.sender, modelId);
            uint256 supply = ERC1155Supply(shares).totalSupply(modelId);
            if (held != supply) revert ModelLineageCreatorNotSoleHolder(msg.sender, modelId, held, supply);
        }
        node = $.nodes[modelId];
        if (node.parents.length != 0) revert ModelLineageAlreadyRegistered(modelId);
        if (node.children.length != 0) revert ModelLineageHasChildren(modelId, node.children.length);
        if (parents == 0 || parents > MAX_PARENTS) revert ModelLineageInvalidParents(parents, MAX_PARENTS);
        uint256 offers = $.licenses.offerCount(modelId);
        bool tookPayments = $.vault.royaltyReceiverOf(modelId).code.length != 0;
        if (offers != 0 || tookPayments) revert ModelLineageNotNew(modelId, offers, tookPayments);
    }

    /// @dev Records the parent of licence `licenceId` (the `i`th) and adds its share, depth, routes and floor.
    function _addParent(
        ModelLineageStorage storage $,
        Node storage node,
        uint256 modelId,
        uint256 licenceId,
        uint256 i,
        Tally memory tally
    ) private {
        (uint256 parentId, ILicenseManager.Terms memory t) = _derivativeLicence($, modelId, licenceId);
        for (uint256 j = 0; j < i; ++j) {
            if (tally.parentIds[j] == parentId) revert ModelLineageDuplicateParent(parentId);
        }
        tally.parentIds[i] = parentId;
        tally.shares[i] = t.parentShareBps;
        tally.total += t.parentShareBps;
        Node storage parent = $.nodes[parentId];
        if (parent.depth + 1 > tally.depth) tally.depth = parent.depth + 1;
        tally.routes += 1 + parent.routes;
        (tally.floorToken, tally.floor) = _higherFloor(
            tally.floorToken,
            tally.floor,
            t.paymentToken,
            t.minDerivativePrice
        );
        (tally.floorToken, tally.floor) = _higherFloor(tally.floorToken, tally.floor, parent.floorToken, parent.floor);
        node.parents.push(Parent(parentId, licenceId, t.parentShareBps));
        parent.children.push(modelId);
        $.derivativeOf[licenceId] = modelId;
    }

    /// @dev A live derivative licence, held by the caller, not used before, of another model.
    function _derivativeLicence(
        ModelLineageStorage storage $,
        uint256 modelId,
        uint256 licenceId
    ) private view returns (uint256 parentId, ILicenseManager.Terms memory t) {
        ILicenseManager licenses = $.licenses;
        ILicenseManager.Licence memory lic = licenses.licence(licenceId);
        address holder = IERC721(address(licenses)).ownerOf(licenceId);
        if (holder != msg.sender) revert ModelLineageNotLicenceHolder(msg.sender, licenceId, holder);
        if (!licenses.isLive(licenceId)) revert ModelLineageLicenceNotLive(licenceId);
        uint256 used = $.derivativeOf[licenceId];
        if (used != 0) revert ModelLineageLicenceUsed(licenceId, used);
        t = licenses.terms(lic.termsId);
        if (!t.derivativesAllowed) revert ModelLineageNotDerivativeLicence(licenceId);
        parentId = lic.modelId;
        if (parentId == modelId) revert ModelLineageCycle(modelId, parentId);
    }

    /// @dev The higher of two price floors; floors in different tokens cannot both be met.
    function _higherFloor(
        address token,
        uint256 floor,
        address otherToken,
        uint256 otherFloor
    ) private pure returns (address, uint256) {
        if (otherFloor == 0) return (token, floor);
        if (floor == 0) return (otherToken, otherFloor);
        if (token != otherToken) revert ModelLineageConflictingMinPrice(token, otherToken);
        return (token, otherFloor > floor ? otherFloor : floor);
    }

    /// @dev Upgrades are authorised by the protocol admin only.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _getModelLineageStorage() private pure returns (ModelLineageStorage storage $) {
        assembly {
            $.slot := MODEL_LINEAGE_STORAGE_LOCATION
        }
    }
}
