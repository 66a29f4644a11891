// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReentrantERC1155Receiver} from "../../../contracts/mocks/ReentrantERC1155Receiver.sol";
import {ModelVotes} from "../../../contracts/token/ModelVotes.sol";
import {SharesFixture} from "../utils/SharesFixture.sol";

/// @dev Receiver hooks that re-enter ModelShares see votes already moved and leave everything consistent.
contract ModelSharesReentrancyTest is SharesFixture {
    address internal constant TREASURY = address(0x7EA5);
    uint256 internal modelId;
    ModelVotes internal votes;
    ReentrantERC1155Receiver internal hostile;

    function setUp() public {
        _deployShares();
        (modelId, votes) = _createModel(TREASURY, _pair(ALICE, BOB), 100);
        hostile = new ReentrantERC1155Receiver(shares);
    }

    function test_onERC1155Received_seesVotesAlreadyMoved() public {
        vm.prank(ALICE);
        shares.safeTransferFrom(ALICE, address(hostile), modelId, 40, "");
        assertEq(hostile.seenBalance(), 40, "balance in hook");
        assertEq(hostile.seenVotes(), 40, "votes in hook equal balance");
        assertEq(hostile.seenVotableSupply(), 200, "votable supply in hook");
    }

    function test_onERC1155Received_reentrantForwardKeepsVotesConsistent() public {
        hostile.setForward(CAROL, 15);
        vm.prank(ALICE);
        shares.safeTransferFrom(ALICE, address(hostile), modelId, 40, "");
        assertEq(shares.balanceOf(address(hostile), modelId), 25, "hostile balance");
        assertEq(votes.getVotes(address(hostile)), 25, "hostile votes");
        assertEq(votes.getVotes(CAROL), 15, "carol votes");
        assertEq(votes.getVotes(ALICE), 60, "alice votes");
        assertEq(votes.votableSupply(), 200, "votable supply unchanged");
    }

    function test_onERC1155Received_reentrantForwardToTreasuryRemovesVotes() public {
        hostile.setForward(TREASURY, 10);
        vm.prank(ALICE);
        shares.safeTransferFrom(ALICE, address(hostile), modelId, 40, "");
        assertEq(votes.getVotes(address(hostile)), 30, "hostile votes");
        assertEq(votes.votableSupply(), 190, "treasury receipt leaves the votable supply");
    }

    function test_onERC1155BatchReceived_repeatedIdsSeenConsistently() public {
        hostile.setForward(CAROL, 5);
        uint256[] memory ids = new uint256[](2);
        uint256[] memory values = new uint256[](2);
        (ids[0], ids[1]) = (modelId, modelId);
        (values[0], values[1]) = (10, 20);
        vm.prank(ALICE);
        shares.safeBatchTransferFrom(ALICE, address(hostile), ids, values, "");
        assertEq(hostile.seenBalance(), 30, "whole batch applied before hook");
        assertEq(hostile.seenVotes(), 30, "votes of whole batch before hook");
        assertEq(votes.getVotes(address(hostile)), 25, "after forward");
        assertEq(votes.getVotes(CAROL), 5, "carol");
    }

    function test_mint_toReentrantReceiverDuringCreateModel() public {
        address[] memory holders = new address[](1);
        holders[0] = address(hostile);
        hostile.setForward(DAVE, 3);
        (, ModelVotes second) = _createModel(TREASURY, holders, 10);
        assertEq(second.getVotes(address(hostile)), 7, "hostile");
        assertEq(second.getVotes(DAVE), 3, "dave");
        assertEq(second.votableSupply(), 10, "supply");
    }
}
