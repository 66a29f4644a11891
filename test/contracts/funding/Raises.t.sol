// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRaises} from "../../../contracts/interfaces/IRaises.sol";
import {RaisesFixture} from "../utils/RaisesFixture.sol";

/// @dev The life of a raise: success in ETH and in a 6-decimal ERC-20, failure, pro rata, cancel, tranches.
contract RaisesTest is RaisesFixture {
    function setUp() public {
        _deployRaises();
    }

    function _assertStatus(uint256 raiseId, IRaises.Status expected, string memory message) internal view {
        assertEq(uint256(raises.status(raiseId)), uint256(expected), message);
    }

    function test_successEth_releasesAllToTheTreasury_andMintsFractionsOnClaim() public {
        uint256 raiseId = _open(_terms(address(0), 0.01 ether, 100, 1000));
        assertEq(raiseId, 1, "ids from 1");
        assertEq(raises.raiseCount(), 1, "count");
        assertEq(raises.reserved(modelId), 1000, "cap reserved");
        _assertStatus(raiseId, IRaises.Status.Pending, "pending before opening");
        vm.warp(raises.raise(raiseId).opensAt);
        _assertStatus(raiseId, IRaises.Status.Open, "open");
        _commit(KEY_A, raiseId, 300, 0);
        _commit(KEY_B, raiseId, 200, 0);
        assertEq(address(raises).balance, 5 ether, "held");
        vm.warp(raises.raise(raiseId).closesAt);
        _assertStatus(raiseId, IRaises.Status.Closed, "closed until finalised");
        uint256 treasuryBefore = address(timelock).balance;
        raises.finalize(raiseId);
        _assertStatus(raiseId, IRaises.Status.Succeeded, "succeeded");
        assertEq(address(timelock).balance - treasuryBefore, 5 ether, "all raised money to the treasury");
        assertEq(address(raises).balance, 0, "nothing left");
        assertEq(raises.reserved(modelId), 500, "sold fractions still promised");
        assertEq(shares.mintingGrant(modelId, address(raises)), 500, "unsold part of the grant renounced");

        vm.prank(backerA);
        assertEq(raises.claimFractions(raiseId, backerA, backerA), 300, "A claims");
        vm.prank(CAROL); // anyone may claim for a backer, to the backer
        assertEq(raises.claimFractions(raiseId, backerB, backerB), 200, "B claimed by Carol");
        assertEq(shares.balanceOf(backerA, modelId), 300, "A fractions");
        assertEq(shares.balanceOf(backerB, modelId), 200, "B fractions");
        assertEq(votes.getVotes(backerA), 300, "fractions vote at once");
        assertEq(shares.totalSupply(modelId), 700, "200 founders + 500 sold");
        assertEq(raises.reserved(modelId), 0, "nothing promised");
        assertEq(shares.mintingGrant(modelId, address(raises)), 0, "grant used up");

        IRaises.RaiseState memory s = raises.raiseState(raiseId);
        assertEq(s.committed, 500, "committed");
        assertEq(s.released, 5 ether, "released");
        assertEq(s.tranchesReleased, 1, "one tranche");
        (uint256 inflow, uint256 refunded, uint256 released, uint256 paid) = raises.accounts(raiseId);
        assertEq(inflow, 5 ether, "inflow");
        assertEq(refunded + paid, 0, "nothing refunded or paid for seats");
        assertEq(released, 5 ether, "released");
        (uint256 fractions, uint256 refundable) = raises.allocation(raiseId, backerA);
        assertEq(fractions, 300, "allocation");
        assertEq(refundable, 0, "nothing refundable");

        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingToRefund.selector, raiseId, backerA));
        vm.prank(backerA);
        raises.refund(raiseId, backerA);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingToClaim.selector, raiseId, backerA));
        raises.claimFractions(raiseId, backerA, backerA);
    }

    function test_successErc20_sixDecimals() public {
        uint256 raiseId = _openNow(_terms(address(usdc), 2_500_000, 10, 100)); // 2.5 USDC a fraction
        _commit(KEY_A, raiseId, 40, 0);
        _commit(KEY_B, raiseId, 60, 0);
        assertEq(usdc.balanceOf(address(raises)), 250e6, "held");
        _closeAndFinalize(raiseId);
        assertEq(usdc.balanceOf(address(timelock)), 250e6, "treasury paid 250 USDC");
        assertEq(usdc.balanceOf(address(raises)), 0, "nothing left");
        assertEq(shares.mintingGrant(modelId, address(raises)), 100, "cap sold: nothing renounced");
        vm.prank(backerB);
        raises.claimFractions(raiseId, backerB, DAVE); // a backer may send its fractions elsewhere
        assertEq(shares.balanceOf(DAVE, modelId), 60, "minted to Dave");
        assertEq(raises.reserved(modelId), 40, "A's fractions still promised");
    }

    function test_failure_refundsEveryBackerExactly_forever() public {
        uint256 raiseId = _openNow(_terms(address(0), 0.01 ether, 100, 1000));
        _commit(KEY_A, raiseId, 30, 0);
        _commit(KEY_B, raiseId, 20, 0);
        _commit(KEY_A, raiseId, 45, 0); // 95 in all: 5 short of the goal
        _closeAndFinalize(raiseId);
        _assertStatus(raiseId, IRaises.Status.Failed, "failed");
        assertEq(raises.reserved(modelId), 0, "nothing promised");
        assertEq(shares.mintingGrant(modelId, address(raises)), 0, "whole grant renounced");
        (uint256 fractions, uint256 refundable) = raises.allocation(raiseId, backerA);
        assertEq(fractions, 0, "no fractions from a failed raise");
        assertEq(refundable, 0.75 ether, "all A paid");

        vm.warp(block.timestamp + 3650 days); // forever
        vm.prank(backerA);
        assertEq(raises.refund(raiseId, backerA), 0.75 ether, "A refunded");
        vm.prank(backerB); // a backer that cannot receive ETH names another address
        raises.refund(raiseId, CAROL);
        assertEq(backerA.balance, 0.75 ether, "A has exactly what it paid");
        assertEq(backerB.balance, 0, "B's refund went to Carol");
        assertEq(CAROL.balance, 0.2 ether, "Carol");
        assertEq(address(raises).balance, 0, "nothing held");
        assertEq(_held(raiseId), 0, "accounts agree");

        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingToRefund.selector, raiseId, backerA));
        vm.prank(backerA);
        raises.refund(raiseId, backerA);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Failed));
        vm.prank(backerA);
        raises.claimFractions(raiseId, backerA, backerA);
        assertEq(shares.balanceOf(backerA, modelId), 0, "no fractions");
    }

    function test_oversubscribed_proRata_exactNumbers() public {
        // cap 10 at 1,000 wei; 15 committed (7, 5, 3): each gets floor(u * 10 / 15) fractions and
        // floor(u * 1000 * 5 / 15) back.
        uint256 raiseId = _openNow(_terms(address(0), 1000, 5, 10));
        _commit(KEY_A, raiseId, 7, 0);
        _commit(KEY_B, raiseId, 5, 0);
        _commit(KEY_C, raiseId, 3, 0);
        uint256 treasuryBefore = address(timelock).balance;
        _closeAndFinalize(raiseId);
        assertEq(address(timelock).balance - treasuryBefore, 10_000, "treasury gets exactly cap * price");
        _assertAllocation(raiseId, backerA, 4, 2333);
        _assertAllocation(raiseId, backerB, 3, 1666);
        _assertAllocation(raiseId, backerC, 2, 1000);
        address[3] memory backers = [backerA, backerB, backerC];
        for (uint256 i = 0; i < 3; ++i) {
            vm.startPrank(backers[i]);
            raises.refund(raiseId, backers[i]);
            raises.claimFractions(raiseId, backers[i], backers[i]);
            vm.stopPrank();
        }
        assertEq(backerA.balance, 2333, "A refund");
        assertEq(shares.balanceOf(backerA, modelId), 4, "A fractions");
        assertEq(shares.balanceOf(backerC, modelId), 2, "C fractions");
        assertEq(address(raises).balance, 1, "1 wei of rounding stays");
        assertEq(_held(raiseId), 1, "accounts agree");
        assertEq(raises.reserved(modelId), 1, "the floor's dust fraction is never minted");
        IRaises.RaiseState memory s = raises.raiseState(raiseId);
        assertEq(s.committed, 15, "committed before pro rata");
    }

    function _assertAllocation(uint256 raiseId, address backer, uint256 fractions, uint256 refundable) internal view {
        (uint256 f, uint256 r) = raises.allocation(raiseId, backer);
        assertEq(f, fractions, "fractions");
        assertEq(r, refundable, "refundable");
    }

    function testFuzz_proRata_neverOwesMoreThanHeld(uint64 a, uint64 b, uint64 c, uint64 cap, uint128 price) public {
        cap = uint64(bound(cap, 1, 1e9));
        price = uint128(bound(price, 1, 1e24));
        a = uint64(bound(a, 1, 1e10));
        b = uint64(bound(b, 0, 1e10));
        c = uint64(bound(c, 0, 1e10));
        uint256 raiseId = _openNow(_terms(address(0), price, 1, cap));
        _commit(KEY_A, raiseId, a, 0);
        if (b != 0) _commit(KEY_B, raiseId, b, 0);
        if (c != 0) _commit(KEY_C, raiseId, c, 0);
        _closeAndFinalize(raiseId);
        uint256 total = uint256(a) + b + c;
        uint256 sold = total < cap ? total : cap;
        uint256[3] memory keys = [KEY_A, KEY_B, KEY_C];
        uint64[3] memory committed = [a, b, c];
        uint256 minted = 0;
        for (uint256 i = 0; i < 3; ++i) {
            if (committed[i] == 0) continue;
            address backer = vm.addr(keys[i]);
            (uint256 fractions, uint256 refundable) = raises.allocation(raiseId, backer);
            uint256 paid = uint256(committed[i]) * price;
            // it pays for what it receives, and at most one fraction's price for a part it does not
            assertLe(fractions * price, paid - refundable, "pays for its fractions");
            assertLe(paid - refundable - fractions * price, price, "at most one price of rounding");
            if (refundable != 0) {
                vm.prank(backer);
                raises.refund(raiseId, backer);
            }
            if (fractions != 0) {
                vm.prank(backer);
                minted += raises.claimFractions(raiseId, backer, backer);
            }
        }
        assertLe(minted, sold, "minted at most sold");
        assertEq(address(raises).balance, _held(raiseId), "balance is what the accounts hold");
        assertLe(_held(raiseId), 3, "at most 1 wei per backer left");
    }

    function test_cancel_makesEverythingRefundable_andReturnsTheGrant() public {
        uint256 raiseId = _openNow(_terms(address(0), 0.01 ether, 100, 1000));
        _commit(KEY_A, raiseId, 150, 0);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnauthorizedTreasury.selector, backerA, modelId));
        vm.prank(backerA);
        raises.cancel(raiseId);
        vm.prank(address(timelock));
        raises.cancel(raiseId);
        _assertStatus(raiseId, IRaises.Status.Cancelled, "cancelled");
        assertEq(shares.mintingGrant(modelId, address(raises)), 0, "grant renounced");
        assertEq(raises.reserved(modelId), 0, "nothing promised");
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNotOpen.selector, raiseId, IRaises.Status.Cancelled));
        vm.prank(backerB);
        raises.commit(raiseId, 1, 0, new bytes32[](0), "");
        vm.prank(backerA);
        raises.refund(raiseId, backerA);
        assertEq(backerA.balance, 1.5 ether, "all back");
        vm.warp(raises.raise(raiseId).closesAt);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Cancelled));
        raises.finalize(raiseId);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Cancelled));
        vm.prank(address(timelock));
        raises.cancel(raiseId);
    }

    function test_cancel_whilePendingOrClosed_butNotAfterFinalize() public {
        uint256 pending = _open(_terms(address(0), 1 ether, 1, 10));
        vm.prank(address(timelock));
        raises.cancel(pending);
        _assertStatus(pending, IRaises.Status.Cancelled, "cancelled while pending");

        uint256 closed = _openNow(_terms(address(0), 1 ether, 1, 10));
        _commit(KEY_A, closed, 4, 0);
        vm.warp(raises.raise(closed).closesAt);
        vm.prank(address(timelock)); // before anyone finalises, a succeeding raise can still be cancelled
        raises.cancel(closed);
        vm.prank(backerA);
        assertEq(raises.refund(closed, backerA), 4 ether, "refunded");

        uint256 done = _openNow(_terms(address(0), 1 ether, 1, 10));
        _commit(KEY_A, done, 4, 0);
        _closeAndFinalize(done);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, done, IRaises.Status.Succeeded));
        vm.prank(address(timelock));
        raises.cancel(done);
        assertEq(raises.reserved(modelId), 4, "only the settled raise's fractions are promised");
    }

    function _trancheTerms() internal view returns (IRaises.RaiseTerms memory t) {
        t = _terms(address(0), 333, 50, 100);
        t.tranches = new uint16[](3);
        (t.tranches[0], t.tranches[1], t.tranches[2]) = (2500, 2500, 5000);
    }

    function test_tranches_releasedByTheTreasury_inExactAmounts() public {
        uint256 raiseId = _openNow(_trancheTerms());
        _commit(KEY_A, raiseId, 61, 0);
        _commit(KEY_B, raiseId, 39, 0); // 100 * 333 = 33,300 raised
        uint256 before = address(timelock).balance;
        _closeAndFinalize(raiseId);
        assertEq(address(timelock).balance - before, 8325, "first tranche at finalize: 25%");
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnauthorizedTreasury.selector, address(this), modelId));
        raises.releaseTranche(raiseId);
        vm.startPrank(address(timelock));
        raises.releaseTranche(raiseId);
        assertEq(address(timelock).balance - before, 16_650, "second: 50% cumulated");
        raises.releaseTranche(raiseId);
        assertEq(address(timelock).balance - before, 33_300, "last: exactly the rest");
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoTrancheLeft.selector, raiseId));
        raises.releaseTranche(raiseId);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoTrancheLeft.selector, raiseId));
        raises.failMilestone(raiseId);
        vm.stopPrank();
        assertEq(raises.raiseState(raiseId).tranchesReleased, 3, "three released");
        assertEq(address(raises).balance, 0, "nothing held");
    }

    function test_failMilestone_refundsTheRestProRata_andBackersKeepTheirFractions() public {
        uint256 raiseId = _openNow(_trancheTerms());
        _commit(KEY_A, raiseId, 61, 0);
        _commit(KEY_B, raiseId, 39, 0);
        _closeAndFinalize(raiseId); // 8,325 released
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnauthorizedTreasury.selector, backerA, modelId));
        vm.prank(backerA);
        raises.failMilestone(raiseId);
        vm.prank(address(timelock));
        raises.failMilestone(raiseId);
        IRaises.RaiseState memory s = raises.raiseState(raiseId);
        assertTrue(s.milestoneFailed, "failed");
        assertEq(s.milestoneRefund, 24_975, "33,300 - 8,325");
        _assertAllocation(raiseId, backerA, 61, 15_234); // floor(24,975 * 61 / 100)
        _assertAllocation(raiseId, backerB, 39, 9740); // floor(24,975 * 39 / 100)
        vm.prank(backerA);
        raises.refund(raiseId, backerA);
        vm.prank(backerB);
        raises.refund(raiseId, backerB);
        assertEq(backerA.balance, 15_234, "A");
        assertEq(backerB.balance, 9740, "B");
        assertEq(address(raises).balance, 1, "1 wei of rounding");
        vm.startPrank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoTrancheLeft.selector, raiseId));
        raises.releaseTranche(raiseId);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoTrancheLeft.selector, raiseId));
        raises.failMilestone(raiseId);
        vm.stopPrank();
        vm.prank(backerA);
        raises.claimFractions(raiseId, backerA, backerA);
        assertEq(shares.balanceOf(backerA, modelId), 61, "fractions kept");
    }

    function test_singleTranche_hasNoMilestoneToFail() public {
        uint256 raiseId = _openNow(_terms(address(0), 1 ether, 1, 10));
        _commit(KEY_A, raiseId, 2, 0);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Open));
        vm.prank(address(timelock));
        raises.releaseTranche(raiseId);
        _closeAndFinalize(raiseId);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNoTrancheLeft.selector, raiseId));
        vm.prank(address(timelock));
        raises.failMilestone(raiseId);
    }

    function test_twoRaisesOfOneModel_reserveTheirCapsSeparately() public {
        uint256 first = _openNow(_terms(address(0), 1 ether, 1, 10));
        uint256 second = _open(_terms(address(usdc), 1e6, 5, 30));
        assertEq(raises.reserved(modelId), 40, "both caps promised");
        _commit(KEY_A, first, 3, 0);
        _closeAndFinalize(first);
        assertEq(raises.reserved(modelId), 33, "first: 7 unsold released");
        vm.prank(address(timelock));
        raises.cancel(second);
        assertEq(raises.reserved(modelId), 3, "second cancelled");
        assertEq(shares.mintingGrant(modelId, address(raises)), 3, "the grant follows");
    }
}
