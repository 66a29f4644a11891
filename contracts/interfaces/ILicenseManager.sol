// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title ILicenseManager
 * @notice Licences for models. Each model's DAO (its timelock) publishes offers; a buyer gets an ERC-721 licence
 * that records the terms in force when it was bought, its expiry and its usage credits. Later votes change what new
 * buyers get, never what existing licensees bought. Every payment is credited to the model's revenue in the same
 * transaction. Usage credits are spent by the `UsageMeter` (see `IUsageMeter`), with receipts signed by licensees.
 *
 * `address(0)` as a payment token is ETH. A duration of 0 is perpetual; credits of 0 mean unmetered; a cap of 0
 * means unlimited.
 */
interface ILicenseManager {
    /// @notice An offer as the DAO sets it.
    struct OfferTerms {
        uint128 price;
        address paymentToken;
        uint48 duration;
        uint64 credits;
        uint32 cap;
        bool transferable;
        bool commercialUse;
        bool derivativesAllowed;
        bool onSale;
        string termsURI;
        bytes32 termsHash;
        /// @dev Derivative licences only (`derivativesAllowed`): the parent's share, in basis points, of the revenue
        /// of a model registered through this licence (at most `MAX_PARENT_SHARE_BPS` of `IModelLineage`, 50%), and the least that model
        /// must charge for its own licences, in this offer's payment token (0: no floor).
        uint16 parentShareBps;
        uint128 minDerivativePrice;
    }

    /// @notice Immutable terms, recorded once per offer version: licences point at the version they were bought under.
    /// @dev Ordered so a purchase reads two slots: (price, duration, credits, transferable, commercialUse) and
    /// (paymentToken, derivativesAllowed).
    struct Terms {
        uint128 price;
        uint48 duration;
        uint64 credits;
        bool transferable;
        bool commercialUse;
        address paymentToken;
        bool derivativesAllowed;
        bytes32 termsHash;
        string termsURI;
        uint16 parentShareBps;
        uint128 minDerivativePrice;
    }

    /// @notice A licence: one storage slot. `nonce` counted V1's per-call receipts; usage is now metered by the
    /// `UsageMeter` with cumulative receipts, and it no longer changes.
    struct Licence {
        uint32 modelId;
        uint32 offerId;
        uint32 termsId;
        uint48 expiry;
        uint64 credits;
        uint32 nonce;
        bool metered;
        bool transferable;
    }

    error LicenseManagerUnknownModel(uint256 modelId);
    error LicenseManagerUnauthorizedTimelock(address caller, uint256 modelId);
    error LicenseManagerUnknownOffer(uint256 modelId, uint256 offerId);
    error LicenseManagerNotOnSale(uint256 modelId, uint256 offerId);
    error LicenseManagerSoldOut(uint256 modelId, uint256 offerId, uint256 cap);
    error LicenseManagerPriceAboveMax(uint256 price, uint256 maxPrice);
    error LicenseManagerInsufficientPayment(uint256 price, uint256 paid);
    error LicenseManagerUnexpectedEth(uint256 msgValue);
    error LicenseManagerUnderpaid(address token, uint256 expected, uint256 arrived);
    error LicenseManagerInvalidRecipient(address recipient);
    error LicenseManagerInvalidOffer(string field);
    error LicenseManagerUnknownLicence(uint256 licenceId);
    error LicenseManagerNonTransferable(uint256 licenceId);
    /// @notice Only the usage meter spends credits.
    error LicenseManagerNotUsageMeter(address caller);
    /// @notice Renewing would take the price and extend nothing (the licence is perpetual and unmetered already).
    error LicenseManagerRenewalGivesNothing(uint256 licenceId);
    /// @notice A terms URI may not contain control characters (they would break the licence's JSON metadata).
    error LicenseManagerInvalidTermsURI(uint256 index, bytes1 char);
    error LicenseManagerNotLicenceOwner(address caller, uint256 licenceId);
    error LicenseManagerNothingToFlush(uint256 modelId, address token);
    error LicenseManagerInvalidRoyalty(uint256 modelId, uint256 bps, uint256 max);
    /// @notice A derivative's offer must be priced at least at the floor its parents' licences set, in that token.
    error LicenseManagerBelowDerivativeFloor(
        uint256 modelId,
        address token,
        uint256 price,
        address floorToken,
        uint256 floorPrice
    );

    event OfferPublished(uint256 indexed modelId, uint256 indexed offerId, uint256 indexed termsId, OfferTerms terms);
    event OfferSaleSet(uint256 indexed modelId, uint256 indexed offerId, bool onSale);
    /// @notice A licence was bought. The recipient is in the ERC-721 `Transfer`; the currency and every term in the
    /// `OfferPublished` of `termsId`.
    event LicencePurchased(
        uint256 indexed licenceId,
        uint256 indexed modelId,
        uint256 indexed offerId,
        uint256 termsId,
        address buyer,
        uint256 price,
        uint256 expiry,
        uint256 credits
    );
    event LicenceRenewed(
        uint256 indexed licenceId,
        address indexed payer,
        uint256 price,
        uint256 expiry,
        uint256 credits
    );
    event UsageMeterSet(address indexed meter);
    /// @notice The lineage registry whose price floors derivatives' offers must meet.
    event LineageSet(address indexed lineage);
    /// @notice `account` chose its primary licence for `modelId` (`usePrimaryLicence`). Without a choice, a licence
    /// an account receives becomes its primary unless its current primary is live and still its own; indexers apply
    /// that rule to each `Transfer`, with liveness from the licence's terms and the meter's `UsageSettled`.
    event PrimaryLicenceSet(uint256 indexed modelId, address indexed account, uint256 indexed licenceId);
    event RevenueFlushed(uint256 indexed modelId, address indexed token, address indexed to, uint256 amount);
    event RevenueSinkSet(address indexed sink);
    /// @notice The ERC-2981 royalty on secondary sales of `modelId`'s licences changed (paid to its royalty receiver).
    event LicenceRoyaltySet(uint256 indexed modelId, uint256 bps);

    /// @notice Publishes a new offer for `modelId`. Model timelock only.
    function addOffer(uint256 modelId, OfferTerms calldata terms) external returns (uint256 offerId);

    /// @notice Publishes new terms for an existing offer; existing licences keep theirs. Model timelock only.
    function updateOffer(uint256 modelId, uint256 offerId, OfferTerms calldata terms) external;

    /// @notice Puts an offer on sale or withdraws it. Model timelock only.
    function setOnSale(uint256 modelId, uint256 offerId, bool onSale) external;

    /// @notice Sets the ERC-2981 royalty, in basis points (at most 10,000), on secondary sales of the model's
    /// licences. It is paid to the model's royalty receiver in the revenue vault. Model timelock only.
    function setLicenceRoyalty(uint256 modelId, uint256 bps) external;

    /**
     * @notice Buys a licence for `recipient`. Reverts if the price is above `maxPrice` (protection against a price
     * vote landing first). ETH: send at least the price; any excess is refunded in the same call.
     */
    function purchase(
        uint256 modelId,
        uint256 offerId,
        address recipient,
        uint256 maxPrice
    ) external payable returns (uint256 licenceId);

    /// @notice `purchase` for an ERC-20 with an EIP-2612 permit (the permit may already have been used).
    function purchaseWithPermit(
        uint256 modelId,
        uint256 offerId,
        address recipient,
        uint256 maxPrice,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 licenceId);

    /**
     * @notice Renews a licence at its offer's current price, while the offer is on sale, to what the offer gives
     * now: its duration is added (from the later of now and the expiry), or the licence becomes perpetual if the
     * offer now is; its credits are added, or the licence becomes unmetered if the offer now is. Reverts with
     * `LicenseManagerRenewalGivesNothing` when that changes nothing. Anyone may pay.
     */
    function renew(uint256 licenceId, uint256 maxPrice) external payable;

    /**
     * @notice Spends up to `amount` credits of `licenceId` (all of it if unmetered). Usage meter only.
     * @param signer the account whose receipt authorises the spending
     * @return modelId the licence's model
     * @return signerUntil until when `signer` held this licence while live (0 if never; its expiry, or
     * type(uint48).max if perpetual, for the current owner)
     * @return spent what was spent: `amount`, or the credits left if fewer
     * @return creditsLeft credits left afterwards (0 if unmetered)
     */
    function spendCredits(
        uint256 licenceId,
        uint256 amount,
        address signer
    ) external returns (uint256 modelId, uint256 signerUntil, uint256 spent, uint256 creditsLeft);

    /// @notice Chooses which of the caller's licences `hasAccess` considers for its model.
    function usePrimaryLicence(uint256 licenceId) external;

    /// @notice Routes licence revenue a V1 deployment held back for `modelId` to the revenue sink. Anyone. Since V2,
    /// every payment is credited in the transaction that pays it, and nothing waits here.
    function flushRevenue(uint256 modelId, address token) external returns (uint256 amount);

    /// @notice Whether `account` may use `modelId`: a fraction holder (unless the model is a derivative with a price
    /// floor, which gives access through licences only), or its primary licence is live.
    function hasAccess(uint256 modelId, address account) external view returns (bool);

    /// @notice Whether licence `licenceId` is live (not expired; credits left where metered).
    function isLive(uint256 licenceId) external view returns (bool);

    function licence(uint256 licenceId) external view returns (Licence memory);
    function terms(uint256 termsId) external view returns (Terms memory);
    function offer(
        uint256 modelId,
        uint256 offerId
    ) external view returns (uint256 termsId, uint256 cap, uint256 sold, bool onSale);
    function offerCount(uint256 modelId) external view returns (uint256);
    /// @notice The usage meter, the only contract that spends credits.
    function usageMeter() external view returns (address);
    /// @notice The lineage registry (`IModelLineage`) whose price floors derivatives' offers must meet.
    function lineage() external view returns (address);
    function primaryLicence(uint256 modelId, address account) external view returns (uint256);
    function pendingRevenue(uint256 modelId, address token) external view returns (uint256);
}
