// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// TEST FIXTURE: this file as it shipped in V1 (commit 303e5eb), renamed so it compiles beside V2. It exists only so
// test/contracts/licensing/LicenseManager.upgrade.test.ts can deploy V1 and prove that upgrading to V2 keeps every
// licence, credit balance and nonce (OpenZeppelin storage-layout validation included). Never deployed for real.

/**
 * @title ILicenseManager
 * @notice Licences for models. Each model's DAO (its timelock) publishes offers; a buyer gets an ERC-721 licence
 * that records the terms in force when it was bought, its expiry and its usage credits. Later votes change what new
 * buyers get, never what existing licensees bought. The model's operator (its gateway) spends credits with EIP-712
 * receipts signed by the licence holder.
 *
 * `address(0)` as a payment token is ETH. A duration of 0 is perpetual; credits of 0 mean unmetered; a cap of 0
 * means unlimited.
 */
interface ILicenseManagerV1 {
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
    }

    /// @notice A licence: one storage slot.
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

    /// @notice A usage receipt, signed (EIP-712) by the licence's holder, spent by the model's operator.
    struct UsageReceipt {
        uint256 licenceId;
        uint64 amount;
        uint32 nonce;
        uint48 deadline;
        bytes signature;
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
    error LicenseManagerNotOperator(address caller, uint256 modelId);
    error LicenseManagerReceiptExpired(uint256 index, uint256 deadline);
    error LicenseManagerReceiptNonce(uint256 index, uint256 expected, uint256 nonce);
    error LicenseManagerReceiptSigner(uint256 index, uint256 licenceId);
    error LicenseManagerLicenceExpired(uint256 index, uint256 licenceId, uint256 expiry);
    error LicenseManagerInsufficientCredits(uint256 index, uint256 licenceId, uint256 credits, uint256 amount);
    error LicenseManagerNotLicenceOwner(address caller, uint256 licenceId);
    error LicenseManagerNothingToFlush(uint256 modelId, address token);
    error LicenseManagerInvalidRoyalty(uint256 modelId, uint256 bps, uint256 max);

    event OfferPublished(uint256 indexed modelId, uint256 indexed offerId, uint256 indexed termsId, OfferTerms terms);
    event OfferSaleSet(uint256 indexed modelId, uint256 indexed offerId, bool onSale);
    event OperatorSet(uint256 indexed modelId, address indexed operator);
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
    event UsageSettled(uint256 indexed licenceId, uint256 indexed nonce, uint256 amount, uint256 creditsLeft);
    /// @notice `account` chose its primary licence for `modelId` (`usePrimaryLicence`). Without a choice, a licence
    /// an account receives becomes its primary unless its current primary is live and still its own; indexers apply
    /// that rule to each `Transfer`, with liveness from the licence's terms and `UsageSettled`.
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

    /// @notice Names the model's operator, the only address that may settle its usage receipts. Timelock only.
    function setOperator(uint256 modelId, address operator) external;

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
     * @notice Extends a licence by its offer's current duration and adds its current credits, at its current price,
     * while the offer is on sale. The licence keeps the terms it was bought under. Anyone may pay.
     */
    function renew(uint256 licenceId, uint256 maxPrice) external payable;

    /// @notice Spends usage credits with receipts signed by licence holders. The licences' model operator only.
    function settleUsage(UsageReceipt[] calldata receipts) external;

    /// @notice Chooses which of the caller's licences `hasAccess` considers for its model.
    function usePrimaryLicence(uint256 licenceId) external;

    /// @notice Routes what licences of `modelId` earned in `token` to the revenue sink (or the treasury). Anyone.
    function flushRevenue(uint256 modelId, address token) external returns (uint256 amount);

    /// @notice Whether `account` may use `modelId`: a fraction holder, or its primary licence is live.
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
    function operatorOf(uint256 modelId) external view returns (address);
    function primaryLicence(uint256 modelId, address account) external view returns (uint256);
    function pendingRevenue(uint256 modelId, address token) external view returns (uint256);
}
