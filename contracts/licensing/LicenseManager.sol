// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ILicenseManager} from "../interfaces/ILicenseManager.sol";
import {IModelLineage, MAX_PARENT_SHARE_BPS} from "../interfaces/IModelLineage.sol";
import {IModelShares} from "../interfaces/IModelShares.sol";
import {IRevenueSink} from "../interfaces/IRevenueSink.sol";
import {IRevenueVault} from "../interfaces/IRevenueVault.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {LicenceRenderer} from "./LicenceRenderer.sol";

/**
 * @title LicenseManager
 * @notice Offers, licences (ERC-721 "Weightshare Licence"), renewals, credits and access checks for every model.
 * See `ILicenseManager`. Usage receipts are verified and settled by the `UsageMeter`, which spends credits here.
 * @dev Offer terms are versioned and immutable: changing an offer records new terms; a licence points at the
 * terms it was bought under, so a vote can never change what an existing licensee bought. Every payment is
 * credited to the revenue sink (the revenue vault) in the transaction that pays it, so no revenue ever waits to
 * be split among whoever holds at some later moment. UUPS proxy with ERC-7201 storage; upgrades by the protocol
 * admin only.
 */
contract LicenseManager is
    Initializable,
    ERC721Upgradeable,
    EIP712Upgradeable,
    AccessControlUpgradeable,
    UUPSUpgradeable,
    ReentrancyGuardTransient,
    IERC2981,
    ILicenseManager
{
    using SafeERC20 for IERC20;

    struct Offer {
        uint32 termsId;
        uint32 cap;
        uint32 sold;
        bool onSale;
    }

    /// @custom:storage-location erc7201:weightshare.storage.LicenseManager
    struct LicenseManagerStorage {
        IModelShares shares;
        IRevenueSink revenueSink;
        uint256 licenceCount;
        uint256 termsCount;
        mapping(uint256 termsId => Terms) terms;
        mapping(uint256 modelId => mapping(uint256 offerId => Offer)) offers;
        mapping(uint256 modelId => uint256) offerCount;
        mapping(uint256 modelId => address) operators; // V1 only: operators live in the UsageMeter
        mapping(uint256 licenceId => Licence) licences;
        mapping(uint256 modelId => mapping(address account => uint256)) primary;
        mapping(uint256 modelId => mapping(address token => uint256)) pending; // V1 only: see flushRevenue
        mapping(uint256 modelId => uint256) royaltyBps;
        // Appended in V2.
        address usageMeter;
        mapping(uint256 licenceId => mapping(address account => uint48)) heldUntil;
        // Appended in V3: price floors of derivative models.
        IModelLineage lineage;
    }

    // keccak256(abi.encode(uint256(keccak256("weightshare.storage.LicenseManager")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LICENSE_MANAGER_STORAGE_LOCATION =
        0x712454ca9b8d3665fa071a06db2f857998e61eed4ba2fda1f5f2f882cedfbe00;

    /// @notice Renders `tokenURI` (deployed with this implementation; holds no state).
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    LicenceRenderer public immutable RENDERER;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        RENDERER = new LicenceRenderer();
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy.
     * @param admin the protocol admin (a timelock): upgrades and the revenue sink
     * @param shares_ the `ModelShares` proxy (model treasuries and fraction holders)
     * @param sink the revenue vault; address(0) sends licence revenue straight to each model's treasury
     */
    function initialize(address admin, IModelShares shares_, IRevenueSink sink) external initializer {
        __ERC721_init("Weightshare Licence", "WSL");
        __EIP712_init("Weightshare Licences", "1");
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        $.shares = shares_;
        $.revenueSink = sink;
        emit RevenueSinkSet(address(sink));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Offers (the model's timelock)
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ILicenseManager
    function addOffer(uint256 modelId, OfferTerms calldata t) external returns (uint256 offerId) {
        _onlyTimelock(modelId);
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        offerId = ++$.offerCount[modelId];
        _publish($, modelId, offerId, t);
    }

    /// @inheritdoc ILicenseManager
    function updateOffer(uint256 modelId, uint256 offerId, OfferTerms calldata t) external {
        _onlyTimelock(modelId);
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        if (offerId == 0 || offerId > $.offerCount[modelId]) revert LicenseManagerUnknownOffer(modelId, offerId);
        _publish($, modelId, offerId, t);
    }

    /// @inheritdoc ILicenseManager
    function setOnSale(uint256 modelId, uint256 offerId, bool onSale) external {
        _onlyTimelock(modelId);
        Offer storage o = _offer(modelId, offerId);
        o.onSale = onSale;
        emit OfferSaleSet(modelId, offerId, onSale);
    }

    /// @inheritdoc ILicenseManager
    function setLicenceRoyalty(uint256 modelId, uint256 bps) external {
        _onlyTimelock(modelId);
        if (bps > 10_000) revert LicenseManagerInvalidRoyalty(modelId, bps, 10_000);
        _getLicenseManagerStorage().royaltyBps[modelId] = bps;
        emit LicenceRoyaltySet(modelId, bps);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Buying and renewing
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ILicenseManager
    function purchase(
        uint256 modelId,
        uint256 offerId,
        address recipient,
        uint256 maxPrice
    ) external payable nonReentrant returns (uint256 licenceId) {
        return _purchase(modelId, offerId, recipient, maxPrice);
    }

    /// @inheritdoc ILicenseManager
    function purchaseWithPermit(
        uint256 modelId,
        uint256 offerId,
        address recipient,
        uint256 maxPrice,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 licenceId) {
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        Terms storage t = $.terms[_offer(modelId, offerId).termsId];
        // A permit already used (e.g. front-run from the mempool) must not block the purchase: the allowance is there.
        try IERC20Permit(t.paymentToken).permit(msg.sender, address(this), t.price, deadline, v, r, s) {} catch {}
        return _purchase(modelId, offerId, recipient, maxPrice);
    }

    /// @inheritdoc ILicenseManager
    function renew(uint256 licenceId, uint256 maxPrice) external payable nonReentrant {
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        Licence storage lic = _licence(licenceId);
        Offer storage o = $.offers[lic.modelId][lic.offerId];
        if (!o.onSale) revert LicenseManagerNotOnSale(lic.modelId, lic.offerId);
        Terms storage current = $.terms[o.termsId];
        uint256 price = current.price;
        if (price > maxPrice) revert LicenseManagerPriceAboveMax(price, maxPrice);
        // What the offer gives now: perpetual and unmetered offers turn the licence perpetual or unmetered.
        if (lic.expiry == 0 && !lic.metered) revert LicenseManagerRenewalGivesNothing(licenceId);
        _takePayment($, lic.modelId, current.paymentToken, price);
        if (lic.expiry != 0) {
            uint256 base = lic.expiry > block.timestamp ? lic.expiry : block.timestamp;
            lic.expiry = current.duration == 0 ? 0 : SafeCast.toUint48(base + current.duration);
        }
        if (lic.metered) {
            if (current.credits == 0) lic.metered = false;
            else lic.credits += current.credits;
        }
        emit LicenceRenewed(licenceId, msg.sender, price, lic.expiry, lic.credits);
        _refundExcess(current.paymentToken, price);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Usage (spent by the UsageMeter)
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ILicenseManager
    function spendCredits(
        uint256 licenceId,
        uint256 amount,
        address signer
    ) external returns (uint256 modelId, uint256 signerUntil, uint256 spent, uint256 creditsLeft) {
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        if (msg.sender != $.usageMeter) revert LicenseManagerNotUsageMeter(msg.sender);
        Licence storage lic = _licence(licenceId);
        modelId = lic.modelId;
        uint256 expiry = lic.expiry == 0 ? type(uint48).max : lic.expiry;
        signerUntil = _ownerOf(licenceId) == signer ? expiry : $.heldUntil[licenceId][signer];
        if (signerUntil > expiry) signerUntil = expiry;
        spent = amount;
        if (lic.metered) {
            creditsLeft = lic.credits;
            if (spent > creditsLeft) spent = creditsLeft;
            creditsLeft -= spent;
            lic.credits = uint64(creditsLeft); // the meter's UsageSettled event carries creditsLeft
        }
    }

    /// @notice Sets the lineage registry whose price floors derivatives' offers must meet. Protocol admin only.
    function setLineage(IModelLineage lineage_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _getLicenseManagerStorage().lineage = lineage_;
        emit LineageSet(address(lineage_));
    }

    /// @notice Sets the usage meter, the only contract that spends credits. Protocol admin only.
    function setUsageMeter(address meter) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _getLicenseManagerStorage().usageMeter = meter;
        emit UsageMeterSet(meter);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Access and revenue
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ILicenseManager
    function usePrimaryLicence(uint256 licenceId) external {
        if (_ownerOf(licenceId) != msg.sender) revert LicenseManagerNotLicenceOwner(msg.sender, licenceId);
        uint256 modelId = _licence(licenceId).modelId;
        _getLicenseManagerStorage().primary[modelId][msg.sender] = licenceId;
        emit PrimaryLicenceSet(modelId, msg.sender, licenceId);
    }

    /// @inheritdoc ILicenseManager
    function flushRevenue(uint256 modelId, address token) external nonReentrant returns (uint256 amount) {
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        amount = $.pending[modelId][token];
        if (amount == 0) revert LicenseManagerNothingToFlush(modelId, token);
        $.pending[modelId][token] = 0;
        // In the vault it unlocks over the holders' window like any payment, so flushing late takes nothing.
        if (address($.revenueSink) != address(0)) emit RevenueFlushed(modelId, token, address($.revenueSink), amount);
        _forward($, modelId, token, amount);
    }

    /// @notice Sets the revenue sink (the revenue vault); address(0) pays treasuries directly. Protocol admin only.
    function setRevenueSink(IRevenueSink sink) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _getLicenseManagerStorage().revenueSink = sink;
        emit RevenueSinkSet(address(sink));
    }

    /// @inheritdoc ILicenseManager
    function hasAccess(uint256 modelId, address account) external view returns (bool) {
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        // A derivative whose parents set a price floor gives access through licences only: otherwise a fraction
        // could be sold as a licence below the floor, and its parents paid nothing.
        if (IERC1155(address($.shares)).balanceOf(account, modelId) != 0 && !_floored($, modelId)) return true;
        uint256 id = $.primary[modelId][account];
        return id != 0 && _ownerOf(id) == account && _live($.licences[id]);
    }

    /// @inheritdoc ILicenseManager
    function isLive(uint256 licenceId) external view returns (bool) {
        return _live(_licence(licenceId));
    }

    /// @inheritdoc ILicenseManager
    function licence(uint256 licenceId) external view returns (Licence memory) {
        return _licence(licenceId);
    }

    /// @inheritdoc ILicenseManager
    function terms(uint256 termsId) external view returns (Terms memory) {
        return _getLicenseManagerStorage().terms[termsId];
    }

    /// @inheritdoc ILicenseManager
    function offer(
        uint256 modelId,
        uint256 offerId
    ) external view returns (uint256 termsId, uint256 cap, uint256 sold, bool onSale) {
        Offer storage o = _offer(modelId, offerId);
        return (o.termsId, o.cap, o.sold, o.onSale);
    }

    /// @inheritdoc ILicenseManager
    function offerCount(uint256 modelId) external view returns (uint256) {
        return _getLicenseManagerStorage().offerCount[modelId];
    }

    /// @inheritdoc ILicenseManager
    function usageMeter() external view returns (address) {
        return _getLicenseManagerStorage().usageMeter;
    }

    /// @inheritdoc ILicenseManager
    function lineage() external view returns (address) {
        return address(_getLicenseManagerStorage().lineage);
    }

    /// @inheritdoc ILicenseManager
    function primaryLicence(uint256 modelId, address account) external view returns (uint256) {
        return _getLicenseManagerStorage().primary[modelId][account];
    }

    /// @inheritdoc ILicenseManager
    function pendingRevenue(uint256 modelId, address token) external view returns (uint256) {
        return _getLicenseManagerStorage().pending[modelId][token];
    }

    /// @notice ERC-2981: secondary sales of a licence pay the model's licence royalty to its royalty receiver,
    /// which the revenue vault credits to that model.
    function royaltyInfo(uint256 licenceId, uint256 salePrice) external view returns (address, uint256) {
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        uint256 modelId = _licence(licenceId).modelId;
        uint256 bps = $.royaltyBps[modelId];
        if (bps == 0 || address($.revenueSink) == address(0)) return (address(0), 0);
        return (IRevenueVault(address($.revenueSink)).royaltyReceiverOf(modelId), (salePrice * bps) / 10_000);
    }

    /// @notice ERC-721 metadata: a JSON description of the licence and the terms it was bought under.
    function tokenURI(uint256 licenceId) public view override returns (string memory) {
        Licence memory lic = _licence(licenceId);
        return RENDERER.tokenURI(licenceId, lic, _getLicenseManagerStorage().terms[lic.termsId], _live(lic));
    }

    /// @notice ERC-165: ERC-721 (with metadata), ERC-2981 and AccessControl.
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(ERC721Upgradeable, AccessControlUpgradeable, IERC165) returns (bool) {
        return interfaceId == type(IERC2981).interfaceId || super.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    function _purchase(
        uint256 modelId,
        uint256 offerId,
        address recipient,
        uint256 maxPrice
    ) private returns (uint256 licenceId) {
        if (recipient == address(0)) revert LicenseManagerInvalidRecipient(recipient);
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        Offer storage o = _offer(modelId, offerId);
        if (!o.onSale) revert LicenseManagerNotOnSale(modelId, offerId);
        if (o.cap != 0 && o.sold >= o.cap) revert LicenseManagerSoldOut(modelId, offerId, o.cap);
        uint32 termsId = o.termsId;
        Terms storage t = $.terms[termsId];
        uint256 price = t.price;
        if (price > maxPrice) revert LicenseManagerPriceAboveMax(price, maxPrice);
        _takePayment($, modelId, t.paymentToken, price);
        ++o.sold;
        licenceId = ++$.licenceCount;
        uint48 expiry = t.duration == 0 ? 0 : SafeCast.toUint48(block.timestamp + t.duration);
        $.licences[licenceId] = Licence({
            modelId: SafeCast.toUint32(modelId),
            offerId: uint32(offerId),
            termsId: termsId,
            expiry: expiry,
            credits: t.credits,
            nonce: 0,
            metered: t.credits != 0,
            transferable: t.transferable
        });
        emit LicencePurchased(licenceId, modelId, offerId, termsId, msg.sender, price, expiry, t.credits);
        _safeMint(recipient, licenceId);
        _refundExcess(t.paymentToken, price);
    }

    /// @dev Takes `price` of `token` from the caller and credits it to the model's revenue in the same transaction
    /// (the revenue vault splits it on arrival; with no sink, the treasury is paid).
    function _takePayment(LicenseManagerStorage storage $, uint256 modelId, address token, uint256 price) private {
        if (token == address(0)) {
            if (msg.value < price) revert LicenseManagerInsufficientPayment(price, msg.value);
        } else {
            if (msg.value != 0) revert LicenseManagerUnexpectedEth(msg.value);
            if (price != 0) {
                uint256 before = IERC20(token).balanceOf(address(this));
                IERC20(token).safeTransferFrom(msg.sender, address(this), price);
                uint256 arrived = IERC20(token).balanceOf(address(this)) - before;
                if (arrived != price) revert LicenseManagerUnderpaid(token, price, arrived);
            }
        }
        if (price != 0) _forward($, modelId, token, price);
    }

    /// @dev Pays `amount` of `token` held by this contract into the model's revenue (or its treasury).
    function _forward(LicenseManagerStorage storage $, uint256 modelId, address token, uint256 amount) private {
        IRevenueSink sink = $.revenueSink;
        if (address(sink) == address(0)) {
            address treasury = $.shares.treasuryOf(modelId);
            emit RevenueFlushed(modelId, token, treasury, amount);
            if (token == address(0)) Address.sendValue(payable(treasury), amount);
            else IERC20(token).safeTransfer(treasury, amount);
        } else if (token == address(0)) {
            sink.deposit{value: amount}(modelId, token, amount);
        } else {
            IERC20(token).forceApprove(address(sink), amount);
            sink.deposit(modelId, token, amount);
        }
    }

    function _refundExcess(address token, uint256 price) private {
        if (token == address(0) && msg.value > price) Address.sendValue(payable(msg.sender), msg.value - price);
    }

    /// @dev Records new immutable terms for the offer; existing licences keep pointing at their own.
    function _publish(
        LicenseManagerStorage storage $,
        uint256 modelId,
        uint256 offerId,
        OfferTerms calldata t
    ) private {
        bytes memory uri = bytes(t.termsURI);
        if (uri.length == 0) revert LicenseManagerInvalidOffer("termsURI");
        for (uint256 i = 0; i < uri.length; ++i) {
            if (uri[i] < 0x20 || uri[i] == 0x7f) revert LicenseManagerInvalidTermsURI(i, uri[i]);
        }
        if (t.termsHash == bytes32(0)) revert LicenseManagerInvalidOffer("termsHash");
        _checkDerivativeTerms($, modelId, t);
        uint256 termsId = ++$.termsCount;
        $.terms[termsId] = Terms({
            price: t.price,
            duration: t.duration,
            credits: t.credits,
            transferable: t.transferable,
            commercialUse: t.commercialUse,
            paymentToken: t.paymentToken,
            derivativesAllowed: t.derivativesAllowed,
            termsHash: t.termsHash,
            termsURI: t.termsURI,
            parentShareBps: t.parentShareBps,
            minDerivativePrice: t.minDerivativePrice
        });
        Offer storage o = $.offers[modelId][offerId];
        o.termsId = SafeCast.toUint32(termsId);
        o.cap = t.cap;
        o.onSale = t.onSale;
        emit OfferPublished(modelId, offerId, termsId, t);
    }

    /// @dev Derivative terms only on derivative licences, within the cap; and a derivative model's own offers priced
    /// at least at the floor its parents set, in that token.
    function _checkDerivativeTerms(
        LicenseManagerStorage storage $,
        uint256 modelId,
        OfferTerms calldata t
    ) private view {
        if (t.parentShareBps > (t.derivativesAllowed ? MAX_PARENT_SHARE_BPS : 0)) {
            revert LicenseManagerInvalidOffer("parentShareBps");
        }
        if (!t.derivativesAllowed && t.minDerivativePrice != 0) revert LicenseManagerInvalidOffer("minDerivativePrice");
        IModelLineage lineage_ = $.lineage;
        if (address(lineage_) == address(0)) return;
        (address floorToken, uint256 floor) = lineage_.minPriceOf(modelId);
        if (floor != 0 && (t.paymentToken != floorToken || t.price < floor)) {
            revert LicenseManagerBelowDerivativeFloor(modelId, t.paymentToken, t.price, floorToken, floor);
        }
    }

    /// @dev Transfers of non-transferable licences revert. A licence an account receives becomes its primary licence
    /// for that model (what `hasAccess` looks at) unless its current primary is live and still its own. This rule is
    /// applied without an event (indexers apply it to `Transfer`); an explicit choice emits `PrimaryLicenceSet`.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        LicenseManagerStorage storage $ = _getLicenseManagerStorage();
        Licence storage lic = $.licences[tokenId];
        from = _ownerOf(tokenId);
        if (from != address(0) && to != address(0)) {
            if (!lic.transferable) revert LicenseManagerNonTransferable(tokenId);
            // Receipts the previous holder signed while it held stay settleable: remember until when it held.
            if (lic.metered) $.heldUntil[tokenId][from] = uint48(block.timestamp);
        }
        from = super._update(to, tokenId, auth);
        if (to != address(0)) {
            uint256 modelId = lic.modelId;
            uint256 current = $.primary[modelId][to];
            if (current == 0 || _ownerOf(current) != to || !_live($.licences[current])) {
                $.primary[modelId][to] = tokenId;
            }
        }
    }

    function _floored(LicenseManagerStorage storage $, uint256 modelId) private view returns (bool) {
        if (address($.lineage) == address(0)) return false;
        (, uint256 floor) = $.lineage.minPriceOf(modelId);
        return floor != 0;
    }

    function _live(Licence memory lic) private view returns (bool) {
        return (lic.expiry == 0 || lic.expiry > block.timestamp) && (!lic.metered || lic.credits != 0);
    }

    function _licence(uint256 licenceId) private view returns (Licence storage lic) {
        lic = _getLicenseManagerStorage().licences[licenceId];
        if (lic.modelId == 0) revert LicenseManagerUnknownLicence(licenceId);
    }

    function _offer(uint256 modelId, uint256 offerId) private view returns (Offer storage o) {
        o = _getLicenseManagerStorage().offers[modelId][offerId];
        if (o.termsId == 0) revert LicenseManagerUnknownOffer(modelId, offerId);
    }

    function _onlyTimelock(uint256 modelId) private view {
        address treasury = _getLicenseManagerStorage().shares.treasuryOf(modelId);
        if (treasury == address(0)) revert LicenseManagerUnknownModel(modelId);
        if (msg.sender != treasury) revert LicenseManagerUnauthorizedTimelock(msg.sender, modelId);
    }

    /// @dev Upgrades are authorised by the protocol admin only.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _getLicenseManagerStorage() private pure returns (LicenseManagerStorage storage $) {
        assembly {
            $.slot := LICENSE_MANAGER_STORAGE_LOCATION
        }
    }
}
