// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ILicenseManager} from "../interfaces/ILicenseManager.sol";
import {IModelShares} from "../interfaces/IModelShares.sol";
import {IRaises} from "../interfaces/IRaises.sol";
import {RaiseMath} from "./RaiseMath.sol";

/**
 * @title Raises
 * @notice Presales of a registered model's fractions (and optionally of licences to it) for ETH or an ERC-20, with
 * exact pull refunds. Not upgradeable, no admin, no owner: nobody can move committed money except by the rules of
 * `IRaises`. Every state-changing entry point is non-reentrant; nothing loops over backers.
 * @dev Per raise, at every step: `inflow == refunded + released + paidForSeats + held` (see `accounts`).
 */
contract Raises is IRaises, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The EIP-712 type a backer signs to accept a raise's terms.
    bytes32 public constant ACCEPT_TERMS_TYPEHASH = keccak256(
        "AcceptTerms(uint256 raiseId,bytes32 termsHash,address backer)"
    );
    /// @notice Most milestone tranches a raise may have.
    uint256 public constant MAX_TRANCHES = 20;
    /// @notice Most seats one backer may buy in a raise (delivery buys them in one call).
    uint256 public constant MAX_SEATS_PER_BACKER = 20;

    /// @notice The fractions token, whose minting grants pay backers their fractions.
    IModelShares public immutable SHARES;
    /// @notice The licence manager seats are bought from.
    ILicenseManager public immutable LICENSES;

    /// @dev Money totals of a raise not kept in `RaiseState`.
    struct Accounts {
        uint256 inflow;
        uint256 refunded;
        uint256 paidForSeats;
    }

    /// @inheritdoc IRaises
    uint256 public raiseCount;
    /// @inheritdoc IRaises
    mapping(uint256 modelId => uint256) public reserved;
    mapping(uint256 raiseId => RaiseTerms) private _terms;
    mapping(uint256 raiseId => RaiseState) private _states;
    mapping(uint256 raiseId => Accounts) private _accounts;
    mapping(uint256 raiseId => mapping(address backer => Backing)) private _backings;

    /// @param shares the `ModelShares` proxy
    /// @param licenses the `LicenseManager` proxy
    constructor(IModelShares shares, ILicenseManager licenses) EIP712("Weightshare Raises", "1") {
        SHARES = shares;
        LICENSES = licenses;
    }

    // --- Treasury -----------------------------------------------------------------------------------------

    /// @inheritdoc IRaises
    function open(RaiseTerms calldata terms) external nonReentrant returns (uint256 raiseId) {
        uint256 modelId = terms.modelId;
        _checkTreasury(modelId);
        RaiseMath.checkTerms(terms, MAX_TRANCHES);
        uint256 needed = reserved[modelId] + terms.cap;
        uint256 granted = SHARES.mintingGrant(modelId, address(this));
        if (granted < needed) revert RaisesGrantTooSmall(modelId, granted, needed);
        reserved[modelId] = needed;
        raiseId = ++raiseCount;
        _terms[raiseId] = terms;
        emit RaiseOpened(raiseId, modelId, terms.token, terms);
    }

    /// @inheritdoc IRaises
    function cancel(uint256 raiseId) external nonReentrant {
        Status current = _status(raiseId);
        RaiseTerms storage t = _terms[raiseId];
        uint256 modelId = t.modelId;
        _checkTreasury(modelId);
        if (current > Status.Closed) revert RaisesWrongStatus(raiseId, current);
        RaiseState storage s = _states[raiseId];
        s.finalized = true;
        s.cancelled = true;
        reserved[modelId] -= t.cap;
        emit RaiseCancelled(raiseId);
        SHARES.renounceMinting(modelId, t.cap);
    }

    /// @inheritdoc IRaises
    function releaseTranche(uint256 raiseId) external nonReentrant {
        (RaiseTerms storage t, RaiseState storage s) = _trancheLeft(raiseId);
        _releaseNext(raiseId, t, s);
    }

    /// @inheritdoc IRaises
    function failMilestone(uint256 raiseId) external nonReentrant {
        (RaiseTerms storage t, RaiseState storage s) = _trancheLeft(raiseId);
        uint256 refundable = RaiseMath.raised(s.committed, t.cap, t.price) - s.released;
        s.milestoneFailed = true;
        s.milestoneRefund = refundable;
        emit MilestoneFailed(raiseId, s.tranchesReleased, refundable);
    }

    /// @inheritdoc IRaises
    function setAccessOffer(uint256 raiseId, uint256 offerId) external nonReentrant {
        Status current = _status(raiseId);
        RaiseTerms storage t = _terms[raiseId];
        _checkTreasury(t.modelId);
        if (current != Status.Succeeded) revert RaisesWrongStatus(raiseId, current);
        if (t.seats == 0) revert RaisesNoAccessPresale(raiseId);
        if (block.timestamp >= t.accessDeadline) revert RaisesAccessDeadlinePassed(raiseId, t.accessDeadline);
        RaiseState storage s = _states[raiseId];
        if (s.accessOfferId != 0) revert RaisesAccessOfferAlreadySet(raiseId, s.accessOfferId);
        _offerPrice(raiseId, t, offerId);
        s.accessOfferId = SafeCast.toUint32(offerId);
        emit AccessOfferSet(raiseId, offerId);
    }

    // --- Backers and anyone -------------------------------------------------------------------------------

    /// @inheritdoc IRaises
    function commit(
        uint256 raiseId,
        uint64 fractions,
        uint32 seats,
        bytes32[] calldata proof,
        bytes calldata signature
    ) external payable nonReentrant {
        Status current = _status(raiseId);
        if (current != Status.Open) revert RaisesNotOpen(raiseId, current);
        if (fractions == 0 && seats == 0) revert RaisesNothingCommitted(raiseId);
        RaiseTerms storage t = _terms[raiseId];
        Backing storage b = _backings[raiseId][msg.sender];
        _checkBacker(raiseId, t, b, proof, signature);
        _checkLimits(raiseId, t, b, fractions, seats);
        uint256 seatMoney = uint256(seats) * t.seatPrice;
        uint256 arrived = _collect(t.token, uint256(fractions) * t.price + seatMoney);
        _credit(raiseId, b, t.price, fractions, seats, seatMoney, arrived);
    }

    /// @inheritdoc IRaises
    function finalize(uint256 raiseId) external nonReentrant {
        Status current = _status(raiseId);
        if (current != Status.Closed) revert RaisesWrongStatus(raiseId, current);
        RaiseTerms storage t = _terms[raiseId];
        RaiseState storage s = _states[raiseId];
        s.finalized = true;
        uint256 modelId = t.modelId;
        uint256 cap = t.cap;
        uint256 committed = s.committed;
        uint256 sold = committed < t.goal ? 0 : RaiseMath.sold(committed, cap);
        uint256 unsold = cap - sold;
        reserved[modelId] -= unsold;
        emit RaiseFinalized(raiseId, sold != 0, committed, sold, sold * t.price);
        if (unsold != 0) SHARES.renounceMinting(modelId, unsold);
        if (sold != 0) _releaseNext(raiseId, t, s);
    }

    /// @inheritdoc IRaises
    function refund(uint256 raiseId, address to) external nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert RaisesInvalidRecipient(to);
        Status current = _status(raiseId);
        Backing storage b = _backings[raiseId][msg.sender];
        bool seatMoney;
        (amount, seatMoney) = RaiseMath.refundable(_terms[raiseId], _states[raiseId], b, current);
        if (amount == 0) revert RaisesNothingToRefund(raiseId, msg.sender);
        b.refunded += amount;
        if (seatMoney) b.seatsRefunded = true;
        _accounts[raiseId].refunded += amount;
        emit Refunded(raiseId, msg.sender, to, amount);
        _pay(_terms[raiseId].token, to, amount);
    }

    /// @inheritdoc IRaises
    function claimFractions(
        uint256 raiseId,
        address backer,
        address to
    ) external nonReentrant returns (uint256 fractions) {
        if (to == address(0) || (msg.sender != backer && to != backer)) revert RaisesInvalidRecipient(to);
        Status current = _status(raiseId);
        if (current != Status.Succeeded) revert RaisesWrongStatus(raiseId, current);
        RaiseTerms storage t = _terms[raiseId];
        Backing storage b = _backings[raiseId][backer];
        fractions = RaiseMath.allocated(b.fractions, _states[raiseId].committed, t.cap);
        if (b.claimed || fractions == 0) revert RaisesNothingToClaim(raiseId, backer);
        b.claimed = true;
        uint256 modelId = t.modelId;
        reserved[modelId] -= fractions;
        emit FractionsClaimed(raiseId, backer, to, fractions);
        SHARES.mintGranted(to, modelId, fractions, "");
    }

    /// @inheritdoc IRaises
    function deliverSeats(uint256 raiseId, address backer) external nonReentrant returns (uint256[] memory licenceIds) {
        Status current = _status(raiseId);
        if (current != Status.Succeeded) revert RaisesWrongStatus(raiseId, current);
        uint256 offerId = _states[raiseId].accessOfferId;
        if (offerId == 0) revert RaisesNoAccessOffer(raiseId);
        Backing storage b = _backings[raiseId][backer];
        uint256 seats = b.seats;
        if (seats == 0 || b.seatsDelivered || b.seatsRefunded) revert RaisesNoSeatsToDeliver(raiseId, backer);
        RaiseTerms storage t = _terms[raiseId];
        uint256 price = _offerPrice(raiseId, t, offerId);
        uint256 paid = price * seats;
        b.seatsDelivered = true;
        b.surplus = SafeCast.toUint128(b.surplus + (t.seatPrice - price) * seats);
        _accounts[raiseId].paidForSeats += paid;
        licenceIds = _buySeats(t, offerId, backer, price, seats);
        emit SeatsDelivered(raiseId, backer, licenceIds, paid);
    }

    // --- Views --------------------------------------------------------------------------------------------

    /// @inheritdoc IRaises
    function raise(uint256 raiseId) external view returns (RaiseTerms memory) {
        _status(raiseId);
        return _terms[raiseId];
    }

    /// @inheritdoc IRaises
    function raiseState(uint256 raiseId) external view returns (RaiseState memory) {
        _status(raiseId);
        return _states[raiseId];
    }

    /// @inheritdoc IRaises
    function status(uint256 raiseId) external view returns (Status) {
        return _status(raiseId);
    }

    /// @inheritdoc IRaises
    function backing(uint256 raiseId, address backer) external view returns (Backing memory) {
        _status(raiseId);
        return _backings[raiseId][backer];
    }

    /// @inheritdoc IRaises
    function allocation(uint256 raiseId, address backer) external view returns (uint256 fractions, uint256 refundable) {
        Status current = _status(raiseId);
        Backing storage b = _backings[raiseId][backer];
        (refundable, ) = RaiseMath.refundable(_terms[raiseId], _states[raiseId], b, current);
        uint256 committed = _states[raiseId].committed;
        RaiseTerms storage t = _terms[raiseId];
        bool failing = current == Status.Failed || current == Status.Cancelled;
        if (failing || (current == Status.Closed && committed < t.goal)) return (0, refundable);
        fractions = RaiseMath.allocated(b.fractions, committed, t.cap);
    }

    /// @inheritdoc IRaises
    function accounts(
        uint256 raiseId
    ) external view returns (uint256 inflow, uint256 refunded, uint256 released, uint256 paidForSeats) {
        _status(raiseId);
        Accounts storage a = _accounts[raiseId];
        return (a.inflow, a.refunded, _states[raiseId].released, a.paidForSeats);
    }

    /// @inheritdoc IRaises
    function termsDigest(uint256 raiseId, address backer) public view returns (bytes32) {
        _status(raiseId);
        return
            _hashTypedDataV4(keccak256(abi.encode(ACCEPT_TERMS_TYPEHASH, raiseId, _terms[raiseId].termsHash, backer)));
    }

    // --- Internal -----------------------------------------------------------------------------------------

    /// @dev Where a raise stands; reverts for an id no raise has.
    function _status(uint256 raiseId) private view returns (Status) {
        if (raiseId == 0 || raiseId > raiseCount) revert RaisesUnknownRaise(raiseId);
        RaiseState storage s = _states[raiseId];
        if (s.cancelled) return Status.Cancelled;
        RaiseTerms storage t = _terms[raiseId];
        if (s.finalized) return s.committed >= t.goal ? Status.Succeeded : Status.Failed;
        if (block.timestamp < t.opensAt) return Status.Pending;
        if (block.timestamp < t.closesAt) return Status.Open;
        return Status.Closed;
    }

    /// @dev Reverts unless the caller is the treasury of `modelId`.
    function _checkTreasury(uint256 modelId) private view {
        address treasury = SHARES.treasuryOf(modelId);
        if (treasury == address(0)) revert RaisesUnknownModel(modelId);
        if (msg.sender != treasury) revert RaisesUnauthorizedTreasury(msg.sender, modelId);
    }

    /// @dev The allow-list, and the terms signature on a backer's first commitment.
    function _checkBacker(
        uint256 raiseId,
        RaiseTerms storage t,
        Backing storage b,
        bytes32[] calldata proof,
        bytes calldata signature
    ) private {
        bytes32 root = t.allowlistRoot;
        if (root != 0) {
            bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(msg.sender))));
            if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert RaisesNotAllowed(raiseId, msg.sender);
        }
        if (b.acceptedTerms) return;
        if (!SignatureChecker.isValidSignatureNow(msg.sender, termsDigest(raiseId, msg.sender), signature)) {
            revert RaisesTermsNotAccepted(raiseId, msg.sender);
        }
        b.acceptedTerms = true;
        emit TermsAccepted(raiseId, msg.sender, t.termsHash);
    }

    /// @dev The account cap and the seats a commitment may buy.
    function _checkLimits(
        uint256 raiseId,
        RaiseTerms storage t,
        Backing storage b,
        uint256 fractions,
        uint256 seats
    ) private view {
        uint256 accountCap = t.accountCap;
        uint256 total = b.fractions + fractions;
        if (accountCap != 0 && total > accountCap) {
            revert RaisesAccountCapExceeded(raiseId, msg.sender, total, accountCap);
        }
        if (seats == 0) return;
        uint256 held = b.seats + seats;
        if (held > MAX_SEATS_PER_BACKER) revert RaisesTooManySeats(raiseId, msg.sender, held, MAX_SEATS_PER_BACKER);
        uint256 left = t.seats - _states[raiseId].seatsSold;
        if (seats > left) revert RaisesSeatsSoldOut(raiseId, seats, left);
    }

    /// @dev Credits what arrived: the seats first, then whole fractions (at most those asked for), the rest surplus.
    function _credit(
        uint256 raiseId,
        Backing storage b,
        uint256 price,
        uint256 fractions,
        uint32 seats,
        uint256 seatMoney,
        uint256 arrived
    ) private {
        if (arrived < seatMoney) revert RaisesUnderpaid(seatMoney, arrived);
        uint256 credited = Math.min(fractions, (arrived - seatMoney) / price);
        uint256 surplus = arrived - seatMoney - credited * price;
        b.fractions = SafeCast.toUint64(b.fractions + credited);
        b.seats += seats;
        if (surplus != 0) b.surplus = SafeCast.toUint128(b.surplus + surplus);
        RaiseState storage s = _states[raiseId];
        s.committed = SafeCast.toUint64(s.committed + credited);
        s.seatsSold += seats;
        _accounts[raiseId].inflow += arrived;
        emit Committed(raiseId, msg.sender, credited, seats, arrived, surplus);
    }

    /// @dev Takes `cost` from the caller; returns what arrived (ERC-20: measured, fee-on-transfer tokens).
    function _collect(address token, uint256 cost) private returns (uint256 arrived) {
        if (token == address(0)) {
            if (msg.value != cost) revert RaisesWrongPayment(cost, msg.value);
            return cost;
        }
        if (msg.value != 0) revert RaisesWrongPayment(0, msg.value);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), cost);
        arrived = IERC20(token).balanceOf(address(this)) - before;
    }

    function _pay(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (token == address(0)) Address.sendValue(payable(to), amount);
        else IERC20(token).safeTransfer(to, amount);
    }

    /// @dev The terms, state and treasury check of a raise with a tranche still to release or fail.
    function _trancheLeft(uint256 raiseId) private view returns (RaiseTerms storage t, RaiseState storage s) {
        Status current = _status(raiseId);
        t = _terms[raiseId];
        _checkTreasury(t.modelId);
        if (current != Status.Succeeded) revert RaisesWrongStatus(raiseId, current);
        s = _states[raiseId];
        if (s.milestoneFailed || s.tranchesReleased >= RaiseMath.trancheCount(t.tranches)) {
            revert RaisesNoTrancheLeft(raiseId);
        }
    }

    /// @dev Releases the next tranche of a succeeded raise to the model's treasury.
    function _releaseNext(uint256 raiseId, RaiseTerms storage t, RaiseState storage s) private {
        uint256 index = s.tranchesReleased;
        uint256 released = s.released;
        uint256 raisedMoney = RaiseMath.raised(s.committed, t.cap, t.price);
        uint256 amount = RaiseMath.trancheAmount(raisedMoney, t.tranches, index, released);
        s.tranchesReleased = uint8(index + 1); // at most MAX_TRANCHES
        s.released = released + amount;
        address treasury = SHARES.treasuryOf(t.modelId);
        emit TrancheReleased(raiseId, index, treasury, amount);
        _pay(t.token, treasury, amount);
    }

    /// @dev Buys `seats` licences from `offerId` for `backer` at `price` each, paying the licence manager.
    function _buySeats(
        RaiseTerms storage t,
        uint256 offerId,
        address backer,
        uint256 price,
        uint256 seats
    ) private returns (uint256[] memory licenceIds) {
        licenceIds = new uint256[](seats);
        (address token, uint256 modelId) = (t.token, t.modelId);
        if (token != address(0)) IERC20(token).forceApprove(address(LICENSES), price * seats);
        uint256 value = token == address(0) ? price : 0;
        for (uint256 i = 0; i < seats; ++i) {
            licenceIds[i] = LICENSES.purchase{value: value}(modelId, offerId, backer, price);
        }
        if (token != address(0)) IERC20(token).forceApprove(address(LICENSES), 0);
    }

    /// @dev The current price of `offerId`, which must take the raise's token and cost at most `seatPrice`.
    function _offerPrice(uint256 raiseId, RaiseTerms storage t, uint256 offerId) private view returns (uint256) {
        (uint256 termsId, , , ) = LICENSES.offer(t.modelId, offerId);
        ILicenseManager.Terms memory offered = LICENSES.terms(termsId);
        if (offered.paymentToken != t.token) revert RaisesOfferMismatch(raiseId, offerId, "token");
        if (offered.price > t.seatPrice) revert RaisesOfferMismatch(raiseId, offerId, "price");
        return offered.price;
    }
}
