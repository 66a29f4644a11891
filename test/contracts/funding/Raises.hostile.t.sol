// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Raises} from "../../../contracts/funding/Raises.sol";
import {IRaises} from "../../../contracts/interfaces/IRaises.sol";
import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IModelShares} from "../../../contracts/interfaces/IModelShares.sol";
import {ReentrantBacker} from "../../../contracts/mocks/ReentrantBacker.sol";
import {RaisesHostileFixture} from "./RaisesHostileFixture.sol";

/**
 * @dev Backers, tokens and treasuries that attack raises: re-entrancy through ETH refunds, the ERC-1155 receiver
 * hook of a claim and ERC-777-style token callbacks; a backer that refuses ETH; griefing by dust; front-running
 * the close; a treasury reaching for committed money. Every balance is checked exactly.
 */
contract RaisesHostileTest is RaisesHostileFixture {
    function setUp() public {
        _deployHostile();
    }

    // --- ETH refunds ----------------------------------------------------------------------------------------

    function test_ethRefund_reenteringRefund_paysOnce() public {
        uint256 raiseId = _cancelledWithHostile(3);
        hostile.configure(raiseId, ReentrantBacker.Hook.EthReceive, ReentrantBacker.Action.Refund, 0, 0);
        uint256 got = hostile.refund(address(hostile));
        assertEq(got, 3 * PRICE, "refund");
        assertEq(address(hostile).balance, 3 * PRICE, "received exactly what it paid");
        _assertBlocked(1);
        assertEq(address(raises).balance, 5 * PRICE, "the other backer's money stays");
        _expectNothingToRefund(raiseId, address(hostile));
        hostile.refund(address(hostile));
        _refundAs(backerA, raiseId, 5 * PRICE);
        assertEq(address(raises).balance, 0, "all refunded, nothing left");
    }

    function test_ethRefund_reenteringCommit_commitsNothing() public {
        uint256 raiseId = _cancelledWithHostile(3);
        vm.deal(address(hostile), PRICE); // to pay the re-entrant commitment
        hostile.configure(raiseId, ReentrantBacker.Hook.EthReceive, ReentrantBacker.Action.Commit, 1, PRICE);
        hostile.refund(address(hostile));
        _assertBlocked(1);
        assertEq(address(hostile).balance, 4 * PRICE, "its refund and the ETH it tried to commit");
        assertEq(raises.backing(raiseId, address(hostile)).fractions, 3, "no fraction added");
        assertEq(address(raises).balance, 5 * PRICE, "held: the other backer's money");
    }

    function test_ethRefund_reenteringClaim_claimsOnlyItsAllocation() public {
        // Oversubscribed two to one: each of A and the hostile backer gets 5 of its 10 and 5 prices back.
        uint256 raiseId = _openNow(_terms(address(0), PRICE, 10, 10));
        _commit(KEY_A, raiseId, 10, 0);
        _hostileCommitsEth(raiseId, 10);
        _closeAndFinalize(raiseId);
        hostile.configure(raiseId, ReentrantBacker.Hook.EthReceive, ReentrantBacker.Action.Claim, 0, 0);
        hostile.refund(address(hostile));
        _assertBlocked(1);
        assertEq(address(hostile).balance, 5 * PRICE, "excess refunded exactly");
        assertEq(shares.balanceOf(address(hostile), modelId), 0, "nothing claimed from inside the refund");
        hostile.configure(raiseId, ReentrantBacker.Hook.None, ReentrantBacker.Action.None, 0, 0);
        assertEq(hostile.claim(address(hostile)), 5, "its pro rata allocation");
        assertEq(shares.balanceOf(address(hostile), modelId), 5, "minted once");
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesNothingToClaim.selector, raiseId, address(hostile)));
        hostile.claim(address(hostile));
    }

    // --- ERC-1155 receiver hook on claim --------------------------------------------------------------------

    function test_claim_erc1155HookReenteringClaim_mintsOnce() public {
        uint256 raiseId = _openNow(_terms(address(0), PRICE, 10, 100));
        _commit(KEY_A, raiseId, 10, 0);
        _hostileCommitsEth(raiseId, 20);
        _closeAndFinalize(raiseId);
        uint256 supply = shares.totalSupply(modelId);
        hostile.configure(raiseId, ReentrantBacker.Hook.Erc1155Received, ReentrantBacker.Action.Claim, 0, 0);
        assertEq(hostile.claim(address(hostile)), 20, "claimed");
        _assertBlocked(1);
        assertEq(shares.balanceOf(address(hostile), modelId), 20, "its fractions, once");
        assertEq(shares.totalSupply(modelId), supply + 20, "supply grew by the claim only");
    }

    function test_claim_erc1155HookReenteringRefund_refundsTheExcessOnce() public {
        uint256 raiseId = _openNow(_terms(address(0), PRICE, 10, 10));
        _commit(KEY_A, raiseId, 10, 0);
        _hostileCommitsEth(raiseId, 10);
        _closeAndFinalize(raiseId);
        hostile.configure(raiseId, ReentrantBacker.Hook.Erc1155Received, ReentrantBacker.Action.Refund, 0, 0);
        assertEq(hostile.claim(address(hostile)), 5, "claimed");
        _assertBlocked(1);
        assertEq(address(hostile).balance, 0, "nothing refunded from inside the claim");
        hostile.configure(raiseId, ReentrantBacker.Hook.None, ReentrantBacker.Action.None, 0, 0);
        assertEq(hostile.refund(address(hostile)), 5 * PRICE, "refund");
        assertEq(address(hostile).balance, 5 * PRICE, "excess refunded exactly once");
        _expectNothingToRefund(raiseId, address(hostile));
        hostile.refund(address(hostile));
        _refundAs(backerA, raiseId, 5 * PRICE);
        assertEq(address(raises).balance, 0, "treasury paid, excess refunded, nothing left");
    }

    // --- ERC-777-style token callbacks ----------------------------------------------------------------------

    function test_erc777Commit_tokensToSendReenteringCommit_creditsOnlyWhatArrived() public {
        uint256 raiseId = _openNow(_terms(address(callbackToken), UNIT, 1, 100));
        _armTokenBacker(raiseId, 10 * UNIT);
        hostile.configure(raiseId, ReentrantBacker.Hook.TokensToSend, ReentrantBacker.Action.Commit, 2, 0);
        hostile.commit(3, 0);
        IRaises.Backing memory b = raises.backing(raiseId, address(hostile));
        uint256 paid = 10 * UNIT - callbackToken.balanceOf(address(hostile));
        assertEq(b.fractions * UNIT + b.surplus, paid, "credited == what left the backer");
        assertEq(callbackToken.balanceOf(address(raises)), paid, "held == what arrived");
        (uint256 inflow, , , ) = raises.accounts(raiseId);
        assertEq(inflow, paid, "inflow counted once");
        assertEq(raises.raiseState(raiseId).committed, b.fractions, "committed == credited");
        _assertBlocked(1);
        assertEq(b.fractions, 3, "the re-entrant commitment did not go through");
    }

    function test_erc777Refund_tokensReceivedReenteringRefund_paysOnce() public {
        uint256 raiseId = _openNow(_terms(address(callbackToken), UNIT, 50, 100));
        _commit(KEY_A, raiseId, 4, 0);
        _armTokenBacker(raiseId, 10 * UNIT);
        hostile.commit(3, 0);
        vm.prank(address(timelock));
        raises.cancel(raiseId);
        hostile.configure(raiseId, ReentrantBacker.Hook.TokensReceived, ReentrantBacker.Action.Refund, 0, 0);
        assertEq(hostile.refund(address(hostile)), 3 * UNIT, "refund");
        _assertBlocked(1);
        assertEq(callbackToken.balanceOf(address(hostile)), 10 * UNIT, "got back exactly what it paid");
        assertEq(callbackToken.balanceOf(address(raises)), 4 * UNIT, "A's money stays");
    }

    function test_erc777Refund_tokensReceivedReenteringClaim_claimsOnlyItsAllocation() public {
        uint256 raiseId = _openNow(_terms(address(callbackToken), UNIT, 10, 10));
        _commit(KEY_A, raiseId, 10, 0);
        _armTokenBacker(raiseId, 10 * UNIT);
        hostile.commit(10, 0);
        _closeAndFinalize(raiseId);
        hostile.configure(raiseId, ReentrantBacker.Hook.TokensReceived, ReentrantBacker.Action.Claim, 0, 0);
        assertEq(hostile.refund(address(hostile)), 5 * UNIT, "excess");
        _assertBlocked(1);
        assertEq(shares.balanceOf(address(hostile), modelId), 0, "nothing claimed from inside the refund");
        hostile.configure(raiseId, ReentrantBacker.Hook.None, ReentrantBacker.Action.None, 0, 0);
        assertEq(hostile.claim(address(hostile)), 5, "claimed");
        assertEq(shares.balanceOf(address(hostile), modelId), 5, "its allocation, once");
        assertEq(callbackToken.balanceOf(address(hostile)), 5 * UNIT, "paid 10, got 5 back");
        assertEq(callbackToken.balanceOf(address(timelock)), 10 * UNIT, "treasury got cap * price");
    }

    // --- a backer that refuses ETH --------------------------------------------------------------------------

    function test_backerRefusingEth_blocksNobody_andRefundsToAnotherAddress() public {
        uint256 raiseId = _cancelledWithHostile(3);
        hostile.setRefuseEth(true);
        vm.expectRevert(abi.encodeWithSelector(ReentrantBacker.ReentrantBackerRefusesEth.selector, 3 * PRICE));
        hostile.refund(address(hostile));
        _refundAs(backerA, raiseId, 5 * PRICE);
        uint256 carol = CAROL.balance;
        assertEq(hostile.refund(CAROL), 3 * PRICE, "refund");
        assertEq(CAROL.balance - carol, 3 * PRICE, "to the address it named");
        assertEq(address(raises).balance, 0, "everyone refunded");
    }

    function test_backerRefusingEth_cannotBlockFinalizeOrOthersAfterSuccess() public {
        uint256 raiseId = _openNow(_terms(address(0), PRICE, 10, 10));
        _hostileCommitsEth(raiseId, 10);
        hostile.setRefuseEth(true);
        _commit(KEY_A, raiseId, 10, 0);
        _closeAndFinalize(raiseId); // pays the treasury, nobody else
        assertEq(address(timelock).balance, 10 * PRICE, "treasury paid cap * price");
        _refundAs(backerA, raiseId, 5 * PRICE);
        vm.prank(backerA);
        assertEq(raises.claimFractions(raiseId, backerA, backerA), 5, "A claims");
        assertEq(raises.claimFractions(raiseId, address(hostile), address(hostile)), 5, "anyone claims for it");
        assertEq(hostile.refund(CAROL), 5 * PRICE, "its excess, elsewhere");
        assertEq(address(raises).balance, 0, "nothing left");
    }

    // --- griefing by dust -----------------------------------------------------------------------------------

    /// @dev 200 one-fraction commitments from distinct accounts change nothing in what an honest backer's
    /// finalize, claim and refund cost (no loop over backers anywhere).
    function test_dustCommits_doNotRaiseTheGasOfAnHonestBacker() public {
        uint256 failing = _open(_terms(address(0), PRICE, 1000, 1000)); // same window, will fail
        uint256 raiseId = _openNow(_terms(address(0), PRICE, 10, 100));
        _commit(KEY_A, raiseId, 150, 0); // oversubscribed by A alone: A has fractions and an excess
        _commit(KEY_A, failing, 150, 0);
        uint256 snapshot = vm.snapshotState();
        uint256[4] memory clean = _honestGas(raiseId, failing);
        vm.revertToState(snapshot);
        for (uint256 i = 0; i < 200; ++i) {
            _commit(0xD000 + i, raiseId, 1, 0);
            _commit(0xD000 + i, failing, 1, 0);
        }
        assertEq(raises.raiseState(raiseId).committed, 350, "dust committed");
        uint256[4] memory dusty = _honestGas(raiseId, failing);
        string[4] memory what = ["finalize", "claim", "refund of the excess", "refund of a failed raise"];
        for (uint256 i = 0; i < 4; ++i) assertLe(dusty[i], clean[i] + GAS_SLACK, what[i]);
    }

    // --- front-running the close ----------------------------------------------------------------------------

    function test_frontRunningTheClose_lastSecondWhaleOnlyDilutesProRata() public {
        IRaises.RaiseTerms memory t = _terms(address(0), PRICE, 10, 100);
        uint256 raiseId = _openNow(t);
        _commit(KEY_A, raiseId, 60, 0);
        _commit(KEY_B, raiseId, 40, 0); // exactly the cap
        vm.warp(t.closesAt - 1);
        _commit(KEY_C, raiseId, 200, 0); // the whale, in the last second
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesWrongStatus.selector, raiseId, IRaises.Status.Open));
        raises.finalize(raiseId);
        vm.warp(t.closesAt); // the block at closesAt: too late to commit, time to settle
        bytes memory closed = abi.encodeWithSelector(IRaises.RaisesNotOpen.selector, raiseId, IRaises.Status.Closed);
        _tryCommit(backerA, raiseId, "", closed);
        raises.finalize(raiseId);
        // U = 300 > cap = 100: fractions floor(u * 100 / 300), refund floor(u * price * 200 / 300).
        _assertProRata(raiseId, backerA, 60, 20);
        _assertProRata(raiseId, backerB, 40, 13);
        _assertProRata(raiseId, backerC, 200, 66);
        assertEq(address(timelock).balance, 100 * PRICE, "treasury: exactly cap * price");
        _refundAs(backerA, raiseId, 40 * PRICE);
        _refundAs(backerB, raiseId, (40 * PRICE * 2) / 3);
        _refundAs(backerC, raiseId, (200 * PRICE * 2) / 3);
        assertEq(address(raises).balance, 1, "left: 1 wei of rounding (< 1 per backer)");
    }

    /// @dev Opening at `opensAt` exactly; an access offer can be named until `accessDeadline - 1`, and from
    /// `accessDeadline` the undelivered seats' money is refundable, not a second earlier.
    function test_timestampEdges_openingAndAccessDeadline() public {
        IRaises.RaiseTerms memory t = _terms(address(0), PRICE, 1, 100);
        (t.seatPrice, t.seats, t.accessDeadline) = (PRICE, 10, t.closesAt + 1 days);
        uint256 raiseId = _open(t);
        vm.warp(t.opensAt - 1);
        bytes memory pending = abi.encodeWithSelector(IRaises.RaisesNotOpen.selector, raiseId, IRaises.Status.Pending);
        _tryCommit(backerA, raiseId, _sign(KEY_A, raiseId), pending);
        vm.warp(t.opensAt);
        _commit(KEY_A, raiseId, 10, 2);
        _closeAndFinalize(raiseId);
        vm.warp(t.accessDeadline - 1);
        (, uint256 refundable) = raises.allocation(raiseId, backerA);
        assertEq(refundable, 0, "seats still awaited a second before the deadline");
        uint256 snapshot = vm.snapshotState();
        vm.startPrank(address(timelock));
        uint256 offerId = licenses.addOffer(modelId, _offer(PRICE));
        raises.setAccessOffer(raiseId, offerId);
        vm.stopPrank();
        vm.revertToState(snapshot);
        vm.warp(t.accessDeadline);
        vm.startPrank(address(timelock));
        uint256 late = licenses.addOffer(modelId, _offer(PRICE));
        vm.expectRevert(
            abi.encodeWithSelector(IRaises.RaisesAccessDeadlinePassed.selector, raiseId, uint256(t.accessDeadline))
        );
        raises.setAccessOffer(raiseId, late);
        vm.stopPrank();
        _refundAs(backerA, raiseId, 2 * PRICE);
        assertEq(address(raises).balance, 0, "the treasury got the fractions' money, A its seats' back");
    }

    // --- the treasury and everyone else ---------------------------------------------------------------------

    function test_treasury_cannotMoveCommittedMoneyBeforeSuccess() public {
        IRaises.RaiseTerms memory t = _terms(address(0), PRICE, 10, 100);
        uint256 raiseId = _openNow(t);
        _commit(KEY_A, raiseId, 7, 0);
        _commit(KEY_B, raiseId, 5, 0);
        address treasury = address(timelock);
        _treasuryCannotTouch(raiseId, IRaises.Status.Open);
        vm.warp(t.closesAt); // closed, succeeded by the numbers, not finalised
        _treasuryCannotTouch(raiseId, IRaises.Status.Closed);
        vm.prank(treasury);
        raises.cancel(raiseId); // its one power before success: make everything refundable
        _treasuryCannotTouch(raiseId, IRaises.Status.Cancelled);
        assertEq(treasury.balance, 0, "the treasury got nothing");
        // Nor can anyone else (this contract is the protocol admin of every proxy; Raises has no admin at all).
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesInvalidRecipient.selector, address(this)));
        raises.claimFractions(raiseId, backerA, address(this));
        _refundAs(backerA, raiseId, 7 * PRICE);
        _refundAs(backerB, raiseId, 5 * PRICE);
        assertEq(address(raises).balance, 0, "everything went back to the backers");
    }

    /// @dev A treasury that can sign (an EOA) commits to its own raise, cancels it, and gets back exactly what it
    /// committed: not a wei of the backers' money.
    function test_treasury_cancelThenRefund_getsOnlyWhatItCommitted() public {
        uint256 treasuryKey = 0x7EA5;
        address treasury = vm.addr(treasuryKey);
        shares.grantRole(shares.MODEL_CREATOR_ROLE(), address(this));
        (uint256 ownModel, ) = shares.createModel(treasury, "Own", "OWN", "", _pair(ALICE, BOB), _amounts(100));
        IRaises.RaiseTerms memory t = _terms(address(0), PRICE, 10, 100);
        t.modelId = ownModel;
        vm.startPrank(treasury);
        shares.grantMinting(ownModel, address(raises), t.cap);
        uint256 raiseId = raises.open(t);
        vm.stopPrank();
        vm.warp(t.opensAt);
        _commit(KEY_A, raiseId, 6, 0);
        _commit(treasuryKey, raiseId, 2, 0);
        _commit(KEY_B, raiseId, 4, 0);
        vm.prank(treasury);
        raises.cancel(raiseId);
        _refundAs(treasury, raiseId, 2 * PRICE);
        _expectNothingToRefund(raiseId, treasury);
        vm.prank(treasury);
        raises.refund(raiseId, treasury);
        assertEq(address(raises).balance, 10 * PRICE, "the backers' money is all there");
        _refundAs(backerA, raiseId, 6 * PRICE);
        _refundAs(backerB, raiseId, 4 * PRICE);
    }

    // --- terms signatures and the allow-list ----------------------------------------------------------------

    function test_forgedTermsSignatures_areRefused() public {
        IRaises.RaiseTerms memory t = _terms(address(0), PRICE, 1, 10);
        uint256 raiseId = _openNow(t);
        uint256 second = _open(t);
        bytes memory refused = abi.encodeWithSelector(IRaises.RaisesTermsNotAccepted.selector, raiseId, backerA);
        bytes32 digest = raises.termsDigest(raiseId, backerA);
        _tryCommit(backerA, raiseId, _signDigest(KEY_B, digest), refused); // signed by another key
        _tryCommit(backerA, raiseId, _signDigest(KEY_A, raises.termsDigest(second, backerA)), refused); // raise
        _tryCommit(backerA, raiseId, _signDigest(KEY_A, raises.termsDigest(raiseId, backerB)), refused); // backer
        uint256 chainId = block.chainid;
        vm.chainId(chainId + 1);
        bytes32 otherChain = raises.termsDigest(raiseId, backerA);
        vm.chainId(chainId);
        assertTrue(otherChain != digest, "the chain id is in the domain");
        _tryCommit(backerA, raiseId, _signDigest(KEY_A, otherChain), refused); // replayed from another chain
        Raises other = new Raises(IModelShares(address(shares)), ILicenseManager(address(licenses)));
        vm.startPrank(address(timelock));
        shares.grantMinting(modelId, address(other), t.cap);
        assertEq(other.open(t), raiseId, "same raise id, same terms, another deployment");
        vm.stopPrank();
        _tryCommit(backerA, raiseId, _signDigest(KEY_A, other.termsDigest(raiseId, backerA)), refused);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(KEY_A, digest);
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        _tryCommit(backerA, raiseId, abi.encodePacked(r, highS, v == 27 ? uint8(28) : uint8(27)), refused);
        _tryCommit(backerA, raiseId, abi.encodePacked(r, s), refused); // truncated
        assertEq(raises.raiseState(raiseId).committed, 0, "nothing committed");
        assertEq(address(raises).balance, 0, "nothing taken");
        _tryCommit(backerA, raiseId, abi.encodePacked(r, s, v), ""); // the real one
        assertEq(raises.backing(raiseId, backerA).fractions, 1, "accepted");
    }

    function test_erc1271_walletSignsItsOwnTermsOnly_andNonSignersAreRefused() public {
        IRaises.RaiseTerms memory t = _terms(address(0), PRICE, 1, 10);
        uint256 raiseId = _openNow(t);
        uint256 second = _open(t);
        hostile.configure(second, ReentrantBacker.Hook.None, ReentrantBacker.Action.None, 0, 0); // signs `second`
        vm.deal(address(this), PRICE);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesTermsNotAccepted.selector, raiseId, address(hostile)));
        hostile.commitTo{value: PRICE}(raiseId, 1); // its wallet approves the other raise's digest only
        hostile.configure(raiseId, ReentrantBacker.Hook.None, ReentrantBacker.Action.None, 0, 0);
        hostile.commit{value: PRICE}(1, 0);
        assertTrue(raises.backing(raiseId, address(hostile)).acceptedTerms, "an ERC-1271 wallet that accepts signs");
        // A contract without ERC-1271 (the treasury's timelock) cannot accept terms.
        vm.deal(address(timelock), PRICE);
        vm.expectRevert(abi.encodeWithSelector(IRaises.RaisesTermsNotAccepted.selector, raiseId, address(timelock)));
        vm.prank(address(timelock));
        raises.commit{value: PRICE}(raiseId, 1, 0, new bytes32[](0), "");
    }

    function test_allowlist_refusesAnAccountNotListed_evenWithAListedProof() public {
        bytes32 leafA = keccak256(bytes.concat(keccak256(abi.encode(backerA))));
        bytes32 leafB = keccak256(bytes.concat(keccak256(abi.encode(backerB))));
        IRaises.RaiseTerms memory t = _terms(address(0), PRICE, 1, 10);
        t.allowlistRoot = leafA < leafB ? keccak256(abi.encode(leafA, leafB)) : keccak256(abi.encode(leafB, leafA));
        uint256 raiseId = _openNow(t);
        bytes32[] memory proofA = new bytes32[](1);
        proofA[0] = leafB;
        bytes memory notAllowed = abi.encodeWithSelector(IRaises.RaisesNotAllowed.selector, raiseId, backerC);
        _tryCommitWithProof(backerC, raiseId, proofA, _sign(KEY_C, raiseId), notAllowed);
        _tryCommitWithProof(backerC, raiseId, new bytes32[](0), _sign(KEY_C, raiseId), notAllowed);
        assertEq(address(raises).balance, 0, "nothing taken");
        _commitWithProof(KEY_A, raiseId, 1, 0, proofA);
        assertEq(raises.backing(raiseId, backerA).fractions, 1, "the listed backer is in");
    }
}
