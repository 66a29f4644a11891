// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import {IRaises} from "../../../contracts/interfaces/IRaises.sol";
import {RevocableWallet} from "../../../contracts/mocks/RevocableWallet.sol";
import {FeeOnTransferToken} from "../../../contracts/mocks/tokens/FeeOnTransferToken.sol";
import {RaisesFixture} from "../utils/RaisesFixture.sol";
import {Vm} from "../utils/Test.sol";

/// @dev Who may commit and when: terms signatures (ECDSA, ERC-1271), allow-list, account cap, timestamp edges,
/// and what is credited when a fee-on-transfer token delivers less than was sent.
contract RaisesBackersTest is RaisesFixture {
    function setUp() public {
        _deployRaises();
    }

    function _commitExpectingRevert(
        uint256 key,
        uint256 raiseId,
        uint64 fractions,
        bytes memory signature,
        bytes memory revertData
    ) internal {
        address backer = vm.addr(key);
        uint256 cost = _cost(raiseId, fractions, 0);
        uint256 credited = raises.backing(raiseId, backer).fractions;
        vm.deal(backer, cost);
        vm.expectRevert(revertData);
        vm.prank(backer);
        raises.commit{value: cost}(raiseId, fractions, 0, new bytes32[](0), signature);
        assertEq(backer.balance, cost, "nothing taken");
        assertEq(raises.backing(raiseId, backer).fractions, credited, "nothing credited");
    }

    // --- terms ----------------------------------------------------------------------------------------------

    function test_termsDigest_isTheEip712DigestOfAcceptTerms() public {
        uint256 raiseId = _open(_terms(address(0), 1 ether, 1, 10));
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Weightshare Raises"),
                keccak256("1"),
                block.chainid,
                address(raises)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("AcceptTerms(uint256 raiseId,bytes32 termsHash,address backer)"),
                raiseId,
                TERMS_HASH,
                backerA
            )
        );
        bytes32 expected = keccak256(abi.encodePacked("\x19\x01", domain, structHash));
        assertEq(raises.termsDigest(raiseId, backerA), expected, "digest");
    }

    function test_terms_ecdsa_signedOnce_thenNotNeeded() public {
        uint256 raiseId = _openNow(_terms(address(0), 1 ether, 1, 10));
        bytes memory notAccepted = abi.encodeWithSelector(IRaises.RaisesTermsNotAccepted.selector, raiseId, backerA);
        _commitExpectingRevert(KEY_A, raiseId, 1, "", notAccepted);
        _commitExpectingRevert(KEY_A, raiseId, 1, _sign(KEY_B, raiseId), notAccepted); // B's signature
        uint256 other = _open(_terms(address(0), 1 ether, 1, 10));
        _commitExpectingRevert(KEY_A, raiseId, 1, _sign(KEY_A, other), notAccepted); // another raise's
        _commit(KEY_A, raiseId, 1, 0);
        assertTrue(raises.backing(raiseId, backerA).acceptedTerms, "accepted");
        vm.deal(backerA, 1 ether);
        vm.prank(backerA);
        raises.commit{value: 1 ether}(raiseId, 1, 0, new bytes32[](0), ""); // no signature needed again
        assertEq(raises.backing(raiseId, backerA).fractions, 2, "both credited");
    }

    function test_terms_erc1271Wallet_andItsRefundToAnotherAddress() public {
        uint256 raiseId = _openNow(_terms(address(0), 1 ether, 1, 10));
        RevocableWallet wallet = new RevocableWallet(ALICE);
        vm.deal(address(wallet), 3 ether);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesTermsNotAccepted.selector, raiseId, address(wallet)));
        vm.prank(address(wallet));
        raises.commit{value: 1 ether}(raiseId, 1, 0, new bytes32[](0), "");
        bytes32 digest = raises.termsDigest(raiseId, address(wallet));
        vm.prank(ALICE);
        wallet.approve(digest);
        vm.prank(address(wallet));
        raises.commit{value: 1 ether}(raiseId, 1, 0, new bytes32[](0), "");
        vm.prank(ALICE);
        wallet.revokeAll(); // accepted once is accepted: later commitments need no signature
        vm.prank(address(wallet));
        raises.commit{value: 1 ether}(raiseId, 1, 0, new bytes32[](0), "");
        assertEq(raises.backing(raiseId, address(wallet)).fractions, 2, "wallet committed");

        vm.prank(address(timelock));
        raises.cancel(raiseId);
        vm.expectRevert(Errors.FailedCall.selector); // the wallet cannot receive ETH
        vm.prank(address(wallet));
        raises.refund(raiseId, address(wallet));
        vm.prank(address(wallet));
        raises.refund(raiseId, ALICE);
        assertEq(ALICE.balance, 2 ether, "refunded to the owner");
    }

    // --- allow-list -----------------------------------------------------------------------------------------

    function _leaf(address account) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account))));
    }

    function test_allowlist_onlyListedBackersWithTheirProof() public {
        // four leaves: A, B, DAVE, ERIN
        bytes32[4] memory leaves = [_leaf(backerA), _leaf(backerB), _leaf(DAVE), _leaf(ERIN)];
        bytes32 left = Hashes.commutativeKeccak256(leaves[0], leaves[1]);
        bytes32 right = Hashes.commutativeKeccak256(leaves[2], leaves[3]);
        IRaises.RaiseTerms memory t = _terms(address(0), 1 ether, 1, 10);
        t.allowlistRoot = Hashes.commutativeKeccak256(left, right);
        uint256 raiseId = _openNow(t);
        bytes32[] memory proofA = new bytes32[](2);
        (proofA[0], proofA[1]) = (leaves[1], right);
        bytes32[] memory proofB = new bytes32[](2);
        (proofB[0], proofB[1]) = (leaves[0], right);

        _commitWithProof(KEY_A, raiseId, 2, 0, proofA);
        _commitWithProof(KEY_B, raiseId, 1, 0, proofB);
        assertEq(raises.raiseState(raiseId).committed, 3, "both listed backers in");

        bytes memory signature = _sign(KEY_C, raiseId);
        vm.deal(backerC, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNotAllowed.selector, raiseId, backerC));
        vm.prank(backerC); // not listed, with someone else's proof
        raises.commit{value: 1 ether}(raiseId, 1, 0, proofA, signature);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNotAllowed.selector, raiseId, backerC));
        vm.prank(backerC); // no proof
        raises.commit{value: 1 ether}(raiseId, 1, 0, new bytes32[](0), signature);
        vm.deal(backerA, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNotAllowed.selector, raiseId, backerA));
        vm.prank(backerA); // a listed backer with the wrong proof
        raises.commit{value: 1 ether}(raiseId, 1, 0, proofB, "");
        assertEq(backerC.balance, 1 ether, "nothing taken");
    }

    // --- account cap ----------------------------------------------------------------------------------------

    function test_accountCap_limitsEachBackersTotal() public {
        IRaises.RaiseTerms memory t = _terms(address(0), 1000, 1, 500);
        t.accountCap = 50;
        uint256 raiseId = _openNow(t);
        _commit(KEY_A, raiseId, 30, 0);
        bytes memory exceeded = abi.encodeWithSelector(
            IRaises.RaisesAccountCapExceeded.selector,
            raiseId,
            backerA,
            51,
            50
        );
        _commitExpectingRevert(KEY_A, raiseId, 21, "", exceeded);
        _commit(KEY_A, raiseId, 20, 0);
        _commit(KEY_B, raiseId, 50, 0);
        assertEq(raises.raiseState(raiseId).committed, 100, "each up to the cap");
    }

    // --- time -----------------------------------------------------------------------------------------------

    function test_timestampEdges_ofOpeningAndClosing() public {
        IRaises.RaiseTerms memory t = _terms(address(0), 1 ether, 1, 10);
        uint256 raiseId = _open(t);
        vm.warp(t.opensAt - 1);
        _commitExpectingRevert(
            KEY_A,
            raiseId,
            1,
            _sign(KEY_A, raiseId),
            abi.encodeWithSelector(IRaises.RaisesNotOpen.selector, raiseId, IRaises.Status.Pending)
        );
        vm.warp(t.opensAt);
        _commit(KEY_A, raiseId, 1, 0);
        vm.warp(t.closesAt - 1);
        _commit(KEY_B, raiseId, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Open));
        raises.finalize(raiseId);
        vm.warp(t.closesAt);
        _commitExpectingRevert(
            KEY_C,
            raiseId,
            1,
            _sign(KEY_C, raiseId),
            abi.encodeWithSelector(IRaises.RaisesNotOpen.selector, raiseId, IRaises.Status.Closed)
        );
        raises.finalize(raiseId);
        assertEq(uint256(raises.status(raiseId)), uint256(IRaises.Status.Succeeded), "settled at closesAt");
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Succeeded));
        raises.finalize(raiseId);
    }

    // --- fee-on-transfer ------------------------------------------------------------------------------------

    function test_feeOnTransfer_creditsWholeFractionsOfWhatArrived_restIsSurplus() public {
        FeeOnTransferToken fee = new FeeOnTransferToken(100); // 1% burnt per transfer
        IRaises.RaiseTerms memory t = _terms(address(fee), 1e6, 1, 100);
        uint256 raiseId = _openNow(t);
        fee.mint(backerA, 10e6);
        bytes memory signature = _sign(KEY_A, raiseId);
        vm.startPrank(backerA);
        fee.approve(address(raises), 10e6);
        vm.recordLogs();
        raises.commit(raiseId, 10, 0, new bytes32[](0), signature);
        vm.stopPrank();
        _assertCommittedLog(raiseId, 9, 9_900_000, 900_000);
        IRaises.Backing memory b = raises.backing(raiseId, backerA);
        assertEq(b.fractions, 9, "9 whole fractions arrived");
        assertEq(b.surplus, 900_000, "the rest");
        (uint256 fractions, uint256 refundable) = raises.allocation(raiseId, backerA);
        assertEq(fractions, 9, "allocation");
        assertEq(refundable, 900_000, "surplus refundable at once");
        vm.prank(backerA);
        raises.refund(raiseId, backerA);
        assertEq(fee.balanceOf(backerA), 891_000, "the token takes its fee on the way back too");
        _closeAndFinalize(raiseId);
        (uint256 inflow, uint256 refunded, uint256 released, ) = raises.accounts(raiseId);
        assertEq(inflow, 9_900_000, "inflow is what arrived");
        assertEq(refunded, 900_000, "refunded");
        assertEq(released, 9e6, "released");
        assertEq(fee.balanceOf(address(raises)), 0, "nothing held");
    }

    /// @dev The one `Committed` log of `raiseId` recorded since `vm.recordLogs()` carries these values.
    function _assertCommittedLog(uint256 raiseId, uint256 fractions, uint256 paid, uint256 surplus) internal {
        bytes32 topic = keccak256("Committed(uint256,address,uint256,uint256,uint256,uint256)");
        uint256 found = 0;
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter != address(raises) || logs[i].topics[0] != topic) continue;
            assertEq(uint256(logs[i].topics[1]), raiseId, "raise");
            (uint256 f, uint256 seats, uint256 p, uint256 s) = abi.decode(
                logs[i].data,
                (uint256, uint256, uint256, uint256)
            );
            assertEq(f, fractions, "fractions credited");
            assertEq(seats, 0, "seats");
            assertEq(p, paid, "paid: what arrived");
            assertEq(s, surplus, "surplus");
            ++found;
        }
        assertEq(found, 1, "one Committed log");
    }

    function test_feeOnTransfer_seatsUnderpaid_reverts() public {
        FeeOnTransferToken fee = new FeeOnTransferToken(100);
        IRaises.RaiseTerms memory t = _terms(address(fee), 1e6, 1, 100);
        (t.seatPrice, t.seats, t.accessDeadline) = (1e6, 5, t.closesAt + 1 days);
        uint256 raiseId = _openNow(t);
        fee.mint(backerA, 1e6);
        bytes memory signature = _sign(KEY_A, raiseId);
        vm.startPrank(backerA);
        fee.approve(address(raises), 1e6);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesUnderpaid.selector, 1e6, 990_000));
        raises.commit(raiseId, 0, 1, new bytes32[](0), signature);
        vm.stopPrank();
        assertEq(fee.balanceOf(backerA), 1e6, "nothing taken");
    }
}
