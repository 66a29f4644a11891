// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {Raises} from "../../../contracts/funding/Raises.sol";
import {IRaises} from "../../../contracts/interfaces/IRaises.sol";
import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IModelShares} from "../../../contracts/interfaces/IModelShares.sol";
import {LicenseManager} from "../../../contracts/licensing/LicenseManager.sol";
import {ModelShares} from "../../../contracts/token/ModelShares.sol";
import {FeeOnTransferToken} from "../../../contracts/mocks/tokens/FeeOnTransferToken.sol";
import {TestToken} from "../../../contracts/mocks/tokens/TestToken.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {RaisesHandlerBase} from "./RaisesHandlerBase.sol";

/**
 * @dev Drives several raises at once (one model and one payment token each: ETH, a 6-decimal ERC-20, a 1%
 * fee-on-transfer ERC-20), with five EOA backers: open, commit (with seats), time, finalize, cancel, tranches,
 * failed milestones, refunds, claims, access offers and seat delivery. Every money movement is measured from the
 * raises contract's real balance; each action checks what it can see and records the first failure.
 */
contract RaisesHandler is RaisesHandlerBase {
    constructor(
        IRaises raises_,
        ModelShares shares_,
        LicenseManager licenses_,
        address[3] memory tokens_,
        uint256[3] memory models_
    ) RaisesHandlerBase(raises_, shares_, licenses_, tokens_, models_) {}

    // --- actions --------------------------------------------------------------------------------------------

    /// @dev Opens a raise of token `tokenSeed % 3` with fuzzed terms (up to MAX_RAISES raises in a run).
    function openRaise(uint256 tokenSeed, uint256 termsSeed) public {
        if (raiseIds.length >= MAX_RAISES) return;
        uint256 t = tokenSeed % 3;
        IRaises.RaiseTerms memory terms = _terms(t, termsSeed);
        address treasury = shares.treasuryOf(models[t]);
        vm.prank(treasury);
        shares.grantMinting(models[t], address(raises), terms.cap);
        vm.prank(treasury);
        uint256 raiseId = raises.open(terms);
        raiseIds.push(raiseId);
        tokenIndex[raiseId] = t;
        _done("open");
    }

    /// @dev One or two backers commit to each open raise (so a raise's window sees enough commitments to succeed).
    function commit(uint256 raiseSeed, uint256 backerSeed, uint256 fractionsSeed, uint256 seatsSeed) external {
        _tick(raiseSeed);
        for (uint256 i = 0; i < raiseIds.length; ++i) {
            uint256 raiseId = raiseIds[i];
            if (!_isOpen(raiseId)) continue;
            IRaises.RaiseTerms memory t = raises.raise(raiseId);
            uint256 seed = _r(backerSeed, i);
            _commit(raiseId, t, seed % BACKERS, _r(fractionsSeed, i), _r(seatsSeed, i));
            if (seed % 3 != 0)
                _commit(raiseId, t, (seed / BACKERS) % BACKERS, _r(fractionsSeed, ~i), _r(seatsSeed, ~i));
        }
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1 hours, 12 hours));
        _done("warp");
    }

    function finalize(uint256 raiseSeed) external {
        _tick(raiseSeed);
        (uint256 raiseId, IRaises.RaiseTerms memory t) = _find(raiseSeed, _isClosed);
        if (raiseId == 0) return;
        address treasury = shares.treasuryOf(t.modelId);
        (uint256 before, uint256 treasuryBefore) = (_balance(t.token, address(raises)), _balance(t.token, treasury));
        raises.finalize(raiseId);
        _released(raiseId, t.token, treasury, before, treasuryBefore);
        _done(raises.status(raiseId) == IRaises.Status.Succeeded ? "succeed" : "fail");
        if (raises.raiseState(raiseId).committed > t.cap) _done("oversubscribed");
    }

    /// @dev The treasury cancels one time in six it is asked to (so most raises run their course).
    function cancel(uint256 raiseSeed) external {
        _tick(raiseSeed);
        (uint256 raiseId, IRaises.RaiseTerms memory t) = _find(raiseSeed, _isUnsettled);
        if (raiseId == 0 || raiseSeed % 6 != 0) return;
        uint256 before = _balance(t.token, address(raises));
        vm.prank(shares.treasuryOf(t.modelId));
        raises.cancel(raiseId);
        if (_balance(t.token, address(raises)) != before) _fail("cancel moved money");
        _done("cancel");
    }

    function releaseTranche(uint256 raiseSeed) external {
        _tick(raiseSeed);
        (uint256 raiseId, IRaises.RaiseTerms memory t) = _find(raiseSeed, _hasTrancheLeft);
        if (raiseId == 0) return;
        address treasury = shares.treasuryOf(t.modelId);
        (uint256 before, uint256 treasuryBefore) = (_balance(t.token, address(raises)), _balance(t.token, treasury));
        vm.prank(treasury);
        raises.releaseTranche(raiseId);
        _released(raiseId, t.token, treasury, before, treasuryBefore);
        _done("tranche");
    }

    /// @dev The treasury declares the current milestone failed, one time in two it is asked to.
    function failMilestone(uint256 raiseSeed) external {
        _tick(raiseSeed);
        (uint256 raiseId, IRaises.RaiseTerms memory t) = _find(raiseSeed, _hasTrancheLeft);
        if (raiseId == 0 || raiseSeed % 2 != 0) return;
        uint256 before = _balance(t.token, address(raises));
        vm.prank(shares.treasuryOf(t.modelId));
        raises.failMilestone(raiseId);
        if (_balance(t.token, address(raises)) != before) _fail("failMilestone moved money");
        _done("failMilestone");
    }

    /// @dev Refunds a backer with something refundable, to itself or elsewhere; then a second refund must pay
    /// nothing. With nothing refundable anywhere, a refund must pay nothing.
    function refund(uint256 raiseSeed, uint256 backerSeed, bool elsewhere) external {
        _tick(raiseSeed);
        (uint256 raiseId, uint256 k, uint256 refundable) = _findRefundable(raiseSeed, backerSeed);
        if (raiseId == 0) return;
        address token = raises.raise(raiseId).token;
        if (refundable == 0) return _refundMustPayNothing(raiseId, token, k);
        address to = elsewhere ? ELSEWHERE : backers[k];
        uint256 before = _balance(token, address(raises));
        vm.prank(backers[k]);
        uint256 amount = raises.refund(raiseId, to);
        uint256 gone = before - _balance(token, address(raises));
        _ghost[raiseId].refunded += gone;
        _backerGhost[raiseId][k].refunded += gone;
        if (amount != refundable || gone != refundable) _fail("refund != refundable");
        (, uint256 left) = raises.allocation(raiseId, backers[k]);
        if (left != 0) _fail("still refundable after a refund");
        _refundMustPayNothing(raiseId, token, k);
        _done("refund");
    }

    /// @dev A claim from a raise that has not succeeded mints nothing. Then claims an unclaimed allocation of a
    /// succeeded raise (anyone for the backer, or the backer to elsewhere), and claims it again.
    function claim(uint256 raiseSeed, uint256 backerSeed, bool elsewhere) external {
        _tick(raiseSeed);
        (uint256 raiseId, IRaises.RaiseTerms memory t) = _find(raiseSeed, _isAny);
        if (raiseId == 0) return;
        address backer = backers[backerSeed % BACKERS];
        if (!_isSucceeded(raiseId)) _claimMustMintNothing(raiseId, t.modelId, backer);
        (raiseId, t) = _find(raiseSeed, _isSucceeded);
        if (raiseId == 0) return;
        uint256 fractions;
        for (uint256 i = 0; i < BACKERS && fractions == 0; ++i) {
            backer = backers[(backerSeed + i) % BACKERS];
            if (!raises.backing(raiseId, backer).claimed) (fractions, ) = raises.allocation(raiseId, backer);
        }
        if (fractions == 0) return _claimMustMintNothing(raiseId, t.modelId, backer);
        uint256 supply = shares.totalSupply(t.modelId);
        uint256 got;
        if (elsewhere) {
            vm.prank(backer);
            got = raises.claimFractions(raiseId, backer, ELSEWHERE);
        } else {
            got = raises.claimFractions(raiseId, backer, backer);
        }
        uint256 mintedNow = shares.totalSupply(t.modelId) - supply;
        _ghost[raiseId].minted += mintedNow;
        if (got != fractions || mintedNow != fractions) _fail("claimed != allocation");
        _claimMustMintNothing(raiseId, t.modelId, backer);
        _done("claim");
    }

    /// @dev The treasury publishes an offer at or under the seat price and names it, while it still may.
    function setAccessOffer(uint256 raiseSeed, uint256 priceSeed) external {
        _tick(raiseSeed);
        _setAccessOffer(raiseSeed, priceSeed);
    }

    /// @dev Delivers a backer's seats from a raise's offer (naming one first if no raise has any yet).
    function deliverSeats(uint256 raiseSeed, uint256 backerSeed) external {
        _tick(raiseSeed);
        (uint256 raiseId, IRaises.RaiseTerms memory t) = _find(raiseSeed, _hasOffer);
        if (raiseId == 0) _setAccessOffer(raiseSeed, backerSeed);
        (raiseId, t) = _find(raiseSeed, _hasOffer);
        if (raiseId == 0) return;
        uint256 k = BACKERS;
        IRaises.Backing memory b;
        for (uint256 i = 0; i < BACKERS && k == BACKERS; ++i) {
            b = raises.backing(raiseId, backers[(backerSeed + i) % BACKERS]);
            if (b.seats != 0 && !b.seatsDelivered && !b.seatsRefunded) k = (backerSeed + i) % BACKERS;
        }
        if (k == BACKERS) return;
        uint256 before = _balance(t.token, address(raises));
        uint256[] memory ids = raises.deliverSeats(raiseId, backers[k]);
        uint256 paid = before - _balance(t.token, address(raises));
        _ghost[raiseId].paidForSeats += paid;
        _backerGhost[raiseId][k].surplus += b.seats * (t.seatPrice - _ghost[raiseId].offerPrice);
        if (paid != b.seats * _ghost[raiseId].offerPrice) _fail("seats paid != seats * offer price");
        if (ids.length != b.seats) _fail("licences != seats");
        for (uint256 i = 0; i < ids.length; ++i) if (licenses.ownerOf(ids[i]) != backers[k]) _fail("licence owner");
        _done("deliverSeats");
    }

    function _setAccessOffer(uint256 raiseSeed, uint256 priceSeed) internal {
        (uint256 raiseId, IRaises.RaiseTerms memory t) = _find(raiseSeed, _wantsOffer);
        if (raiseId == 0) return;
        ILicenseManager.OfferTerms memory o;
        o.price = uint128(bound(priceSeed, t.seatPrice / 2, t.seatPrice));
        o.paymentToken = t.token;
        o.duration = 30 days;
        o.onSale = true;
        o.termsURI = "ipfs://access";
        o.termsHash = keccak256("access");
        address treasury = shares.treasuryOf(t.modelId);
        vm.startPrank(treasury);
        uint256 offerId = licenses.addOffer(t.modelId, o);
        raises.setAccessOffer(raiseId, offerId);
        vm.stopPrank();
        _ghost[raiseId].offerPrice = o.price;
        _done("setAccessOffer");
    }
}

/**
 * @dev Several raises at once (ETH, a 6-decimal ERC-20, a 1% fee-on-transfer ERC-20; one model each; more opened
 * as the run goes), fuzzed commits with seats, time, finalize, cancel, tranches, failed milestones, refunds,
 * claims and seat delivery. At every step, per raise: what arrived = refunded + released + paid for seats + held,
 * and what the raise owes (recomputed here from the ghosts and the spec's formulas) is covered by what it holds,
 * short of it by rounding dust only.
 */
contract RaisesInvariantTest is ProtocolFixture {
    Raises internal raises;
    RaisesHandler internal handler;
    address[3] internal tokens;
    uint256[3] internal models;
    mapping(uint256 modelId => uint256) internal initialSupply;

    /// @dev What one raise owes and may keep as dust, from the invariant's own arithmetic.
    struct Owed {
        uint256 money;
        uint256 dust;
    }

    function setUp() public {
        _deployProtocol();
        (uint256 second, ) = registry.registerModel(_registration(_pair(CAROL, DAVE)));
        (uint256 third, ) = registry.registerModel(_registration(_pair(DAVE, ERIN)));
        models = [modelId, second, third];
        tokens = [address(0), address(new TestToken("Six", "SIX", 6)), address(new FeeOnTransferToken(100))];
        for (uint256 t = 0; t < 3; ++t) {
            vm.prank(shares.treasuryOf(models[t]));
            vault.setPaymentToken(models[t], tokens[t], true);
            initialSupply[models[t]] = shares.totalSupply(models[t]);
        }
        raises = new Raises(IModelShares(address(shares)), ILicenseManager(address(licenses)));
        handler = new RaisesHandler(IRaises(address(raises)), shares, licenses, tokens, models);
        for (uint256 t = 0; t < 3; ++t) handler.openRaise(t, t);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Per raise: the contract's own totals are the measured ones, and held = owed + dust. Per token: the
    /// contract's balance is exactly what its raises hold.
    function invariant_moneyAddsUp() public view {
        uint256[3] memory held;
        uint256[3] memory owed;
        uint256 n = handler.raiseCount();
        for (uint256 i = 0; i < n; ++i) {
            uint256 raiseId = handler.raiseIds(i);
            (uint256 inflow, uint256 refunded, uint256 released, uint256 paidForSeats) = raises.accounts(raiseId);
            assertEq(inflow, handler.ghost(raiseId).inflow, "inflow == what arrived");
            assertEq(refunded, handler.ghost(raiseId).refunded, "refunded == what left as refunds");
            assertEq(released, handler.ghost(raiseId).released, "released == what left to the treasury");
            assertEq(raises.raiseState(raiseId).released, released, "state.released == accounts.released");
            assertEq(paidForSeats, handler.ghost(raiseId).paidForSeats, "paidForSeats == what left for licences");
            uint256 holds = inflow - refunded - released - paidForSeats;
            Owed memory o = _owed(raiseId);
            assertLe(o.money, holds, "owed <= held");
            assertLe(holds - o.money, o.dust, "held - owed <= 1 wei per backer per rounding");
            uint256 t = handler.tokenIndex(raiseId);
            held[t] += holds;
            owed[t] += o.money;
        }
        for (uint256 t = 0; t < 3; ++t) {
            uint256 balance =
                tokens[t] == address(0) ? address(raises).balance : IERC20(tokens[t]).balanceOf(address(raises));
            assertEq(balance, held[t], "balance == sum held over the token's raises");
            assertLe(owed[t], balance, "balance >= sum owed");
        }
    }

    /// @dev A failed or cancelled raise: every backer can reclaim exactly what arrived from it; nothing was minted,
    /// released or spent on seats.
    function invariant_failureRefundsExactly() public view {
        uint256 n = handler.raiseCount();
        for (uint256 i = 0; i < n; ++i) {
            uint256 raiseId = handler.raiseIds(i);
            IRaises.Status s = raises.status(raiseId);
            if (s != IRaises.Status.Failed && s != IRaises.Status.Cancelled) continue;
            for (uint256 k = 0; k < handler.BACKERS(); ++k) {
                (uint256 fractions, uint256 refundable) = raises.allocation(raiseId, handler.backers(k));
                assertEq(fractions, 0, "no fractions from a failure");
                assertEq(
                    refundable + handler.backerGhost(raiseId, k).refunded,
                    handler.backerGhost(raiseId, k).paid,
                    "refundable + refunded == what arrived from the backer"
                );
            }
            assertEq(handler.ghost(raiseId).minted, 0, "nothing minted by a failed raise");
            assertEq(handler.ghost(raiseId).released, 0, "nothing released by a failed raise");
            assertEq(handler.ghost(raiseId).paidForSeats, 0, "no seats bought by a failed raise");
        }
    }

    /// @dev Fractions: each model's supply grew by exactly what its raises minted; a raise minted at most what it
    /// sold, exactly its claimed backers' pro rata allocations; the minting grant covers every fraction still owed.
    function invariant_fractionsMintedAsSold() public view {
        uint256[3] memory mintedOf;
        uint256[3] memory stillOwed;
        uint256 n = handler.raiseCount();
        for (uint256 i = 0; i < n; ++i) {
            uint256 raiseId = handler.raiseIds(i);
            IRaises.RaiseTerms memory t = raises.raise(raiseId);
            IRaises.Status s = raises.status(raiseId);
            uint256 committed = raises.raiseState(raiseId).committed;
            bool succeeded = s == IRaises.Status.Succeeded;
            uint256 claimed;
            uint256 allocated;
            for (uint256 k = 0; k < handler.BACKERS(); ++k) {
                address backer = handler.backers(k);
                uint256 expected =
                    succeeded
                        ? handler.allocatedBySpec(handler.backerGhost(raiseId, k).fractions, committed, t.cap)
                        : 0;
                (uint256 fractions, ) = raises.allocation(raiseId, backer);
                if (succeeded) assertEq(fractions, expected, "allocation == floor(u * cap / U) above the cap");
                if (raises.backing(raiseId, backer).claimed) claimed += expected;
                allocated += expected;
            }
            uint256 sold = committed < t.cap ? committed : t.cap;
            assertLe(allocated, sold, "allocations <= sold");
            assertEq(handler.ghost(raiseId).minted, claimed, "minted == claimed allocations");
            uint256 m = handler.tokenIndex(raiseId);
            mintedOf[m] += handler.ghost(raiseId).minted;
            if (succeeded) stillOwed[m] += allocated - claimed;
            else if (!raises.raiseState(raiseId).finalized) stillOwed[m] += t.cap;
        }
        for (uint256 m = 0; m < 3; ++m) {
            uint256 supply = shares.totalSupply(models[m]);
            assertEq(supply, initialSupply[models[m]] + mintedOf[m], "supply == initial + minted by raises");
            assertLe(stillOwed[m], shares.mintingGrant(models[m], address(raises)), "grant covers what is owed");
        }
    }

    /// @dev The treasury never receives more than min(U, cap) * price, and exactly that once every tranche is out;
    /// a failed milestone leaves exactly the rest to the backers.
    function invariant_treasuryGetsSoldMoneyOnly() public view {
        uint256 n = handler.raiseCount();
        for (uint256 i = 0; i < n; ++i) {
            uint256 raiseId = handler.raiseIds(i);
            IRaises.RaiseTerms memory t = raises.raise(raiseId);
            IRaises.RaiseState memory s = raises.raiseState(raiseId);
            uint256 soldMoney = (s.committed < t.cap ? s.committed : t.cap) * uint256(t.price);
            uint256 released = handler.ghost(raiseId).released;
            assertLe(handler.ghost(raiseId).treasuryReceived, released, "treasury received <= released");
            assertLe(released, soldMoney, "released <= min(U, cap) * price");
            uint256 count = t.tranches.length == 0 ? 1 : t.tranches.length;
            if (s.milestoneFailed) assertEq(released + s.milestoneRefund, soldMoney, "released + failed == sold");
            else if (s.tranchesReleased == count) assertEq(released, soldMoney, "all tranches == min(U, cap) * price");
        }
    }

    /// @dev No check inside an action failed: nothing was refunded or claimed twice, every credit was exact.
    function invariant_actionsChecked() public view {
        assertEq(handler.failure(), "", "a check inside an action failed");
    }

    /// @dev What `raiseId` owes now (refundable to backers, due to the treasury, held for seats).
    function _owed(uint256 raiseId) private view returns (Owed memory o) {
        IRaises.RaiseTerms memory t = raises.raise(raiseId);
        IRaises.RaiseState memory st = raises.raiseState(raiseId);
        IRaises.Status s = raises.status(raiseId);
        for (uint256 k = 0; k < handler.BACKERS(); ++k) {
            (uint256 refundable, uint256 held, uint256 dust) = handler.owedTo(raiseId, k, t, st, s);
            (, uint256 shown) = raises.allocation(raiseId, handler.backers(k));
            assertEq(shown, refundable, "allocation().refundable == the spec's formula");
            o.money += refundable + held;
            o.dust += dust;
        }
        if (s == IRaises.Status.Succeeded && !st.milestoneFailed) {
            o.money += (st.committed < t.cap ? st.committed : t.cap) * uint256(t.price) - st.released;
        }
    }
}
