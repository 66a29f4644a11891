// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IModelShares} from "../../../contracts/interfaces/IModelShares.sol";
import {ModelVotes} from "../../../contracts/token/ModelVotes.sol";
import {SharesFixture} from "../utils/SharesFixture.sol";
import {Vm} from "../utils/Test.sol";

/// @dev Minting grants: a treasury lets a minter (a raise) mint up to N fractions, and can never take that back.
contract ModelSharesGrantsTest is SharesFixture {
    address internal constant TREASURY = address(0x7EA5);
    address internal constant MINTER = address(0x4A15E);
    uint256 internal modelId;
    ModelVotes internal votes;

    function setUp() public {
        _deployShares();
        (modelId, votes) = _createModel(TREASURY, _pair(ALICE, BOB), 100);
    }

    function _grant(uint256 amount) internal {
        vm.prank(TREASURY);
        shares.grantMinting(modelId, MINTER, amount);
    }

    function test_grantMinting_onlyByTheModelsTreasury() public {
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesUnauthorizedTreasury.selector, ALICE, modelId));
        vm.prank(ALICE);
        shares.grantMinting(modelId, MINTER, 10);
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesUnauthorizedTreasury.selector, MINTER, modelId));
        vm.prank(MINTER); // not even the minter itself
        shares.grantMinting(modelId, MINTER, 10);
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesUnknownModel.selector, 2));
        vm.prank(TREASURY);
        shares.grantMinting(2, MINTER, 10);
        (uint256 other, ) = _createModel(CAROL, _pair(ALICE, BOB), 1);
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesUnauthorizedTreasury.selector, TREASURY, other));
        vm.prank(TREASURY); // a treasury governs its own model only
        shares.grantMinting(other, MINTER, 10);
        assertEq(shares.mintingGrant(modelId, MINTER), 0, "no grant");
        assertEq(shares.mintingGrant(other, MINTER), 0, "no grant on the other model");
    }

    function test_grantMinting_refusesZeroMinterOrAmount() public {
        vm.startPrank(TREASURY);
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesInvalidGrant.selector, address(0), 5));
        shares.grantMinting(modelId, address(0), 5);
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesInvalidGrant.selector, MINTER, 0));
        shares.grantMinting(modelId, MINTER, 0);
        vm.stopPrank();
    }

    function test_grantMinting_addsUp_andEmits() public {
        _grant(30);
        vm.recordLogs();
        _grant(12);
        assertEq(shares.mintingGrant(modelId, MINTER), 42, "added");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "one log");
        assertEq(logs[0].topics[0], keccak256("MintingGranted(uint256,address,uint256,uint256)"), "event");
        assertEq(uint256(logs[0].topics[1]), modelId, "model");
        assertEq(address(uint160(uint256(logs[0].topics[2]))), MINTER, "minter");
        (uint256 amount, uint256 granted) = abi.decode(logs[0].data, (uint256, uint256));
        assertEq(amount, 12, "amount");
        assertEq(granted, 42, "granted");
    }

    function test_mintGranted_mintsWithVotes_andShrinksTheGrant() public {
        _grant(50);
        vm.prank(MINTER);
        shares.mintGranted(CAROL, modelId, 20, "");
        assertEq(shares.balanceOf(CAROL, modelId), 20, "minted");
        assertEq(votes.getVotes(CAROL), 20, "votes");
        assertEq(shares.totalSupply(modelId), 220, "supply");
        assertEq(shares.mintingGrant(modelId, MINTER), 30, "left");
    }

    function test_mintGranted_beyondTheGrant_reverts() public {
        _grant(50);
        vm.expectRevert(
            abi.encodeWithSelector(IModelShares.ModelSharesMintingExceedsGrant.selector, modelId, MINTER, 51, 50)
        );
        vm.prank(MINTER);
        shares.mintGranted(CAROL, modelId, 51, "");
        vm.expectRevert(
            abi.encodeWithSelector(IModelShares.ModelSharesMintingExceedsGrant.selector, modelId, ALICE, 1, 0)
        );
        vm.prank(ALICE); // no grant at all
        shares.mintGranted(ALICE, modelId, 1, "");
        vm.expectRevert(
            abi.encodeWithSelector(IModelShares.ModelSharesMintingExceedsGrant.selector, modelId + 1, MINTER, 1, 0)
        );
        vm.prank(MINTER); // a grant is per model
        shares.mintGranted(CAROL, modelId + 1, 1, "");
        assertEq(shares.totalSupply(modelId), 200, "nothing minted");
        assertEq(shares.mintingGrant(modelId, MINTER), 50, "grant intact");
    }

    function test_renounceMinting_byTheMinter() public {
        _grant(50);
        vm.recordLogs();
        vm.prank(MINTER);
        shares.renounceMinting(modelId, 20);
        assertEq(shares.mintingGrant(modelId, MINTER), 30, "left");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs[0].topics[0], keccak256("MintingRenounced(uint256,address,uint256,uint256)"), "event");
        (uint256 amount, uint256 granted) = abi.decode(logs[0].data, (uint256, uint256));
        assertEq(amount, 20, "amount");
        assertEq(granted, 30, "granted");
        vm.expectRevert(
            abi.encodeWithSelector(IModelShares.ModelSharesMintingExceedsGrant.selector, modelId, MINTER, 31, 30)
        );
        vm.prank(MINTER);
        shares.renounceMinting(modelId, 31);
        vm.prank(MINTER);
        shares.renounceMinting(modelId, 30);
        assertEq(shares.mintingGrant(modelId, MINTER), 0, "all renounced");
    }

    function test_theTreasuryCannotReduceAGrant() public {
        _grant(50);
        // renounceMinting acts on the caller's own grant: the treasury has none to give up
        vm.expectRevert(
            abi.encodeWithSelector(IModelShares.ModelSharesMintingExceedsGrant.selector, modelId, TREASURY, 50, 0)
        );
        vm.prank(TREASURY);
        shares.renounceMinting(modelId, 50);
        // granting 0 to cancel, or granting on top, never lowers it
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesInvalidGrant.selector, MINTER, 0));
        vm.prank(TREASURY);
        shares.grantMinting(modelId, MINTER, 0);
        // the treasury minting directly does not touch the grant
        vm.prank(TREASURY);
        shares.mint(TREASURY, modelId, 10, "");
        assertEq(shares.mintingGrant(modelId, MINTER), 50, "grant intact");
        vm.prank(MINTER);
        shares.mintGranted(DAVE, modelId, 50, "");
        assertEq(shares.balanceOf(DAVE, modelId), 50, "the minter can still mint all of it");
    }
}
