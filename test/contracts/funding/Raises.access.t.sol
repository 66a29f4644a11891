// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IRaises} from "../../../contracts/interfaces/IRaises.sol";
import {RaisesFixture} from "../utils/RaisesFixture.sol";

/// @dev Access presale: seats sold with a raise, delivered as licences from an offer the DAO names, or refunded.
contract RaisesAccessTest is RaisesFixture {
    uint128 internal constant SEAT_PRICE = 0.05 ether;

    function setUp() public {
        _deployRaises();
        vm.startPrank(address(timelock));
        vault.setPaymentToken(modelId, address(0), true);
        vault.setPaymentToken(modelId, address(usdc), true);
        vm.stopPrank();
    }

    function _seatTerms(
        address token,
        uint128 price,
        uint128 seatPrice
    ) internal view returns (IRaises.RaiseTerms memory t) {
        t = _terms(token, price, 10, 100);
        t.seatPrice = seatPrice;
        t.seats = 5;
        t.accessDeadline = t.closesAt + 30 days;
    }

    function _addOffer(address token, uint128 price) internal returns (uint256 offerId) {
        ILicenseManager.OfferTerms memory o;
        o.price = price;
        o.paymentToken = token;
        o.duration = 30 days;
        o.transferable = true;
        o.commercialUse = true;
        o.onSale = true;
        o.termsURI = "ipfs://licence";
        o.termsHash = keccak256("licence");
        vm.prank(address(timelock));
        offerId = licenses.addOffer(modelId, o);
    }

    /// @dev A raise of 15 fractions at 0.01 ether, A with 2 seats and B with 1, succeeded.
    function _succeededEthRaise() internal returns (uint256 raiseId) {
        raiseId = _openNow(_seatTerms(address(0), 0.01 ether, SEAT_PRICE));
        _commit(KEY_A, raiseId, 10, 2);
        _commit(KEY_B, raiseId, 5, 1);
        assertEq(address(raises).balance, 0.3 ether, "0.15 for fractions, 0.15 for seats");
        _closeAndFinalize(raiseId);
    }

    function test_deliverSeats_mintsLicencesToTheBacker_andRefundsTheCheaperOffer() public {
        uint256 raiseId = _succeededEthRaise();
        assertEq(address(raises).balance, 0.15 ether, "seat money held after the fractions' money went");
        uint256 offerId = _addOffer(address(0), 0.04 ether);
        vm.prank(address(timelock));
        raises.setAccessOffer(raiseId, offerId);
        assertEq(raises.raiseState(raiseId).accessOfferId, offerId, "named");
        uint256 vaultBefore = address(vault).balance;
        vm.prank(CAROL); // anyone delivers
        uint256[] memory ids = raises.deliverSeats(raiseId, backerA);
        assertEq(ids.length, 2, "two licences");
        for (uint256 i = 0; i < 2; ++i) {
            assertEq(licenses.ownerOf(ids[i]), backerA, "licence to the backer");
            assertEq(licenses.licence(ids[i]).modelId, modelId, "of the model");
            assertTrue(licenses.isLive(ids[i]), "live");
        }
        assertTrue(licenses.hasAccess(modelId, backerA), "A has access");
        assertEq(address(vault).balance - vaultBefore, 0.08 ether, "licence revenue reached the vault");
        (, , , uint256 paid) = raises.accounts(raiseId);
        assertEq(paid, 0.08 ether, "paid for seats");
        assertTrue(raises.backing(raiseId, backerA).seatsDelivered, "delivered");
        (, uint256 refundable) = raises.allocation(raiseId, backerA);
        assertEq(refundable, 0.02 ether, "0.01 per seat under the seat price");
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoSeatsToDeliver.selector, raiseId, backerA));
        raises.deliverSeats(raiseId, backerA);
        vm.prank(backerA);
        raises.refund(raiseId, backerA);
        assertEq(backerA.balance, 0.02 ether, "difference refunded");
        assertEq(address(raises).balance, 0.05 ether, "B's seat money");
        assertEq(_held(raiseId), 0.05 ether, "accounts agree");
    }

    function test_undeliveredSeats_refundableAfterTheDeadline_thenNotDelivered() public {
        uint256 raiseId = _succeededEthRaise();
        uint256 offerId = _addOffer(address(0), SEAT_PRICE);
        vm.prank(address(timelock));
        raises.setAccessOffer(raiseId, offerId);
        uint48 deadline = raises.raise(raiseId).accessDeadline;
        vm.warp(deadline - 1);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingToRefund.selector, raiseId, backerB));
        vm.prank(backerB);
        raises.refund(raiseId, backerB);
        vm.warp(deadline);
        (, uint256 refundable) = raises.allocation(raiseId, backerB);
        assertEq(refundable, SEAT_PRICE, "seat money refundable at the deadline");
        vm.prank(backerB);
        raises.refund(raiseId, backerB);
        assertEq(backerB.balance, SEAT_PRICE, "refunded");
        assertTrue(raises.backing(raiseId, backerB).seatsRefunded, "marked");
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoSeatsToDeliver.selector, raiseId, backerB));
        raises.deliverSeats(raiseId, backerB);
        // A was not refunded: delivery after the deadline still goes through (whichever comes first wins)
        uint256[] memory ids = raises.deliverSeats(raiseId, backerA);
        assertEq(licenses.ownerOf(ids[1]), backerA, "delivered");
        (, refundable) = raises.allocation(raiseId, backerA);
        assertEq(refundable, 0, "offer at the seat price: nothing more");
        assertEq(address(raises).balance, 0, "nothing held");
    }

    function test_seatsWithoutOffer_refundableAfterTheDeadline() public {
        uint256 raiseId = _succeededEthRaise();
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoAccessOffer.selector, raiseId));
        raises.deliverSeats(raiseId, backerA);
        vm.warp(raises.raise(raiseId).accessDeadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRaises.RaisesAccessDeadlinePassed.selector,
                raiseId,
                raises.raise(raiseId).accessDeadline
            )
        );
        vm.prank(address(timelock));
        raises.setAccessOffer(raiseId, 1);
        vm.prank(backerA);
        assertEq(raises.refund(raiseId, backerA), 2 * SEAT_PRICE, "A's seats");
    }

    function test_failedRaise_refundsSeatMoneyWithTheRest() public {
        uint256 raiseId = _openNow(_seatTerms(address(0), 0.01 ether, SEAT_PRICE));
        _commit(KEY_A, raiseId, 5, 2); // 5 < goal 10
        _commit(KEY_B, raiseId, 0, 1); // seats only
        _closeAndFinalize(raiseId);
        vm.prank(backerA);
        assertEq(raises.refund(raiseId, backerA), 0.05 ether + 2 * SEAT_PRICE, "A all");
        vm.prank(backerB);
        assertEq(raises.refund(raiseId, backerB), SEAT_PRICE, "B all");
        assertEq(address(raises).balance, 0, "nothing held");
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Failed));
        raises.deliverSeats(raiseId, backerA);
    }

    function test_deliverSeats_erc20_approvesOnlyWhatItPays() public {
        uint256 raiseId = _openNow(_seatTerms(address(usdc), 1e6, 50e6));
        _commit(KEY_A, raiseId, 10, 3);
        _closeAndFinalize(raiseId);
        uint256 offerId = _addOffer(address(usdc), 45e6);
        vm.prank(address(timelock));
        raises.setAccessOffer(raiseId, offerId);
        uint256[] memory ids = raises.deliverSeats(raiseId, backerA);
        assertEq(ids.length, 3, "three licences");
        assertEq(licenses.balanceOf(backerA), 3, "held by A");
        assertEq(usdc.allowance(address(raises), address(licenses)), 0, "allowance back to 0");
        assertEq(usdc.balanceOf(address(raises)), 15e6, "3 x 5 USDC under the seat price");
        vm.prank(backerA);
        raises.refund(raiseId, backerA);
        assertEq(usdc.balanceOf(backerA), 15e6, "refunded");
        assertEq(usdc.balanceOf(address(raises)), 0, "nothing held");
    }

    function test_setAccessOffer_refusesMismatchesAndOthers() public {
        uint256 raiseId = _openNow(_seatTerms(address(0), 0.01 ether, SEAT_PRICE));
        _commit(KEY_A, raiseId, 10, 1);
        uint256 usdcOffer = _addOffer(address(usdc), 1);
        uint256 dearOffer = _addOffer(address(0), SEAT_PRICE + 1);
        uint256 goodOffer = _addOffer(address(0), SEAT_PRICE);
        vm.startPrank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Open));
        raises.setAccessOffer(raiseId, goodOffer);
        vm.stopPrank();
        _closeAndFinalize(raiseId);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnauthorizedTreasury.selector, address(this), modelId));
        raises.setAccessOffer(raiseId, goodOffer);
        vm.startPrank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesOfferMismatch.selector, raiseId, usdcOffer, "token"));
        raises.setAccessOffer(raiseId, usdcOffer);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesOfferMismatch.selector, raiseId, dearOffer, "price"));
        raises.setAccessOffer(raiseId, dearOffer);
        vm.expectRevert(abi.encodeWithSelector(ILicenseManager.LicenseManagerUnknownOffer.selector, modelId, 99));
        raises.setAccessOffer(raiseId, 99);
        raises.setAccessOffer(raiseId, goodOffer);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesAccessOfferAlreadySet.selector, raiseId, goodOffer));
        raises.setAccessOffer(raiseId, goodOffer);
        // the DAO raises the offer's price above the seat price: delivery refuses it
        ILicenseManager.OfferTerms memory o;
        (o.price, o.duration, o.onSale, o.termsURI, o.termsHash) = (SEAT_PRICE * 2, 1 days, true, "ipfs://x", "x");
        licenses.updateOffer(modelId, goodOffer, o);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesOfferMismatch.selector, raiseId, goodOffer, "price"));
        raises.deliverSeats(raiseId, backerA);
        assertEq(address(raises).balance, SEAT_PRICE, "seat money still held");
    }

    function test_setAccessOffer_onARaiseWithoutSeats_reverts() public {
        uint256 raiseId = _openNow(_terms(address(0), 1 ether, 1, 10));
        _commit(KEY_A, raiseId, 1, 0);
        _closeAndFinalize(raiseId);
        uint256 offerId = _addOffer(address(0), 0);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoAccessPresale.selector, raiseId));
        vm.prank(address(timelock));
        raises.setAccessOffer(raiseId, offerId);
    }

    function test_deliverSeats_toABackerWithoutSeats_reverts() public {
        uint256 raiseId = _succeededEthRaise();
        uint256 offerId = _addOffer(address(0), SEAT_PRICE);
        vm.prank(address(timelock));
        raises.setAccessOffer(raiseId, offerId);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoSeatsToDeliver.selector, raiseId, backerC));
        raises.deliverSeats(raiseId, backerC);
    }

    function test_commit_seatLimits() public {
        IRaises.RaiseTerms memory t = _seatTerms(address(0), 0.01 ether, SEAT_PRICE);
        uint256 raiseId = _openNow(t);
        _commit(KEY_A, raiseId, 0, 3);
        uint256 cost = 3 * SEAT_PRICE;
        vm.deal(backerB, cost);
        bytes memory signature = _sign(KEY_B, raiseId);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesSeatsSoldOut.selector, raiseId, 3, 2));
        vm.prank(backerB);
        raises.commit{value: cost}(raiseId, 0, 3, new bytes32[](0), signature);
        assertEq(backerB.balance, cost, "nothing taken");

        t.seats = 100;
        uint256 big = _openNow(t);
        _commit(KEY_A, big, 0, 20);
        cost = SEAT_PRICE;
        vm.deal(backerA, cost);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesTooManySeats.selector, big, backerA, 21, 20));
        vm.prank(backerA);
        raises.commit{value: cost}(big, 0, 1, new bytes32[](0), "");
        assertEq(backerA.balance, cost, "nothing taken");
    }
}
