// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

import {IModelLineage} from "../../../contracts/interfaces/IModelLineage.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IRevenueVault} from "../../../contracts/interfaces/IRevenueVault.sol";
import {ModelLineage} from "../../../contracts/lineage/ModelLineage.sol";
import {Vm} from "../utils/Test.sol";
import {LineageFixture} from "./LineageFixture.sol";

/**
 * @dev Registering derivatives that go through: one parent, two parents, three generations, the treasury as
 * registrant, a diamond, and the caps met exactly (four generations, eight routes, four parents, a 50% share).
 * Each checks the views, the licences marked used, and both events (the lineage's and the vault's).
 */
contract ModelLineageTest is LineageFixture {
    function setUp() public {
        _deployLineageFixture();
    }

    function test_oneParent_recordsLineageFloorAndEvents() public {
        uint256 parent = _newModel();
        uint256 licenceId = _derivativeLicence(parent, 2_000, 0.05 ether);
        uint256 child = _newModel();
        vm.recordLogs();
        _register(child, _ids(licenceId));
        Vm.Log[] memory logs = vm.getRecordedLogs();

        _assertParents(child, _ids(parent), _ids(licenceId), _ids(2_000));
        assertEq(lineage.childrenOf(parent).length, 1, "one child");
        assertEq(lineage.childrenOf(parent)[0], child, "the child");
        assertEq(lineage.childrenOf(child).length, 0, "the child has none");
        assertEq(lineage.parentsOf(parent).length, 0, "the parent is an original");
        _assertDepth(child, 1, 1);
        _assertDepth(parent, 0, 0);
        _assertFloor(child, ETH, 0.05 ether);
        _assertFloor(parent, ETH, 0);

        Vm.Log memory registered = _onlyLog(logs, address(lineage), IModelLineage.DerivativeRegistered.selector);
        assertEq(registered.topics[1], bytes32(child), "modelId topic");
        assertEq(registered.topics[2], bytes32(uint256(uint160(creator))), "registrant topic");
        assertEq(
            keccak256(registered.data),
            keccak256(abi.encode(_ids(parent), _ids(licenceId), _ids(2_000), ETH, 0.05 ether)),
            "parents, licences, shares, floor"
        );
        Vm.Log memory set = _onlyLog(logs, address(vault), IRevenueVault.ParentsSet.selector);
        assertEq(set.topics[1], bytes32(child), "vault: modelId topic");
        assertEq(keccak256(set.data), keccak256(abi.encode(_ids(parent), _ids(2_000))), "vault: parents and bps");
    }

    function test_twoParents_sharesAddAndHigherFloorWins() public {
        uint256 p1 = _newModel();
        uint256 p2 = _newModel();
        uint256 l1 = _derivativeLicence(p1, 2_000, 0.05 ether);
        uint256 l2 = _derivativeLicence(p2, 1_500, 0.08 ether);
        uint256 child = _newModel();
        vm.recordLogs();
        _register(child, _ids(l1, l2));
        Vm.Log[] memory logs = vm.getRecordedLogs();

        _assertParents(child, _ids(p1, p2), _ids(l1, l2), _ids(2_000, 1_500));
        assertEq(lineage.childrenOf(p1)[0], child, "child of p1");
        assertEq(lineage.childrenOf(p2)[0], child, "child of p2");
        _assertDepth(child, 1, 2);
        _assertFloor(child, ETH, 0.08 ether);
        Vm.Log memory registered = _onlyLog(logs, address(lineage), IModelLineage.DerivativeRegistered.selector);
        assertEq(
            keccak256(registered.data),
            keccak256(abi.encode(_ids(p1, p2), _ids(l1, l2), _ids(2_000, 1_500), ETH, 0.08 ether)),
            "event"
        );
        Vm.Log memory set = _onlyLog(logs, address(vault), IRevenueVault.ParentsSet.selector);
        assertEq(keccak256(set.data), keccak256(abi.encode(_ids(p1, p2), _ids(2_000, 1_500))), "vault event");
    }

    /// @dev G <- P <- C: the grandparent's floor (higher than P's licence asks) carries down to C.
    function test_threeGenerations_depthRoutesAndInheritedFloor() public {
        uint256 g = _newModel();
        uint256 lg = _derivativeLicence(g, 2_000, 0.2 ether);
        uint256 p = _newModel();
        _register(p, _ids(lg));
        _assertFloor(p, ETH, 0.2 ether);
        uint256 lp = _derivativeLicence(p, 1_000, 0.1 ether); // priced at P's floor, 0.2 ETH
        (uint256 termsId, , , ) = licenses.offer(p, 1);
        assertEq(licenses.terms(termsId).price, 0.2 ether, "P's own offer meets its floor");
        uint256 c = _newModel();
        _register(c, _ids(lp));

        _assertParents(c, _ids(p), _ids(lp), _ids(1_000));
        _assertParents(p, _ids(g), _ids(lg), _ids(2_000));
        assertEq(lineage.childrenOf(g).length, 1, "G has P only");
        assertEq(lineage.childrenOf(g)[0], p, "G's child");
        assertEq(lineage.childrenOf(p)[0], c, "P's child");
        _assertDepth(p, 1, 1);
        _assertDepth(c, 2, 2);
        _assertFloor(c, ETH, 0.2 ether);
    }

    function test_treasuryRegisters_withALicenceItHolds() public {
        uint256 parent = _newModel();
        uint256 offerId = _addOffer(parent, _derivativeTerms(ETH, LICENCE_PRICE, 1_000, 0));
        uint256 child = _newModel();
        address treasury = _treasury(child);
        vm.deal(treasury, 1 ether);
        uint256 licenceId = _buy(parent, offerId, treasury);
        vm.recordLogs();
        vm.prank(treasury);
        lineage.registerDerivative(child, _ids(licenceId));
        _assertParents(child, _ids(parent), _ids(licenceId), _ids(1_000));
        Vm.Log memory registered = _onlyLog(
            vm.getRecordedLogs(),
            address(lineage),
            IModelLineage.DerivativeRegistered.selector
        );
        assertEq(registered.topics[2], bytes32(uint256(uint160(treasury))), "the treasury registered it");
    }

    /// @dev The treasury registers by vote whoever holds the fractions (here the creator kept none).
    function test_treasuryRegisters_whateverTheHolders() public {
        uint256 parent = _newModel();
        uint256 offerId = _addOffer(parent, _derivativeTerms(ETH, LICENCE_PRICE, 1_000, 0));
        vm.prank(creator);
        (uint256 child, ) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        address treasury = _treasury(child);
        vm.deal(treasury, 1 ether);
        uint256 licenceId = _buy(parent, offerId, treasury);
        vm.prank(treasury);
        lineage.registerDerivative(child, _ids(licenceId));
        _assertParents(child, _ids(parent), _ids(licenceId), _ids(1_000));
    }

    /// @dev G <- P1, G <- P2, C <- (P1, P2): G is reached through two routes.
    function test_diamond_countsEachRoute() public {
        uint256 g = _newModel();
        (uint256 p1, ) = _childOf(g, 1_000);
        (uint256 p2, ) = _childOf(g, 1_000);
        uint256 l1 = _derivativeLicence(p1, 500, 0);
        uint256 l2 = _derivativeLicence(p2, 500, 0);
        uint256 c = _newModel();
        _register(c, _ids(l1, l2));
        _assertDepth(c, 2, 4);
        assertEq(lineage.childrenOf(g).length, 2, "G has two children");
    }

    /// @dev Four generations above a model: the most allowed.
    function test_fourGenerations_allowed() public {
        uint256 id = _newModel();
        for (uint256 generation = 1; generation <= 4; ++generation) (id, ) = _childOf(id, 100);
        _assertDepth(id, 4, 4);
    }

    /// @dev O1..O4 <- P1 (4 routes), O1, O2 <- P2 (2 routes); C <- (P1, P2) makes 5 + 3 = 8 routes: the most.
    function test_eightRoutes_fourParents_allowed() public {
        uint256[] memory originals = new uint256[](4);
        uint256[] memory licenceIds = new uint256[](4);
        for (uint256 i = 0; i < 4; ++i) {
            originals[i] = _newModel();
            licenceIds[i] = _derivativeLicence(originals[i], 1_000, 0);
        }
        uint256 p1 = _newModel();
        _register(p1, licenceIds); // four parents: the most
        _assertDepth(p1, 1, 4);
        uint256 p2 = _newModel();
        _register(p2, _ids(_derivativeLicence(originals[0], 1_000, 0), _derivativeLicence(originals[1], 1_000, 0)));
        uint256 c = _newModel();
        _register(c, _ids(_derivativeLicence(p1, 1_000, 0), _derivativeLicence(p2, 1_000, 0)));
        _assertDepth(c, 2, 8);
    }

    function test_shareExactlyAtCap_allowed() public {
        uint256 p1 = _newModel();
        uint256 p2 = _newModel();
        uint256 child = _newModel();
        _register(child, _ids(_derivativeLicence(p1, 3_000, 0), _derivativeLicence(p2, 2_000, 0)));
        assertEq(lineage.parentsOf(child).length, 2, "registered at 50%");
    }

    /// @dev A derivative licence of a free offer (its parent took no payment token) registers like any other.
    function test_freeDerivativeLicence_registers() public {
        uint256 parent = _newModel();
        uint256 licenceId = _buy(parent, _addOffer(parent, _derivativeTerms(ETH, 0, 500, 0)), creator);
        uint256 child = _newModel();
        _register(child, _ids(licenceId));
        _assertParents(child, _ids(parent), _ids(licenceId), _ids(500));
    }

    function test_contracts_andConstants() public view {
        (address reg, address lic, address v) = lineage.contracts();
        assertEq(reg, address(registry), "registry");
        assertEq(lic, address(licenses), "licences");
        assertEq(v, address(vault), "vault");
        assertEq(lineage.MAX_PARENTS(), 4, "max parents");
        assertEq(lineage.MAX_DEPTH(), 4, "max depth");
        assertEq(lineage.MAX_ROUTES(), 8, "max routes");
        assertEq(licenses.lineage(), address(lineage), "the licence manager reads this lineage's floors");
        assertTrue(vault.hasRole(vault.LINEAGE_ROLE(), address(lineage)), "the vault takes parents from it");
    }

    // --- upgrades and initialisation ------------------------------------------------------------------------

    function test_initialize_revertsOnImplementation() public {
        ModelLineage impl = new ModelLineage();
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(
            ALICE,
            IModelRegistry(address(registry)),
            ILicenseManager(address(licenses)),
            IRevenueVault(address(vault))
        );
    }

    function test_initialize_revertsOnProxy() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        lineage.initialize(
            ALICE,
            IModelRegistry(address(registry)),
            ILicenseManager(address(licenses)),
            IRevenueVault(address(vault))
        );
    }

    function testFuzz_upgradeToAndCall_revertsForNonAdmin(address caller) public {
        vm.assume(caller != address(this));
        ModelLineage next = new ModelLineage();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, bytes32(0))
        );
        vm.prank(caller);
        lineage.upgradeToAndCall(address(next), "");
    }

    function test_upgradeToAndCall_byAdmin_keepsTheLineage() public {
        (uint256 child, uint256 licenceId) = _childOf(_newModel(), 700);
        lineage.upgradeToAndCall(address(new ModelLineage()), "");
        assertEq(lineage.derivativeOf(licenceId), child, "state kept across the upgrade");
        assertEq(lineage.parentsOf(child)[0].shareBps, 700, "share kept");
    }

    function test_upgradeToAndCall_revertsOnImplementationDirectly() public {
        ModelLineage impl = new ModelLineage();
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        impl.upgradeToAndCall(address(impl), "");
    }
}
