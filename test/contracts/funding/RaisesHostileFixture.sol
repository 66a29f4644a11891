// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRaises} from "../../../contracts/interfaces/IRaises.sol";
import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {ReentrantBacker} from "../../../contracts/mocks/ReentrantBacker.sol";
import {CallbackToken} from "../../../contracts/mocks/tokens/CallbackToken.sol";
import {RaisesFixture} from "../utils/RaisesFixture.sol";
import {Test} from "../utils/Test.sol";

/**
 * @dev What the hostile raise tests share: a re-entrant contract backer (ERC-1271 signer), an ERC-777-style
 * callback token, and helpers that commit, refund and try things with exact balance checks.
 */
abstract contract RaisesHostileFixture is RaisesFixture {
    uint128 internal constant PRICE = 0.01 ether;
    uint128 internal constant UNIT = 1e18; // price of a fraction in the callback token
    /// @dev Gas an honest call may cost more after the dust than before it: arithmetic on other values, never a
    /// loop (one more backer read would cost 2,100 gas, 200 of them 420,000). Measured: 0 (two are 2,000 cheaper).
    uint256 internal constant GAS_SLACK = 500;
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    ReentrantBacker internal hostile;
    CallbackToken internal callbackToken;

    function _deployHostile() internal {
        _deployRaises();
        hostile = new ReentrantBacker(IRaises(address(raises)));
        callbackToken = new CallbackToken();
        vm.deal(address(hostile), 0);
    }

    /// @dev An ETH raise where A commits 5 and the hostile backer `fractions`, then cancelled by the treasury.
    function _cancelledWithHostile(uint64 fractions) internal returns (uint256 raiseId) {
        raiseId = _openNow(_terms(address(0), PRICE, 50, 100));
        _commit(KEY_A, raiseId, 5, 0);
        _hostileCommitsEth(raiseId, fractions);
        vm.prank(address(timelock));
        raises.cancel(raiseId);
    }

    function _hostileCommitsEth(uint256 raiseId, uint64 fractions) internal {
        hostile.configure(raiseId, ReentrantBacker.Hook.None, ReentrantBacker.Action.None, 0, 0);
        uint256 cost = uint256(fractions) * PRICE;
        vm.deal(address(this), address(this).balance + cost);
        hostile.commit{value: cost}(fractions, 0);
    }

    /// @dev Gives the hostile backer `amount` callback tokens, approved to the raises, with its hooks on.
    function _armTokenBacker(uint256 raiseId, uint256 amount) internal {
        hostile.configure(raiseId, ReentrantBacker.Hook.None, ReentrantBacker.Action.None, 0, 0);
        callbackToken.mint(address(hostile), amount);
        hostile.approveToken(callbackToken, type(uint256).max);
        hostile.registerHooks(callbackToken);
    }

    /// @dev The hook fired `attempts` times and every re-entrant call failed.
    function _assertBlocked(uint256 attempts) internal view {
        assertEq(hostile.attempts(), attempts, "the hook re-entered");
        assertEq(hostile.succeeded(), 0, "no re-entrant call went through");
        assertEq(bytes4(hostile.lastError()), bytes4(keccak256("ReentrancyGuardReentrantCall()")), "guarded");
    }

    function _refundAs(address backer, uint256 raiseId, uint256 expected) internal {
        uint256 before = backer.balance;
        vm.prank(backer);
        assertEq(raises.refund(raiseId, backer), expected, "refund");
        assertEq(backer.balance - before, expected, "received");
    }

    function _expectNothingToRefund(uint256 raiseId, address backer) internal {
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingToRefund.selector, raiseId, backer));
    }

    /// @dev `backer` committed `u` of U = 300 above a cap of 100: it gets floor(u / 3) fractions and
    /// floor(u * price * 2 / 3) back, paying less than one price for the part of a fraction it does not get.
    function _assertProRata(uint256 raiseId, address backer, uint256 u, uint256 fractions) internal view {
        (uint256 got, uint256 refundable) = raises.allocation(raiseId, backer);
        assertEq(got, fractions, "floor(u * cap / U)");
        assertEq(refundable, (u * PRICE * 200) / 300, "floor(u * price * (U - cap) / U)");
        assertLe(u * PRICE - refundable - fractions * PRICE, PRICE - 1, "pays < 1 price for a part fraction");
    }

    /// @dev As the treasury, in status `s`: no release, no failed milestone, no offer, no refund, no settling.
    function _treasuryCannotTouch(uint256 raiseId, IRaises.Status s) internal {
        address treasury = address(timelock);
        uint256 held = address(raises).balance;
        bytes memory wrong = abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, s);
        vm.startPrank(treasury);
        vm.expectRevert(wrong);
        raises.releaseTranche(raiseId);
        vm.expectRevert(wrong);
        raises.failMilestone(raiseId);
        vm.expectRevert(wrong);
        raises.setAccessOffer(raiseId, 1);
        if (s != IRaises.Status.Closed) {
            vm.expectRevert(wrong);
            raises.finalize(raiseId);
        }
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingToRefund.selector, raiseId, treasury));
        raises.refund(raiseId, treasury);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesInvalidRecipient.selector, treasury));
        raises.claimFractions(raiseId, backerA, treasury);
        vm.stopPrank();
        assertEq(address(raises).balance, held, "nothing moved");
    }

    function _tryCommit(address backer, uint256 raiseId, bytes memory signature, bytes memory err) internal {
        _tryCommitWithProof(backer, raiseId, new bytes32[](0), signature, err);
    }

    /// @dev `backer` commits one fraction; expects `err` unless it is empty. A refused commitment takes nothing.
    function _tryCommitWithProof(
        address backer,
        uint256 raiseId,
        bytes32[] memory proof,
        bytes memory signature,
        bytes memory err
    ) internal {
        vm.deal(backer, PRICE);
        if (err.length != 0) vm.expectRevert(err);
        vm.prank(backer);
        raises.commit{value: PRICE}(raiseId, 1, 0, proof, signature);
        if (err.length != 0) assertEq(backer.balance, PRICE, "a refused commitment takes nothing");
    }

    function _signDigest(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _amounts(uint256 each) internal pure returns (uint256[] memory list) {
        list = new uint256[](2);
        (list[0], list[1]) = (each, each);
    }

    function _offer(uint128 price) internal pure returns (ILicenseManager.OfferTerms memory o) {
        (o.price, o.duration, o.onSale) = (price, 30 days, true);
        (o.termsURI, o.termsHash) = ("ipfs://access", keccak256("access"));
    }

    /// @dev Gas of an honest backer's day: finalize, claim, refund of the excess; and a refund of a failed raise.
    /// Measured by a probe in a call frame of its own, so the memory this test grew does not count.
    function _honestGas(uint256 raiseId, uint256 failing) internal returns (uint256[4] memory used) {
        vm.warp(raises.raise(raiseId).closesAt);
        raises.finalize(failing);
        GasProbe probe = new GasProbe();
        IRaises r = IRaises(address(raises));
        used[0] = probe.finalize(r, raiseId);
        used[1] = probe.claim(r, raiseId, backerA);
        used[2] = probe.refund(r, raiseId, backerA);
        used[3] = probe.refund(r, failing, backerA);
    }
}

/// @dev Measures one call to the raises from a fresh call frame (the caller's memory size changes a call's cost).
contract GasProbe is Test {
    function finalize(IRaises raises, uint256 raiseId) external returns (uint256 used) {
        uint256 g = gasleft();
        raises.finalize(raiseId);
        used = g - gasleft();
    }

    function claim(IRaises raises, uint256 raiseId, address backer) external returns (uint256 used) {
        uint256 g = gasleft();
        raises.claimFractions(raiseId, backer, backer);
        used = g - gasleft();
    }

    function refund(IRaises raises, uint256 raiseId, address backer) external returns (uint256 used) {
        vm.prank(backer);
        uint256 g = gasleft();
        raises.refund(raiseId, backer);
        used = g - gasleft();
    }
}
