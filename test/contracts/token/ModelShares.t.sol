// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IModelShares} from "../../../contracts/interfaces/IModelShares.sol";
import {ModelShares} from "../../../contracts/token/ModelShares.sol";
import {ModelVotes} from "../../../contracts/token/ModelVotes.sol";
import {SharesFixture} from "../utils/SharesFixture.sol";

contract ModelSharesTest is SharesFixture {
    address internal constant TREASURY = address(0x7EA5);
    uint256 internal modelId;
    ModelVotes internal votes;

    function setUp() public {
        _deployShares();
        (modelId, votes) = _createModel(TREASURY, _pair(ALICE, BOB), 100);
    }

    // --- creation ---------------------------------------------------------------------------------------------

    function test_createModel_recordsModelAndMintsInitialFractions() public view {
        assertEq(modelId, 1, "first id");
        assertEq(shares.modelCount(), 1, "count");
        assertEq(shares.votesOf(modelId), address(votes), "votes");
        assertEq(shares.treasuryOf(modelId), TREASURY, "treasury");
        assertEq(shares.uri(modelId), "ipfs://model", "uri");
        assertEq(shares.balanceOf(ALICE, modelId), 100, "alice");
        assertEq(shares.totalSupply(modelId), 200, "supply");
        assertEq(shares.totalSupply(), 200, "supply overall");
        assertEq(votes.getVotes(ALICE), 100, "alice self-delegated on first receipt");
        assertEq(votes.delegates(ALICE), ALICE, "alice delegate");
        assertEq(votes.modelId(), modelId, "votes model id");
        assertEq(votes.shares(), address(shares), "votes shares");
        assertEq(votes.treasury(), TREASURY, "votes treasury");
    }

    function test_createModel_votesAtPredictedAddress() public {
        address predicted = shares.predictVotesAddress(2, TREASURY);
        (, ModelVotes second) = _createModel(TREASURY, _pair(ALICE, BOB), 1);
        assertEq(address(second), predicted, "prediction");
    }

    function test_createModel_revertsForCallerWithoutRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                ALICE,
                shares.MODEL_CREATOR_ROLE()
            )
        );
        vm.prank(ALICE);
        shares.createModel(TREASURY, "n", "s", "", new address[](0), new uint256[](0));
    }

    function test_createModel_revertsOnZeroTreasury() public {
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesInvalidTreasury.selector, address(0)));
        shares.createModel(address(0), "n", "s", "", new address[](0), new uint256[](0));
    }

    function test_createModel_revertsOnLengthMismatch() public {
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesInvalidArrayLength.selector, 2, 1));
        shares.createModel(TREASURY, "n", "s", "", _pair(ALICE, BOB), new uint256[](1));
        assertEq(shares.modelCount(), 1, "nothing created");
    }

    // --- issuance, metadata, royalty: the model's treasury only ------------------------------------------------

    function test_mint_byTreasuryIssuesNewFractions() public {
        vm.prank(TREASURY);
        shares.mint(CAROL, modelId, 50, "");
        assertEq(shares.balanceOf(CAROL, modelId), 50, "carol");
        assertEq(votes.getVotes(CAROL), 50, "carol votes");
    }

    function testFuzz_mint_revertsForAnyoneButTreasury(address caller) public {
        vm.assume(caller != TREASURY);
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesUnauthorizedTreasury.selector, caller, modelId));
        vm.prank(caller);
        shares.mint(caller, modelId, 1, "");
    }

    function test_mint_revertsForUnknownModel() public {
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesUnknownModel.selector, 7));
        vm.prank(TREASURY);
        shares.mint(CAROL, 7, 1, "");
    }

    function test_mint_revertsPastVotableSupply() public {
        uint256 max = shares.MAX_SUPPLY_PER_MODEL();
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesSupplyOverflow.selector, modelId, max + 1, max));
        vm.prank(TREASURY);
        shares.mint(CAROL, modelId, max - 199, "");
    }

    function test_setURI_byTreasury() public {
        vm.prank(TREASURY);
        shares.setURI(modelId, "ipfs://v2");
        assertEq(shares.uri(modelId), "ipfs://v2", "uri");
    }

    function testFuzz_setURI_revertsForAnyoneButTreasury(address caller) public {
        vm.assume(caller != TREASURY);
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesUnauthorizedTreasury.selector, caller, modelId));
        vm.prank(caller);
        shares.setURI(modelId, "ipfs://evil");
    }

    function test_setRoyalty_setsAndRemovesErc2981Info() public {
        vm.prank(TREASURY);
        shares.setRoyalty(modelId, TREASURY, 500);
        (address receiver, uint256 amount) = shares.royaltyInfo(modelId, 10_000);
        assertEq(receiver, TREASURY, "receiver");
        assertEq(amount, 500, "5%");
        vm.prank(TREASURY);
        shares.setRoyalty(modelId, address(0), 0);
        (receiver, amount) = shares.royaltyInfo(modelId, 10_000);
        assertEq(receiver, address(0), "removed");
        assertEq(amount, 0, "removed amount");
    }

    function testFuzz_setRoyalty_revertsForAnyoneButTreasury(address caller) public {
        vm.assume(caller != TREASURY);
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesUnauthorizedTreasury.selector, caller, modelId));
        vm.prank(caller);
        shares.setRoyalty(modelId, caller, 1000);
    }

    function test_supportsInterface_erc1155AndErc2981() public view {
        assertTrue(shares.supportsInterface(0xd9b67a26), "ERC-1155");
        assertTrue(shares.supportsInterface(0x0e89341c), "ERC-1155 metadata");
        assertTrue(shares.supportsInterface(0x2a55205a), "ERC-2981");
    }

    // --- burn -------------------------------------------------------------------------------------------------

    function test_burn_holderBurnsOwnFractionsAndVotes() public {
        vm.warp(block.timestamp + 1);
        vm.prank(ALICE);
        shares.burn(ALICE, modelId, 40);
        assertEq(shares.totalSupply(modelId), 160, "supply");
        assertEq(votes.getVotes(ALICE), 60, "votes");
        vm.warp(block.timestamp + 1);
        assertEq(votes.getPastTotalSupply(block.timestamp - 1), 160, "votable supply");
    }

    function test_burn_revertsForOthersFractions() public {
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, BOB, ALICE));
        vm.prank(BOB);
        shares.burn(ALICE, modelId, 1);
    }

    // --- the votes hook -------------------------------------------------------------------------------------

    function testFuzz_safeTransferFrom_movesVotesExactly(uint256 amount) public {
        amount = bound(amount, 0, 100);
        vm.prank(ALICE);
        shares.safeTransferFrom(ALICE, CAROL, modelId, amount, "");
        assertEq(votes.getVotes(ALICE), 100 - amount, "alice");
        assertEq(votes.getVotes(CAROL), amount, "carol");
        assertEq(votes.getVotes(BOB), 100, "bob untouched");
        assertEq(votes.balanceOf(CAROL), amount, "mirror balance");
    }

    function testFuzz_safeBatchTransferFrom_repeatedIdsMoveVotesExactly(uint256 a, uint256 b, uint256 c) public {
        (, ModelVotes other) = _createModel(TREASURY, _pair(ALICE, BOB), 100);
        a = bound(a, 0, 60);
        b = bound(b, 0, 40);
        c = bound(c, 0, 100);
        uint256[] memory ids = new uint256[](3);
        uint256[] memory values = new uint256[](3);
        (ids[0], ids[1], ids[2]) = (modelId, modelId, 2);
        (values[0], values[1], values[2]) = (a, b, c);
        vm.prank(ALICE);
        shares.safeBatchTransferFrom(ALICE, CAROL, ids, values, "");
        assertEq(votes.getVotes(ALICE), 100 - a - b, "alice model 1");
        assertEq(votes.getVotes(CAROL), a + b, "carol model 1");
        assertEq(other.getVotes(ALICE), 100 - c, "alice model 2");
        assertEq(other.getVotes(CAROL), c, "carol model 2");
    }

    function testFuzz_votesNeverCrossModels(uint256 amount, uint256 mintB) public {
        (uint256 modelB, ModelVotes votesB) = _createModel(TREASURY, _pair(CAROL, DAVE), 10);
        amount = bound(amount, 1, 100);
        mintB = bound(mintB, 1, 1e30);
        vm.prank(ALICE);
        shares.safeTransferFrom(ALICE, BOB, modelId, amount, "");
        vm.prank(TREASURY);
        shares.mint(ALICE, modelB, mintB, "");
        assertEq(votes.getVotes(BOB), 100 + amount, "bob in A");
        assertEq(votesB.getVotes(BOB), 0, "bob in B");
        assertEq(votes.getVotes(ALICE), 100 - amount, "alice in A ignores B");
        assertEq(votesB.getVotes(ALICE), mintB, "alice in B ignores A");
        assertEq(votes.getVotes(CAROL), 0, "carol in A");
    }

    function testFuzz_getPastVotes_neverSeesFractionsAcquiredAtT(uint256 amount, uint32 dt) public {
        amount = bound(amount, 1, 100);
        vm.warp(block.timestamp + bound(dt, 1, 365 days));
        uint256 t = block.timestamp;
        vm.prank(ALICE);
        shares.safeTransferFrom(ALICE, CAROL, modelId, amount, "");
        vm.warp(t + 1);
        assertEq(votes.getPastVotes(CAROL, t - 1), 0, "carol before t");
        assertEq(votes.getPastVotes(ALICE, t - 1), 100, "alice before t");
        assertEq(votes.getPastVotes(CAROL, t), amount, "carol at t");
    }

    function test_treasuryFractionsCarryNoVotes() public {
        vm.warp(block.timestamp + 1);
        vm.prank(TREASURY);
        shares.mint(TREASURY, modelId, 1000, "");
        vm.prank(ALICE);
        shares.safeTransferFrom(ALICE, TREASURY, modelId, 30, "");
        assertEq(votes.getVotes(TREASURY), 0, "treasury votes");
        assertEq(votes.delegates(TREASURY), address(0), "treasury never self-delegates");
        vm.warp(block.timestamp + 1);
        assertEq(votes.getPastTotalSupply(block.timestamp - 1), 170, "votable supply excludes treasury");
        assertEq(shares.totalSupply(modelId), 1200, "the id's supply counts the treasury's fractions");
        assertEq(votes.totalSupply(), 170, "the votes token's supply is the votable supply (what Tally sees)");
        assertEq(votes.balanceOf(TREASURY), 0, "the votes token shows the treasury as holding nothing");
        vm.prank(TREASURY);
        shares.safeTransferFrom(TREASURY, CAROL, modelId, 500, "");
        vm.warp(block.timestamp + 1);
        assertEq(votes.getPastTotalSupply(block.timestamp - 1), 670, "spent treasury fractions become votable");
        assertEq(votes.getVotes(CAROL), 500, "carol");
    }

    // --- upgrades and initialisation ---------------------------------------------------------------------------

    function test_initialize_revertsOnProxy() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        shares.initialize(ALICE, address(votesImpl));
    }

    function test_initialize_revertsOnLockedImplementation() public {
        ModelShares impl = new ModelShares();
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(ALICE, address(votesImpl));
    }

    function testFuzz_upgradeToAndCall_revertsForNonAdmin(address caller) public {
        vm.assume(caller != address(this));
        ModelShares next = new ModelShares();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, bytes32(0))
        );
        vm.prank(caller);
        shares.upgradeToAndCall(address(next), "");
    }

    function test_upgradeToAndCall_revertsOnImplementationDirectly() public {
        ModelShares impl = new ModelShares();
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        impl.upgradeToAndCall(address(impl), "");
    }

    function test_setVotesImplementation_adminOnlyAndMustBeContract() public {
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesInvalidVotesImplementation.selector, ALICE));
        shares.setVotesImplementation(ALICE);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ALICE, bytes32(0))
        );
        vm.prank(ALICE);
        shares.setVotesImplementation(address(votesImpl));
    }
}
