// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {IModelVotes} from "../../../contracts/interfaces/IModelVotes.sol";
import {ModelVotes} from "../../../contracts/token/ModelVotes.sol";
import {SharesFixture} from "../utils/SharesFixture.sol";

contract ModelVotesTest is SharesFixture {
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegatee,uint256 nonce,uint256 expiry)"
    );
    address internal constant TREASURY = address(0x7EA5);

    uint256 internal holderKey = 0xB0B0B0;
    address internal holder;
    uint256 internal modelId;
    ModelVotes internal votes;
    ModelVotes internal otherVotes;

    function setUp() public {
        _deployShares();
        holder = vm.addr(holderKey);
        (modelId, votes) = _createModel(TREASURY, _pair(holder, BOB), 100);
        (, otherVotes) = _createModel(TREASURY, _pair(holder, BOB), 100);
    }

    function _digest(
        address verifyingContract,
        uint256 chainId,
        address delegatee,
        uint256 nonce,
        uint256 expiry
    ) internal pure returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("Model Votes"), keccak256("1"), chainId, verifyingContract)
        );
        bytes32 structHash = keccak256(abi.encode(DELEGATION_TYPEHASH, delegatee, nonce, expiry));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _sign(
        address verifyingContract,
        uint256 chainId,
        address delegatee,
        uint256 nonce,
        uint256 expiry
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        return vm.sign(holderKey, _digest(verifyingContract, chainId, delegatee, nonce, expiry));
    }

    // --- delegateBySig --------------------------------------------------------------------------------------

    function test_delegateBySig_movesVotesToDelegatee() public {
        uint256 expiry = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _sign(address(votes), block.chainid, CAROL, 0, expiry);
        vm.prank(ERIN); // anyone may relay
        votes.delegateBySig(CAROL, 0, expiry, v, r, s);
        assertEq(votes.delegates(holder), CAROL, "delegate");
        assertEq(votes.getVotes(CAROL), 100, "carol votes");
        assertEq(votes.getVotes(holder), 0, "holder votes");
        assertEq(votes.nonces(holder), 1, "nonce used");
    }

    function test_delegateBySig_revertsOnReplay() public {
        uint256 expiry = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _sign(address(votes), block.chainid, CAROL, 0, expiry);
        votes.delegateBySig(CAROL, 0, expiry, v, r, s);
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, holder, 1));
        votes.delegateBySig(CAROL, 0, expiry, v, r, s);
    }

    function test_delegateBySig_revertsOnWrongNonce() public {
        uint256 expiry = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _sign(address(votes), block.chainid, CAROL, 5, expiry);
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, holder, 0));
        votes.delegateBySig(CAROL, 5, expiry, v, r, s);
        assertEq(votes.delegates(holder), holder, "unchanged");
    }

    function test_delegateBySig_revertsWhenExpired() public {
        uint256 expiry = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = _sign(address(votes), block.chainid, CAROL, 0, expiry);
        vm.expectRevert(abi.encodeWithSelector(IVotes.VotesExpiredSignature.selector, expiry));
        votes.delegateBySig(CAROL, 0, expiry, v, r, s);
    }

    function test_delegateBySig_revertsForWrongChain() public {
        uint256 expiry = block.timestamp + 1 hours;
        bytes32 digest = _digest(address(votes), block.chainid + 1, CAROL, 0, expiry);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(holderKey, digest);
        address recovered = ecrecover(_digest(address(votes), block.chainid, CAROL, 0, expiry), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(IModelVotes.ModelVotesSignerHoldsNoFractions.selector, recovered));
        votes.delegateBySig(CAROL, 0, expiry, v, r, s);
        assertEq(votes.delegates(holder), holder, "unchanged");
        assertEq(votes.nonces(holder), 0, "nonce unused");
    }

    function test_delegateBySig_revertsForWrongContract() public {
        uint256 expiry = block.timestamp + 1 hours;
        // Signed for model 2's votes, submitted to model 1's.
        (uint8 v, bytes32 r, bytes32 s) = _sign(address(otherVotes), block.chainid, CAROL, 0, expiry);
        address recovered = ecrecover(_digest(address(votes), block.chainid, CAROL, 0, expiry), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(IModelVotes.ModelVotesSignerHoldsNoFractions.selector, recovered));
        votes.delegateBySig(CAROL, 0, expiry, v, r, s);
        assertEq(votes.delegates(holder), holder, "unchanged");
    }

    function test_delegateBySig_signatureForOneModelNeverActsInAnother() public {
        uint256 expiry = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _sign(address(votes), block.chainid, CAROL, 0, expiry);
        votes.delegateBySig(CAROL, 0, expiry, v, r, s);
        assertEq(otherVotes.delegates(holder), holder, "other model untouched");
        assertEq(otherVotes.getVotes(CAROL), 0, "no votes in other model");
    }

    // --- delegation rules -----------------------------------------------------------------------------------

    function test_delegate_explicitOptOutIsRespectedOnLaterReceipts() public {
        vm.prank(BOB);
        votes.delegate(address(0));
        assertEq(votes.getVotes(BOB), 0, "opted out");
        vm.prank(holder);
        shares.safeTransferFrom(holder, BOB, modelId, 10, "");
        assertEq(votes.delegates(BOB), address(0), "no auto self-delegation after opt-out");
        assertEq(votes.getVotes(BOB), 0, "still no votes");
        assertTrue(votes.hasChosenDelegate(BOB), "chosen");
        vm.prank(BOB);
        votes.delegate(BOB);
        assertEq(votes.getVotes(BOB), 110, "opt back in");
    }

    function test_delegate_toOtherMovesFutureReceiptsToo() public {
        vm.prank(BOB);
        votes.delegate(CAROL);
        vm.prank(holder);
        shares.safeTransferFrom(holder, BOB, modelId, 25, "");
        assertEq(votes.getVotes(CAROL), 125, "delegate receives");
        assertEq(votes.getVotes(BOB), 0, "bob");
    }

    function test_getPastVotes_revertsForFutureLookup() public {
        vm.expectRevert(
            abi.encodeWithSelector(IModelVotes.ERC5805FutureLookup.selector, block.timestamp, uint48(block.timestamp))
        );
        votes.getPastVotes(holder, block.timestamp);
    }

    function test_clock_isTimestamp() public view {
        assertEq(votes.clock(), block.timestamp, "clock");
        assertEq(votes.CLOCK_MODE(), "mode=timestamp", "mode");
        assertEq(votes.decimals(), 0, "decimals");
        assertEq(votes.name(), "Model Votes", "name");
        assertEq(votes.symbol(), "MV", "symbol");
    }

    // --- not an ERC-20 transfer path ---------------------------------------------------------------------

    function test_transfer_reverts() public {
        vm.expectRevert(IModelVotes.ModelVotesNonTransferable.selector);
        vm.prank(holder);
        votes.transfer(BOB, 1);
        vm.expectRevert(IModelVotes.ModelVotesNonTransferable.selector);
        votes.transferFrom(holder, BOB, 1);
        vm.expectRevert(IModelVotes.ModelVotesNonTransferable.selector);
        votes.approve(BOB, 1);
        assertEq(votes.allowance(holder, BOB), 0, "allowance");
    }

    function testFuzz_onSharesMoved_revertsForAnyoneButShares(address caller) public {
        vm.assume(caller != address(shares));
        vm.expectRevert(abi.encodeWithSelector(IModelVotes.ModelVotesUnauthorizedShares.selector, caller));
        vm.prank(caller);
        votes.onSharesMoved(address(0), caller, 1e18);
    }

    // --- locked clone and implementation -------------------------------------------------------------------

    function test_initialize_revertsOnClone() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vm.prank(address(shares));
        votes.initialize("again", "AGAIN");
    }

    function test_implementation_isLockedAndHoldsNoModel() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        votesImpl.initialize("x", "x");
        vm.expectRevert(IModelVotes.ModelVotesNotAClone.selector);
        votesImpl.onSharesMoved(address(0), ALICE, 1);
        vm.expectRevert(IModelVotes.ModelVotesNotAClone.selector);
        votesImpl.balanceOf(ALICE);
    }
}
