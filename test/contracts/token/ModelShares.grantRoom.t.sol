// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IModelShares} from "../../../contracts/interfaces/IModelShares.sol";
import {RaisesFixture} from "../utils/RaisesFixture.sol";

/**
 * @dev Review finding: a treasury could withhold fractions owed to a raise's backers by minting the model's supply up
 * to `MAX_SUPPLY_PER_MODEL` into itself. Treasury fractions carry no votes and earn nothing, so the mint costs the
 * existing holders nothing, while every later `mintGranted` (each backer's claim) overflows the supply limit, after
 * the raise's money went to the treasury. Outstanding grants now keep their room under the limit.
 */
contract ModelSharesGrantRoomTest is RaisesFixture {
    function setUp() public {
        _deployRaises();
    }

    function test_treasuryCannotMintAwayTheRoomOfFractionsOwedToBackers() public {
        uint256 raiseId = _openNow(_terms(address(0), 0.01 ether, 10, 100));
        _commit(KEY_A, raiseId, 60, 0);
        _commit(KEY_B, raiseId, 40, 0);
        uint256 max = shares.MAX_SUPPLY_PER_MODEL();
        uint256 supply = shares.totalSupply(modelId);
        uint256 room = max - supply;

        // The attack: the existing holders vote the whole room into the treasury while the raise is open.
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesSupplyOverflow.selector, modelId, max + 1, max));
        vm.prank(address(timelock));
        shares.mint(address(timelock), modelId, room - 99, "");
        // A grant cannot be made beyond the room either.
        vm.expectRevert(abi.encodeWithSelector(IModelShares.ModelSharesSupplyOverflow.selector, modelId, max + 1, max));
        vm.prank(address(timelock));
        shares.grantMinting(modelId, address(this), room - 99);
        // Everything but the 100 fractions the raise may still mint stays the treasury's to mint.
        vm.prank(address(timelock));
        shares.mint(address(timelock), modelId, room - 100, "");

        _closeAndFinalize(raiseId);
        vm.prank(backerA);
        assertEq(raises.claimFractions(raiseId, backerA, backerA), 60, "A gets what it paid for");
        vm.prank(backerB);
        assertEq(raises.claimFractions(raiseId, backerB, backerB), 40, "B gets what it paid for");
        assertEq(shares.totalSupply(modelId), max, "the limit, exactly");
    }

    function test_renouncedRoomReturnsToTheTreasury() public {
        uint256 raiseId = _openNow(_terms(address(0), 0.01 ether, 10, 100));
        _commit(KEY_A, raiseId, 30, 0);
        _closeAndFinalize(raiseId); // 70 unsold: renounced
        uint256 room = shares.MAX_SUPPLY_PER_MODEL() - shares.totalSupply(modelId);
        vm.prank(address(timelock));
        shares.mint(address(timelock), modelId, room - 30, "");
        vm.prank(backerA);
        raises.claimFractions(raiseId, backerA, backerA);
        assertEq(shares.totalSupply(modelId), shares.MAX_SUPPLY_PER_MODEL(), "the limit, exactly");
    }
}
