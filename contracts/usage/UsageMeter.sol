// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {ILicenseManager} from "../interfaces/ILicenseManager.sol";
import {IModelShares} from "../interfaces/IModelShares.sol";
import {IUsageMeter} from "../interfaces/IUsageMeter.sol";

/**
 * @title UsageMeter
 * @notice Settles metered usage of licences with cumulative receipts. See `IUsageMeter`.
 * @dev Credits live with the licence in `LicenseManager`, which this meter alone may spend; what is settled per
 * licence (and the last authorisation verified) lives here, in one slot. UUPS proxy with ERC-7201 storage;
 * upgrades by the protocol admin only.
 */
contract UsageMeter is Initializable, EIP712Upgradeable, AccessControlUpgradeable, UUPSUpgradeable, IUsageMeter {
    /// @notice EIP-712 type of a usage receipt: a running-total cap on a licence's usage.
    bytes32 public constant RECEIPT_TYPEHASH = keccak256("UsageReceipt(uint256 licenceId,uint64 cap,uint48 deadline)");

    /// @inheritdoc IUsageMeter
    uint256 public constant RECEIPT_WINDOW = 1 days;

    /// @custom:storage-location erc7201:weightshare.storage.UsageMeter
    struct UsageMeterStorage {
        ILicenseManager licenses;
        IModelShares shares;
        mapping(uint256 modelId => address) operators;
        mapping(uint256 licenceId => Usage) usage;
    }

    // keccak256(abi.encode(uint256(keccak256("weightshare.storage.UsageMeter")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant USAGE_METER_STORAGE_LOCATION =
        0x142eb8dfc83f46c4fbcb9be94352f9a6aa92748905ea788d80336c8996705900;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy (then make it the licence manager's usage meter).
     * @param admin the protocol admin (a timelock): upgrades only
     * @param licenses_ the `LicenseManager` whose credits it spends
     * @param shares_ the `ModelShares` proxy (each model's timelock names its operator)
     */
    function initialize(address admin, ILicenseManager licenses_, IModelShares shares_) external initializer {
        __EIP712_init("Weightshare Usage", "1");
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        UsageMeterStorage storage $ = _getUsageMeterStorage();
        $.licenses = licenses_;
        $.shares = shares_;
    }

    /// @inheritdoc IUsageMeter
    function setOperator(uint256 modelId, address operator) external {
        address treasury = _getUsageMeterStorage().shares.treasuryOf(modelId);
        if (treasury == address(0)) revert UsageMeterUnknownModel(modelId);
        if (msg.sender != treasury) revert UsageMeterUnauthorizedTimelock(msg.sender, modelId);
        _getUsageMeterStorage().operators[modelId] = operator;
        emit OperatorSet(modelId, operator);
    }

    /// @inheritdoc IUsageMeter
    function settle(Receipt[] calldata receipts) external {
        UsageMeterStorage storage $ = _getUsageMeterStorage();
        ILicenseManager licenses_ = $.licenses;
        bytes32 domainSeparator = _domainSeparatorV4(); // once per batch
        uint256 authorisedModel;
        for (uint256 i = 0; i < receipts.length; ++i) {
            authorisedModel = _settleOne($, licenses_, domainSeparator, i, receipts[i], authorisedModel);
        }
    }

    /// @inheritdoc IUsageMeter
    function operatorOf(uint256 modelId) external view returns (address) {
        return _getUsageMeterStorage().operators[modelId];
    }

    /// @inheritdoc IUsageMeter
    function usageOf(uint256 licenceId) external view returns (Usage memory) {
        return _getUsageMeterStorage().usage[licenceId];
    }

    /// @inheritdoc IUsageMeter
    function receiptDigest(uint256 licenceId, uint256 cap, uint256 deadline) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(RECEIPT_TYPEHASH, licenceId, cap, deadline)));
    }

    /// @inheritdoc IUsageMeter
    function licenses() external view returns (address) {
        return address(_getUsageMeterStorage().licenses);
    }

    /// @dev Charges one receipt's licence and records it. The caller must be the operator of the licence's model
    /// (checked first; `authorisedModel` caches the last model checked); returns that model.
    function _settleOne(
        UsageMeterStorage storage $,
        ILicenseManager licenses_,
        bytes32 domainSeparator,
        uint256 i,
        Receipt calldata r,
        uint256 authorisedModel
    ) private returns (uint256 modelId) {
        Usage memory current = $.usage[r.licenceId];
        uint256 signerUntil;
        uint256 charged;
        uint256 creditsLeft;
        (modelId, signerUntil, charged, creditsLeft) = licenses_.spendCredits(
            r.licenceId,
            r.total > current.settled ? r.total - current.settled : 0,
            r.signer
        );
        if (modelId != authorisedModel && $.operators[modelId] != msg.sender) {
            revert UsageMeterNotOperator(msg.sender, modelId);
        }
        uint256 cap = _authorise(current, domainSeparator, i, r, signerUntil);
        current.settled += uint64(charged);
        $.usage[r.licenceId] = current;
        address signer = r.signature.length != 0 ? r.signer : address(0);
        emit UsageSettled(r.licenceId, signer, cap, current.settled, charged, creditsLeft);
    }

    /// @dev Checks the receipt's authorisation (its own signature, or the one kept for the licence) covers `total`
    /// now, and keeps the widest one in `current`. Returns the cap that applied.
    function _authorise(
        Usage memory current,
        bytes32 domainSeparator,
        uint256 i,
        Receipt calldata r,
        uint256 signerUntil
    ) private view returns (uint256 cap) {
        bool signed = r.signature.length != 0;
        uint256 deadline;
        (cap, deadline) = signed ? (uint256(r.cap), uint256(r.deadline)) : (current.cap, current.capDeadline);
        if (deadline == 0) revert UsageMeterNoAuthorisation(i, r.licenceId);
        if (block.timestamp > deadline) revert UsageMeterReceiptExpired(i, deadline);
        if (r.total > cap) revert UsageMeterAboveCap(i, r.total, cap);
        if (!signed) return cap;
        _verify(domainSeparator, i, r, signerUntil);
        // Keep the widest authorisation still in force: a lower cap never replaces a higher live one.
        if (r.cap >= current.cap || block.timestamp > current.capDeadline) {
            current.cap = r.cap;
            current.capDeadline = r.deadline;
        }
    }

    /// @dev The deadline is at most RECEIPT_WINDOW away, the signer held the licence, live, within RECEIPT_WINDOW of
    /// it, and signed it. The first rule bounds how long any authorisation (and the one kept for signature-less
    /// settlement) outlives a transfer of the licence: at most RECEIPT_WINDOW.
    function _verify(bytes32 domainSeparator, uint256 i, Receipt calldata r, uint256 signerUntil) private view {
        if (r.deadline > block.timestamp + RECEIPT_WINDOW) {
            revert UsageMeterDeadlineTooFar(i, r.deadline, block.timestamp + RECEIPT_WINDOW);
        }
        if (r.deadline > signerUntil + RECEIPT_WINDOW) {
            revert UsageMeterSignerNotHolder(i, r.signer, r.deadline, signerUntil + RECEIPT_WINDOW);
        }
        bytes32 digest = MessageHashUtils.toTypedDataHash(
            domainSeparator,
            keccak256(abi.encode(RECEIPT_TYPEHASH, r.licenceId, r.cap, r.deadline))
        );
        // An ECDSA signature by the signer's key first (no code-size lookup: most licensees are EOAs), else ERC-1271.
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(digest, r.signature);
        if (err == ECDSA.RecoverError.NoError && recovered == r.signer && recovered != address(0)) return;
        if (!SignatureChecker.isValidERC1271SignatureNowCalldata(r.signer, digest, r.signature)) {
            revert UsageMeterBadSignature(i, r.licenceId, r.signer);
        }
    }

    /// @dev Upgrades are authorised by the protocol admin only.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _getUsageMeterStorage() private pure returns (UsageMeterStorage storage $) {
        assembly {
            $.slot := USAGE_METER_STORAGE_LOCATION
        }
    }
}
