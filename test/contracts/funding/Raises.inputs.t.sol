// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IRaises} from "../../../contracts/interfaces/IRaises.sol";
import {RaisesFixture} from "../utils/RaisesFixture.sol";

/// @dev Bad input to every entry point: the exact custom error with its values, and nothing moved.
contract RaisesInputsTest is RaisesFixture {
    function setUp() public {
        _deployRaises();
    }

    // --- open -----------------------------------------------------------------------------------------------

    function _expectOpenReverts(IRaises.RaiseTerms memory t, bytes memory revertData) internal {
        uint256 count = raises.raiseCount();
        uint256 reserved = raises.reserved(modelId);
        vm.startPrank(address(timelock));
        shares.grantMinting(modelId, address(raises), 1_000_000);
        vm.expectRevert(revertData);
        raises.open(t);
        vm.stopPrank();
        assertEq(raises.raiseCount(), count, "no raise");
        assertEq(raises.reserved(modelId), reserved, "nothing reserved");
    }

    function _expectInvalid(IRaises.RaiseTerms memory t, string memory field) internal {
        _expectOpenReverts(t, abi.encodeWithSelector(IRaises.RaisesInvalidTerms.selector, field));
    }

    function _base() internal view returns (IRaises.RaiseTerms memory) {
        return _terms(address(0), 1 ether, 10, 100);
    }

    function test_open_byAnyoneButTheTreasury_orForAnUnknownModel_reverts() public {
        IRaises.RaiseTerms memory t = _base();
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnauthorizedTreasury.selector, CAROL, modelId));
        vm.prank(CAROL);
        raises.open(t);
        t.modelId = 99;
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownModel.selector, 99));
        vm.prank(address(timelock));
        raises.open(t);
        assertEq(raises.raiseCount(), 0, "no raise");
    }

    function test_open_refusesEachInvalidField() public {
        IRaises.RaiseTerms memory t = _base();
        t.token = DAVE; // no code
        _expectInvalid(t, "token");
        t = _base();
        t.price = 0;
        _expectInvalid(t, "price");
        t.price = type(uint128).max; // cap * price beyond uint128
        _expectInvalid(t, "price");
        t = _base();
        t.goal = 0;
        _expectInvalid(t, "goal");
        t = _base();
        t.cap = t.goal - 1;
        _expectInvalid(t, "cap");
        t = _base();
        t.opensAt = t.closesAt;
        _expectInvalid(t, "opensAt");
        t = _base();
        (t.opensAt, t.closesAt) = (uint48(block.timestamp - 10), uint48(block.timestamp));
        _expectInvalid(t, "closesAt");
    }

    function test_open_refusesBadTranches() public {
        IRaises.RaiseTerms memory t = _base();
        t.tranches = new uint16[](2);
        (t.tranches[0], t.tranches[1]) = (5000, 4999);
        _expectInvalid(t, "tranches");
        (t.tranches[0], t.tranches[1]) = (0, 10_000);
        _expectInvalid(t, "tranches");
        t.tranches = new uint16[](21);
        for (uint256 i = 0; i < 20; ++i) t.tranches[i] = 500;
        t.tranches[20] = 0;
        _expectInvalid(t, "tranches");
        t.tranches = new uint16[](20); // 20 entries are fine
        for (uint256 i = 0; i < 20; ++i) t.tranches[i] = 500;
        _open(t);
    }

    function test_open_refusesBadSeats() public {
        IRaises.RaiseTerms memory t = _base();
        t.seats = 5;
        _expectInvalid(t, "seats");
        (t.seats, t.seatPrice) = (0, 1 ether);
        _expectInvalid(t, "seats");
        (t.seats, t.accessDeadline) = (5, t.closesAt);
        _expectInvalid(t, "accessDeadline");
        (t.seatPrice, t.accessDeadline) = (type(uint128).max, t.closesAt + 1);
        _expectInvalid(t, "seatPrice");
    }

    function test_open_withoutEnoughGrant_reverts() public {
        IRaises.RaiseTerms memory t = _base();
        vm.startPrank(address(timelock));
        shares.grantMinting(modelId, address(raises), 99);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesGrantTooSmall.selector, modelId, 99, 100));
        raises.open(t);
        shares.grantMinting(modelId, address(raises), 51);
        raises.open(t); // 150 granted, 100 promised
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesGrantTooSmall.selector, modelId, 150, 200));
        raises.open(t);
        vm.stopPrank();
        assertEq(raises.reserved(modelId), 100, "one raise's cap");
    }

    // --- commit ---------------------------------------------------------------------------------------------

    function test_commit_unknownRaise_orNothing_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 0));
        raises.commit(0, 1, 0, new bytes32[](0), "");
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 1));
        raises.commit(1, 1, 0, new bytes32[](0), "");
        uint256 raiseId = _openNow(_base());
        bytes memory signature = _sign(KEY_A, raiseId);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingCommitted.selector, raiseId));
        vm.prank(backerA);
        raises.commit(raiseId, 0, 0, new bytes32[](0), signature);
    }

    function test_commit_wrongPayment_reverts_andTakesNothing() public {
        uint256 raiseId = _openNow(_base());
        bytes memory signature = _sign(KEY_A, raiseId);
        vm.deal(backerA, 10 ether);
        vm.startPrank(backerA);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongPayment.selector, 3 ether, 3 ether - 1));
        raises.commit{value: 3 ether - 1}(raiseId, 3, 0, new bytes32[](0), signature);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongPayment.selector, 3 ether, 3 ether + 1));
        raises.commit{value: 3 ether + 1}(raiseId, 3, 0, new bytes32[](0), signature);
        vm.stopPrank();
        assertEq(backerA.balance, 10 ether, "nothing taken");
        assertEq(address(raises).balance, 0, "nothing held");

        uint256 tokenRaise = _openNow(_terms(address(usdc), 1e6, 1, 10));
        signature = _sign(KEY_A, tokenRaise);
        usdc.mint(backerA, 5e6);
        vm.startPrank(backerA);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongPayment.selector, 0, 1));
        raises.commit{value: 1}(tokenRaise, 1, 0, new bytes32[](0), signature);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(raises), 0, 2e6)
        );
        raises.commit(tokenRaise, 2, 0, new bytes32[](0), signature);
        vm.stopPrank();
        assertEq(usdc.balanceOf(backerA), 5e6, "no token taken");
        assertEq(backerA.balance, 10 ether, "no ETH taken");
    }

    function test_commit_beyondUint64Fractions_reverts() public {
        uint256 raiseId = _openNow(_terms(address(0), 1, 1, 10));
        _commit(KEY_A, raiseId, type(uint64).max, 0);
        uint256 balance = address(raises).balance;
        vm.deal(backerB, 1);
        bytes memory signature = _sign(KEY_B, raiseId);
        vm.expectRevert(
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 64, uint256(type(uint64).max) + 1)
        );
        vm.prank(backerB);
        raises.commit{value: 1}(raiseId, 1, 0, new bytes32[](0), signature);
        assertEq(address(raises).balance, balance, "nothing taken");
    }

    // --- settling and claiming ------------------------------------------------------------------------------

    function test_finalize_beforeClosing_orUnknown_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 1));
        raises.finalize(1);
        uint256 raiseId = _open(_base());
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Pending));
        raises.finalize(raiseId);
        _closeAndFinalize(raiseId); // nothing committed: failed
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Failed));
        raises.finalize(raiseId);
    }

    function test_refund_badRecipient_orNothing_reverts() public {
        uint256 raiseId = _openNow(_base());
        _commit(KEY_A, raiseId, 2, 0);
        vm.startPrank(backerA);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesInvalidRecipient.selector, address(0)));
        raises.refund(raiseId, address(0));
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingToRefund.selector, raiseId, backerA));
        raises.refund(raiseId, backerA); // open: only surplus is refundable, and there is none
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 7));
        raises.refund(7, backerA);
        vm.stopPrank();
        assertEq(address(raises).balance, 2 ether, "held");
    }

    function test_claimFractions_badInput_reverts() public {
        uint256 raiseId = _openNow(_base());
        _commit(KEY_A, raiseId, 20, 0);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Open));
        vm.prank(backerA);
        raises.claimFractions(raiseId, backerA, backerA);
        _closeAndFinalize(raiseId);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesInvalidRecipient.selector, CAROL));
        vm.prank(CAROL); // only the backer names another recipient
        raises.claimFractions(raiseId, backerA, CAROL);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesInvalidRecipient.selector, address(0)));
        vm.prank(backerA);
        raises.claimFractions(raiseId, backerA, address(0));
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingToClaim.selector, raiseId, backerB));
        raises.claimFractions(raiseId, backerB, backerB);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 9));
        raises.claimFractions(9, backerA, backerA);
        assertEq(shares.balanceOf(CAROL, modelId), 0, "nothing minted");
        assertEq(raises.reserved(modelId), 20, "still promised");
    }

    function test_treasuryActions_onUnknownOrFailedRaises_revert() public {
        vm.startPrank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 1));
        raises.cancel(1);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 1));
        raises.releaseTranche(1);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 1));
        raises.failMilestone(1);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 1));
        raises.setAccessOffer(1, 1);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 1));
        raises.deliverSeats(1, backerA);

        uint256 raiseId = _openNow(_base());
        _commit(KEY_A, raiseId, 9, 0); // goal 10
        _closeAndFinalize(raiseId);
        bytes memory failed = abi.encodeWithSelector(
            IRaises.RaisesWrongStatus.selector,
            raiseId,
            IRaises.Status.Failed
        );
        vm.startPrank(address(timelock));
        vm.expectRevert(failed);
        raises.releaseTranche(raiseId);
        vm.expectRevert(failed);
        raises.failMilestone(raiseId);
        vm.expectRevert(failed);
        raises.setAccessOffer(raiseId, 1);
        vm.expectRevert(failed);
        raises.cancel(raiseId);
        vm.stopPrank();
        assertEq(address(raises).balance, 9 ether, "all still refundable");
    }

    function test_views_ofAnUnknownRaise_revert() public {
        bytes memory unknown = abi.encodeWithSelector(IRaises.RaisesUnknownRaise.selector, 3);
        vm.expectRevert(unknown);
        raises.raise(3);
        vm.expectRevert(unknown);
        raises.raiseState(3);
        vm.expectRevert(unknown);
        raises.status(3);
        vm.expectRevert(unknown);
        raises.backing(3, backerA);
        vm.expectRevert(unknown);
        raises.allocation(3, backerA);
        vm.expectRevert(unknown);
        raises.accounts(3);
        vm.expectRevert(unknown);
        raises.termsDigest(3, backerA);
    }
}
