// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";

/**
 * @dev Finding 4 of the adversarial review: the clone salt was only the model id, so whoever registered first took
 * the id, and with it the treasury address someone had predicted and funded in advance. On the code before the fix
 * the front-runner's model got the funded treasury; now addresses are salted by (registrant, its count).
 */
contract ModelRegistrySaltTest is ProtocolFixture {
    address internal constant CONSORTIUM = address(0xC0);
    address internal constant FRONT_RUNNER = address(0xF2);

    function setUp() public {
        _deployProtocol();
    }

    function test_predictedTreasury_cannotBeTakenByRegisteringFirst() public {
        (, , address governor, address treasury) = registry.predictAddresses(CONSORTIUM);
        vm.deal(treasury, 5 ether); // a grant paid to the treasury before the model exists
        vm.prank(FRONT_RUNNER);
        (uint256 stolenId, IModelRegistry.ModelRecord memory theirs) = registry.registerModel(
            _registration(_pair(FRONT_RUNNER, FRONT_RUNNER))
        );
        assertTrue(theirs.timelock != treasury, "the front-runner's model has a treasury of its own");
        vm.prank(CONSORTIUM);
        (uint256 id, IModelRegistry.ModelRecord memory ours) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        assertTrue(id == stolenId + 1, "the id moved on, the addresses did not");
        assertEq(ours.timelock, treasury, "the consortium gets the treasury it predicted");
        assertEq(ours.governor, governor, "and the governor");
        assertEq(ours.timelock.balance, 5 ether, "with its grant");
    }

    function test_eachRegistrationOfOneRegistrant_getsNewAddresses() public {
        (, , , address first) = registry.predictAddresses(CONSORTIUM);
        vm.prank(CONSORTIUM);
        (, IModelRegistry.ModelRecord memory a) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        (, , , address second) = registry.predictAddresses(CONSORTIUM);
        vm.prank(CONSORTIUM);
        (, IModelRegistry.ModelRecord memory b) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        assertEq(a.timelock, first, "first as predicted");
        assertEq(b.timelock, second, "second as predicted");
        assertTrue(first != second, "distinct");
        assertEq(registry.registrationsOf(CONSORTIUM), 2, "counted");
    }
}
