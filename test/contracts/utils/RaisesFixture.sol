// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Raises} from "../../../contracts/funding/Raises.sol";
import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IModelShares} from "../../../contracts/interfaces/IModelShares.sol";
import {IRaises} from "../../../contracts/interfaces/IRaises.sol";
import {TestToken} from "../../../contracts/mocks/tokens/TestToken.sol";
import {ProtocolFixture} from "./ProtocolFixture.sol";

/**
 * @dev The protocol with one registered model (its treasury is `timelock`), a `Raises` and a 6-decimal ERC-20.
 * Raises are opened as the treasury (`vm.prank`), which first grants the raise contract minting of `cap`.
 * Backers are keys, so they sign the terms with `vm.sign`.
 */
abstract contract RaisesFixture is ProtocolFixture {
    Raises internal raises;
    TestToken internal usdc;

    bytes32 internal constant TERMS_HASH = keccak256("Weightshare raise terms v1");
    uint256 internal constant KEY_A = 0xA11;
    uint256 internal constant KEY_B = 0xB22;
    uint256 internal constant KEY_C = 0xC33;
    address internal backerA;
    address internal backerB;
    address internal backerC;

    function _deployRaises() internal {
        _deployProtocol();
        raises = new Raises(IModelShares(address(shares)), ILicenseManager(address(licenses)));
        usdc = new TestToken("USD Coin", "USDC", 6);
        (backerA, backerB, backerC) = (vm.addr(KEY_A), vm.addr(KEY_B), vm.addr(KEY_C));
        vm.label(backerA, "backerA");
        vm.label(backerB, "backerB");
        vm.label(backerC, "backerC");
        vm.label(address(timelock), "treasury");
    }

    /// @dev Terms opening in an hour and closing in 8 days, open to anyone, one tranche, no seats.
    function _terms(
        address token,
        uint128 price,
        uint64 goal,
        uint64 cap
    ) internal view returns (IRaises.RaiseTerms memory t) {
        t.modelId = modelId;
        t.token = token;
        t.price = price;
        t.goal = goal;
        t.cap = cap;
        t.opensAt = uint48(block.timestamp + 1 hours);
        t.closesAt = uint48(block.timestamp + 8 days);
        t.termsHash = TERMS_HASH;
        t.termsURI = "ipfs://raise-terms";
    }

    /// @dev Grants `cap` more minting to the raise contract and opens `t`, both as the treasury.
    function _open(IRaises.RaiseTerms memory t) internal returns (uint256 raiseId) {
        vm.startPrank(address(timelock));
        shares.grantMinting(t.modelId, address(raises), t.cap);
        raiseId = raises.open(t);
        vm.stopPrank();
    }

    /// @dev Opens `t` and moves time to its opening.
    function _openNow(IRaises.RaiseTerms memory t) internal returns (uint256 raiseId) {
        raiseId = _open(t);
        vm.warp(t.opensAt);
    }

    /// @dev `key`'s ECDSA signature of the terms of `raiseId` (65 bytes, r s v).
    function _sign(uint256 key, uint256 raiseId) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, raises.termsDigest(raiseId, vm.addr(key)));
        return abi.encodePacked(r, s, v);
    }

    /// @dev What `fractions` and `seats` cost in `raiseId`.
    function _cost(uint256 raiseId, uint256 fractions, uint256 seats) internal view returns (uint256) {
        IRaises.RaiseTerms memory t = raises.raise(raiseId);
        return fractions * t.price + seats * t.seatPrice;
    }

    /// @dev `key` commits (signing the terms if it has not yet), paying exactly the cost in the raise's token.
    function _commit(uint256 key, uint256 raiseId, uint64 fractions, uint32 seats) internal {
        _commitWithProof(key, raiseId, fractions, seats, new bytes32[](0));
    }

    function _commitWithProof(
        uint256 key,
        uint256 raiseId,
        uint64 fractions,
        uint32 seats,
        bytes32[] memory proof
    ) internal {
        address backer = vm.addr(key);
        uint256 cost = _cost(raiseId, fractions, seats);
        bytes memory signature = raises.backing(raiseId, backer).acceptedTerms ? bytes("") : _sign(key, raiseId);
        if (raises.raise(raiseId).token == address(0)) {
            vm.deal(backer, backer.balance + cost);
            vm.prank(backer);
            raises.commit{value: cost}(raiseId, fractions, seats, proof, signature);
        } else {
            TestToken token = TestToken(raises.raise(raiseId).token);
            token.mint(backer, cost);
            vm.prank(backer);
            token.approve(address(raises), cost);
            vm.prank(backer);
            raises.commit(raiseId, fractions, seats, proof, signature);
        }
    }

    /// @dev Moves time to the closing of `raiseId` and settles it.
    function _closeAndFinalize(uint256 raiseId) internal {
        vm.warp(raises.raise(raiseId).closesAt);
        raises.finalize(raiseId);
    }

    /// @dev What `raiseId` still holds: inflow less refunds, releases and seat payments.
    function _held(uint256 raiseId) internal view returns (uint256) {
        (uint256 inflow, uint256 refunded, uint256 released, uint256 paidForSeats) = raises.accounts(raiseId);
        return inflow - refunded - released - paidForSeats;
    }
}
