// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

import {IUsageMeter} from "../../contracts/interfaces/IUsageMeter.sol";
import {UsageMeter} from "../../contracts/usage/UsageMeter.sol";
import {ILicenseManager} from "../../contracts/interfaces/ILicenseManager.sol";
import {IModelGovernor} from "../../contracts/interfaces/IModelGovernor.sol";
import {IModelRegistry} from "../../contracts/interfaces/IModelRegistry.sol";
import {IRevenueSink} from "../../contracts/interfaces/IRevenueSink.sol";
import {IRevenueVault} from "../../contracts/interfaces/IRevenueVault.sol";
import {LicenseManager} from "../../contracts/licensing/LicenseManager.sol";
import {RevenueVault} from "../../contracts/revenue/RevenueVault.sol";
import {IModelShares} from "../../contracts/interfaces/IModelShares.sol";
import {ProtocolFixture} from "./utils/ProtocolFixture.sol";

/// @dev Every privileged function of every contract reverts for any caller other than its authority (fuzzed).
contract AuthoritiesTest is ProtocolFixture {
    function setUp() public {
        _deployProtocol();
    }

    function _assumeStranger(address caller) internal view {
        vm.assume(caller != address(this) && caller != address(timelock) && caller != address(governor));
        vm.assume(caller != address(registry) && caller != address(shares));
    }

    // --- protocol admin ---------------------------------------------------------------------------------------

    function testFuzz_protocolAdminFunctions_revertForStrangers(address caller) public {
        _assumeStranger(caller);
        bytes memory unauthorized = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector,
            caller,
            bytes32(0)
        );
        bytes32 creatorRole = shares.MODEL_CREATOR_ROLE(); // read before expectRevert: a view call would consume it
        vm.startPrank(caller);
        vm.expectRevert(unauthorized);
        registry.setImplementations(address(governorImpl), address(timelockImpl));
        vm.expectRevert(unauthorized);
        registry.upgradeToAndCall(address(governorImpl), "");
        vm.expectRevert(unauthorized);
        shares.setVotesImplementation(address(votesImpl));
        vm.expectRevert(unauthorized);
        shares.upgradeToAndCall(address(votesImpl), "");
        vm.expectRevert(unauthorized);
        shares.grantRole(creatorRole, caller);
        vm.stopPrank();
    }

    function testFuzz_createModel_onlyRegistry(address caller) public {
        vm.assume(caller != address(registry));
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                caller,
                shares.MODEL_CREATOR_ROLE()
            )
        );
        vm.prank(caller);
        shares.createModel(caller, "n", "s", "", new address[](0), new uint256[](0));
    }

    // --- the model's timelock ---------------------------------------------------------------------------------

    function testFuzz_modelSettings_onlyItsTimelock(address caller) public {
        _assumeStranger(caller);
        vm.startPrank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IModelRegistry.ModelRegistryUnauthorizedTimelock.selector, caller, modelId)
        );
        registry.setContentHash(modelId, bytes32(uint256(1)));
        bytes memory notTreasury = abi.encodeWithSelector(
            IModelShares.ModelSharesUnauthorizedTreasury.selector,
            caller,
            modelId
        );
        vm.expectRevert(notTreasury);
        shares.mint(caller, modelId, 1, "");
        vm.expectRevert(notTreasury);
        shares.setURI(modelId, "x");
        vm.expectRevert(notTreasury);
        shares.setRoyalty(modelId, caller, 1);
        vm.stopPrank();
    }

    // --- the governor: only through governance (its timelock executes) ------------------------------------------

    function testFuzz_governorSettings_onlyGovernance(address caller) public {
        _assumeStranger(caller);
        bytes memory onlyExecutor = abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, caller);
        vm.startPrank(caller);
        vm.expectRevert(onlyExecutor);
        governor.setVotingDelay(0);
        vm.expectRevert(onlyExecutor);
        governor.setVotingPeriod(1 days);
        vm.expectRevert(onlyExecutor);
        governor.setProposalThreshold(0);
        vm.expectRevert(onlyExecutor);
        governor.updateQuorumNumerator(50);
        vm.expectRevert(onlyExecutor);
        governor.setLateQuorumVoteExtension(0);
        vm.expectRevert(onlyExecutor);
        governor.setProposalGuardian(caller);
        // Nobody, not even the DAO, can replace the timelock (ModelShares fixes each model's treasury).
        vm.expectRevert(IModelGovernor.ModelGovernorTimelockFixed.selector);
        governor.updateTimelock(timelock);
        vm.expectRevert(onlyExecutor);
        governor.relay(caller, 0, "");
        vm.stopPrank();
    }

    // --- the timelock: the governor proposes, cancels and executes; only itself administers --------------------

    function testFuzz_timelockRoles_onlyGovernorOrSelf(address caller) public {
        _assumeStranger(caller);
        bytes32 proposerRole = timelock.PROPOSER_ROLE(); // read before expectRevert: a view call would consume it
        vm.startPrank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, proposerRole)
        );
        timelock.schedule(caller, 0, "", bytes32(0), bytes32(0), 2 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                caller,
                timelock.CANCELLER_ROLE()
            )
        );
        timelock.cancel(bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                caller,
                timelock.EXECUTOR_ROLE()
            )
        );
        timelock.execute(caller, 0, "", bytes32(0), bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, caller));
        timelock.updateDelay(1 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                caller,
                timelock.DEFAULT_ADMIN_ROLE()
            )
        );
        timelock.grantRole(proposerRole, caller);
        vm.stopPrank();
    }

    // --- revenue vault and licences: the model's timelock, ModelShares, the operator, the protocol admin ---------

    function testFuzz_vaultAndLicenceSettings_onlyItsTimelock(address caller) public {
        _assumeStranger(caller);
        vm.startPrank(caller);
        bytes memory vaultErr = abi.encodeWithSelector(
            IRevenueVault.RevenueVaultUnauthorizedTimelock.selector,
            caller,
            modelId
        );
        vm.expectRevert(vaultErr);
        vault.setSplit(modelId, 0, 0);
        vm.expectRevert(vaultErr);
        vault.setContributors(modelId, new address[](0), new uint256[](0));
        vm.expectRevert(vaultErr);
        vault.setPaymentToken(modelId, address(0), true);
        vm.expectRevert(vaultErr);
        vault.setUnlockWindow(modelId, 1 days);
        vm.expectRevert(vaultErr);
        vault.recoverToken(modelId, address(1));
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.RevenueVaultUnauthorizedShares.selector, caller));
        vault.beforeSharesMoved(modelId, caller, caller, 1);
        bytes memory licenceErr = abi.encodeWithSelector(
            ILicenseManager.LicenseManagerUnauthorizedTimelock.selector,
            caller,
            modelId
        );
        ILicenseManager.OfferTerms memory t;
        vm.expectRevert(licenceErr);
        licenses.addOffer(modelId, t);
        vm.expectRevert(licenceErr);
        licenses.updateOffer(modelId, 1, t);
        vm.expectRevert(licenceErr);
        licenses.setOnSale(modelId, 1, true);
        vm.expectRevert(abi.encodeWithSelector(IUsageMeter.UsageMeterUnauthorizedTimelock.selector, caller, modelId));
        meter.setOperator(modelId, caller);
        vm.expectRevert(abi.encodeWithSelector(ILicenseManager.LicenseManagerNotUsageMeter.selector, caller));
        licenses.spendCredits(1, 1, caller);
        vm.expectRevert(licenceErr);
        licenses.setLicenceRoyalty(modelId, 1);
        vm.stopPrank();
    }

    function testFuzz_vaultAndLicences_protocolAdminOnly(address caller) public {
        _assumeStranger(caller);
        bytes memory unauthorized = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector,
            caller,
            bytes32(0)
        );
        vm.startPrank(caller);
        vm.expectRevert(unauthorized);
        vault.upgradeToAndCall(address(votesImpl), "");
        vm.expectRevert(unauthorized);
        licenses.upgradeToAndCall(address(votesImpl), "");
        vm.expectRevert(unauthorized);
        licenses.setRevenueSink(IRevenueSink(caller));
        vm.expectRevert(unauthorized);
        licenses.setUsageMeter(caller);
        vm.expectRevert(unauthorized);
        meter.upgradeToAndCall(address(votesImpl), "");
        vm.stopPrank();
    }

    function test_vaultAndLicences_cannotBeReinitialised() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vault.initialize(ALICE);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        licenses.initialize(ALICE, IModelShares(address(shares)), IRevenueSink(ALICE));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        meter.initialize(ALICE, ILicenseManager(ALICE), IModelShares(ALICE));
        // deployed first: a creation would consume expectRevert
        RevenueVault vaultImpl = new RevenueVault(IModelShares(address(shares)));
        LicenseManager licensesImpl = new LicenseManager();
        UsageMeter meterImpl = new UsageMeter();
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        meterImpl.initialize(ALICE, ILicenseManager(ALICE), IModelShares(ALICE));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vaultImpl.initialize(ALICE);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        licensesImpl.initialize(ALICE, IModelShares(address(shares)), IRevenueSink(ALICE));
    }

    function test_registryKeepsNoRoleInTheModel() public view {
        address r = address(registry);
        assertTrue(!timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), r), "admin");
        assertTrue(!timelock.hasRole(timelock.PROPOSER_ROLE(), r), "proposer");
        assertTrue(!timelock.hasRole(timelock.CANCELLER_ROLE(), r), "canceller");
        assertTrue(!timelock.hasRole(timelock.EXECUTOR_ROLE(), r), "executor");
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)), "self-administered");
    }
}
