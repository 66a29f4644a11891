// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev The most a derivative's parents may take of its revenue together (basis points): see `IModelLineage`.
uint256 constant MAX_PARENT_SHARE_BPS = 5_000;

/**
 * @title IModelLineage
 * @notice Derivative models (fine-tunes, distillations, merges) and the parents they pay. A model is registered as
 * a derivative once, at birth, through one live derivative licence per parent held by the registrant: the model's
 * treasury, by vote, or its creator while the creator holds every fraction (it is then the whole DAO; once anyone
 * else holds one, parents' shares would come out of their revenue too). Each licence's terms, locked when it was
 * bought, name the parent's share of the
 * derivative's revenue and the least the derivative must charge for its own licences.
 *
 * From then on the revenue vault sets aside every parent's share of every payment the derivative earns (licences,
 * renewals, royalties, deposits) before the derivative's own split; of each parent's share, the parent's own parents
 * take theirs in the same transaction, so shares stack multiplicatively up a lineage. What a parent keeps enters its
 * own split when anyone calls `RevenueVault.collectFromDerivatives` (as royalties are collected). Nothing a parent's
 * DAO does later changes a registered derivative's shares.
 *
 * Caps, each with its reason:
 * - `MAX_PARENT_SHARE_BPS` (50%): the parents' shares of a derivative add up to at most half its revenue, so its own
 *   contributors, holders and treasury always keep at least half of what it earns;
 * - `MAX_PARENTS` (4) and `MAX_ROUTES` (8): a payment into a derivative makes one ancestor credit per route up its
 *   lineage (a grandparent reached through two parents twice), about 12,000 gas each, so a payment into any model
 *   stays within about 100,000 gas of an original's;
 * - `MAX_DEPTH` (4): four generations of ancestors, for the same reason and so a lineage stays readable.
 *
 * Lineage has no cycles: a model's parents are fixed while it has no children, and a parent must be another model.
 */
interface IModelLineage {
    /// @notice One parent of a derivative.
    struct Parent {
        uint256 modelId;
        uint256 licenceId;
        uint256 shareBps;
    }

    error ModelLineageUnknownModel(uint256 modelId);
    /// @notice Only the model's treasury (by vote), or its creator while it holds every fraction, registers parents.
    error ModelLineageNotRegistrant(address caller, uint256 modelId);
    /// @notice The creator registers parents alone only while it holds every fraction; otherwise the DAO votes.
    error ModelLineageCreatorNotSoleHolder(address creator, uint256 modelId, uint256 held, uint256 supply);
    error ModelLineageAlreadyRegistered(uint256 modelId);
    /// @notice The model already sells licences or takes payments: its parents would miss what it earned before.
    error ModelLineageNotNew(uint256 modelId, uint256 offers, bool tookPayments);
    error ModelLineageHasChildren(uint256 modelId, uint256 children);
    error ModelLineageInvalidParents(uint256 count, uint256 max);
    error ModelLineageNotLicenceHolder(address caller, uint256 licenceId, address holder);
    error ModelLineageLicenceNotLive(uint256 licenceId);
    error ModelLineageNotDerivativeLicence(uint256 licenceId);
    /// @notice Each licence registers one derivative.
    error ModelLineageLicenceUsed(uint256 licenceId, uint256 derivativeId);
    error ModelLineageCycle(uint256 modelId, uint256 parentId);
    error ModelLineageDuplicateParent(uint256 parentId);
    error ModelLineageShareAboveCap(uint256 totalBps, uint256 maxBps);
    error ModelLineageTooDeep(uint256 depth, uint256 maxDepth);
    error ModelLineageTooManyRoutes(uint256 routes, uint256 maxRoutes);
    /// @notice Two parents ask for a minimum price in different payment tokens: no offer could meet both.
    error ModelLineageConflictingMinPrice(address token, address otherToken);

    /// @notice `modelId` was registered as a derivative of `parents` (ids, licences used, shares in basis points).
    event DerivativeRegistered(
        uint256 indexed modelId,
        address indexed registrant,
        uint256[] parentIds,
        uint256[] licenceIds,
        uint256[] shareBps,
        address minPriceToken,
        uint256 minPrice
    );

    /**
     * @notice Registers `modelId` as a derivative of the models of `licenceIds`, one live derivative licence per
     * parent, held by the caller. The caller is the model's treasury, or its creator while holding every fraction;
     * the model has published no offer and allowed no payment token yet. Each licence can register one derivative.
     */
    function registerDerivative(uint256 modelId, uint256[] calldata licenceIds) external;

    /// @notice The parents of `modelId` with the licence each was registered through and its share.
    function parentsOf(uint256 modelId) external view returns (Parent[] memory);

    /// @notice The models registered as derivatives of `modelId`.
    function childrenOf(uint256 modelId) external view returns (uint256[] memory);

    /// @notice Generations of ancestors above `modelId` (0 for an original model) and the ancestor credits one
    /// payment into it makes.
    function depthOf(uint256 modelId) external view returns (uint256 depth, uint256 routes);

    /// @notice The least `modelId` must charge for a licence, and in which token (price 0: no floor). It is the
    /// highest floor its parents' licences set and its parents must meet themselves.
    function minPriceOf(uint256 modelId) external view returns (address token, uint256 price);

    /// @notice The derivative `licenceId` registered (0 if none).
    function derivativeOf(uint256 licenceId) external view returns (uint256 modelId);
}
