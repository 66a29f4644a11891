// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IModelLineage} from "../../../contracts/interfaces/IModelLineage.sol";
import {IRevenueVault} from "../../../contracts/interfaces/IRevenueVault.sol";
import {IUsageMeter} from "../../../contracts/interfaces/IUsageMeter.sol";
import {LineageFixture} from "./LineageFixture.sol";

/**
 * @dev Every registration that must fail, each with its exact error and arguments, and each leaving nothing behind:
 * no parents recorded, no licence marked used, no parent listing the model, and the vault still crediting a
 * payment into the model whole. Also who may name parents to the vault.
 */
contract ModelLineageHostileTest is LineageFixture {
    address internal constant OPERATOR = address(0x0BE7);

    uint256 internal parent;
    uint256 internal licenceId;
    uint256 internal child;

    function setUp() public {
        _deployLineageFixture();
        parent = _newModel();
        licenceId = _derivativeLicence(parent, 2_000, 0);
        child = _newModel();
    }

    // --- cycles -----------------------------------------------------------------------------------------------

    /// @dev A model's own licence can only exist once it publishes an offer, so naming itself as a parent fails
    /// as not new before the cycle check (`ModelLineageCycle` is a second line that this path cannot reach).
    function test_selfParent_refused() public {
        uint256 own = _buy(child, _addOffer(child, _derivativeTerms(ETH, 0, 1_000, 0)), creator);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageNotNew.selector, child, 1, false));
        _register(child, _ids(own));
        _assertNothingMoved(child, _ids(own), _ids(child));
    }

    /// @dev A <- B registered; A naming B as its parent would close a cycle: A has a child, so A's parents are fixed.
    function test_closingACycle_refusedAsHasChildren() public {
        _register(child, _ids(licenceId)); // parent <- child
        uint256 back = _derivativeLicence(child, 1_000, 0);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageHasChildren.selector, parent, 1));
        _register(parent, _ids(back));
        _assertNothingMoved(parent, _ids(back), _ids(child));
        assertEq(lineage.childrenOf(child).length, 0, "child has no child");
    }

    // --- the licences -----------------------------------------------------------------------------------------

    function test_unknownLicence_refused() public {
        vm.expectRevert(abi.encodeWithSelector(ILicenseManager.LicenseManagerUnknownLicence.selector, 999));
        _register(child, _ids(999));
        _assertNothingMoved(child, _ids(999), _ids(parent));
    }

    function test_licenceHeldBySomeoneElse_refused() public {
        uint256 alices = _buy(parent, 1, ALICE);
        vm.expectRevert(
            abi.encodeWithSelector(IModelLineage.ModelLineageNotLicenceHolder.selector, creator, alices, ALICE)
        );
        _register(child, _ids(alices));
        _assertNothingMoved(child, _ids(alices), _ids(parent));
    }

    /// @dev A second licence that is not the caller's spoils the whole registration, the good first one included.
    function test_oneForeignLicenceAmongTwo_refusesAll() public {
        uint256 other = _newModel();
        uint256 alices = _buy(other, _addOffer(other, _derivativeTerms(ETH, LICENCE_PRICE, 1_000, 0)), ALICE);
        vm.expectRevert(
            abi.encodeWithSelector(IModelLineage.ModelLineageNotLicenceHolder.selector, creator, alices, ALICE)
        );
        _register(child, _ids(licenceId, alices));
        _assertNothingMoved(child, _ids(licenceId, alices), _ids(parent, other));
    }

    function test_expiredLicence_refused() public {
        ILicenseManager.OfferTerms memory t = _derivativeTerms(ETH, LICENCE_PRICE, 1_000, 0);
        t.duration = 1 days;
        uint256 timed = _buy(parent, _addOffer(parent, t), creator);
        vm.warp(block.timestamp + 1 days);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageLicenceNotLive.selector, timed));
        _register(child, _ids(timed));
        _assertNothingMoved(child, _ids(timed), _ids(parent));
    }

    /// @dev A metered licence whose credits the meter spent to zero (the creator signed a receipt for all 10).
    function test_meteredLicenceWithNoCreditsLeft_refused() public {
        ILicenseManager.OfferTerms memory t = _derivativeTerms(ETH, LICENCE_PRICE, 1_000, 0);
        t.credits = 10;
        uint256 metered = _buy(parent, _addOffer(parent, t), creator);
        vm.prank(_treasury(parent));
        meter.setOperator(parent, OPERATOR);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(CREATOR_KEY, meter.receiptDigest(metered, 10, deadline));
        IUsageMeter.Receipt[] memory batch = new IUsageMeter.Receipt[](1);
        batch[0] = IUsageMeter.Receipt(metered, creator, 10, uint48(deadline), 10, abi.encodePacked(r, s, v));
        vm.prank(OPERATOR);
        meter.settle(batch);
        assertEq(licenses.licence(metered).credits, 0, "all credits spent");
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageLicenceNotLive.selector, metered));
        _register(child, _ids(metered));
        _assertNothingMoved(child, _ids(metered), _ids(parent));
    }

    function test_nonDerivativeLicence_refused() public {
        uint256 plain = _buy(parent, _addOffer(parent, _plainTerms(ETH, LICENCE_PRICE)), creator);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageNotDerivativeLicence.selector, plain));
        _register(child, _ids(plain));
        _assertNothingMoved(child, _ids(plain), _ids(parent));
    }

    function test_licenceUsedTwice_refused() public {
        _register(child, _ids(licenceId));
        uint256 second = _newModel();
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageLicenceUsed.selector, licenceId, child));
        _register(second, _ids(licenceId));
        assertEq(lineage.derivativeOf(licenceId), child, "the licence still names its first derivative");
        _assertNothingMoved(second, new uint256[](0), _ids(parent));
        assertEq(lineage.childrenOf(parent).length, 1, "the parent has one child");
    }

    /// @dev A used licence handed on to someone else does not register a second derivative for its new holder.
    function test_usedLicenceTransferred_stillUsed() public {
        _register(child, _ids(licenceId));
        vm.prank(creator);
        licenses.transferFrom(creator, ALICE, licenceId);
        uint256 alicesModel;
        vm.prank(ALICE);
        (alicesModel, ) = registry.registerModel(_registration(_single(ALICE)));
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageLicenceUsed.selector, licenceId, child));
        lineage.registerDerivative(alicesModel, _ids(licenceId));
        _assertNothingMoved(alicesModel, new uint256[](0), _ids(parent));
    }

    function test_duplicateParent_refused() public {
        uint256 again = _derivativeLicence(parent, 1_000, 0);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageDuplicateParent.selector, parent));
        _register(child, _ids(licenceId, again));
        _assertNothingMoved(child, _ids(licenceId, again), _ids(parent));
    }

    /// @dev The first entry already marks the licence used by this very model, so the second is refused as used.
    function test_sameLicenceTwiceInOneCall_refused() public {
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageLicenceUsed.selector, licenceId, child));
        _register(child, _ids(licenceId, licenceId));
        _assertNothingMoved(child, _ids(licenceId), _ids(parent));
    }

    // --- caps -------------------------------------------------------------------------------------------------

    function test_shareAboveCap_refused() public {
        uint256 other = _newModel();
        uint256 l1 = _derivativeLicence(parent, 3_000, 0);
        uint256 l2 = _derivativeLicence(other, 3_000, 0);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageShareAboveCap.selector, 6_000, 5_000));
        _register(child, _ids(l1, l2));
        _assertNothingMoved(child, _ids(l1, l2), _ids(parent, other));
    }

    function test_noParents_orFive_refused() public {
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageInvalidParents.selector, 0, 4));
        _register(child, new uint256[](0));
        uint256[] memory five = new uint256[](5);
        for (uint256 i = 0; i < 5; ++i) five[i] = _derivativeLicence(_newModel(), 100, 0);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageInvalidParents.selector, 5, 4));
        _register(child, five);
        _assertNothingMoved(child, five, new uint256[](0));
    }

    /// @dev Five generations: the fifth registration, which would put five generations above a model, fails.
    function test_fiveGenerations_refusedTooDeep() public {
        uint256 id = parent;
        for (uint256 generation = 1; generation <= 4; ++generation) (id, ) = _childOf(id, 100);
        _assertDepth(id, 4, 4);
        uint256 deep = _derivativeLicence(id, 100, 0);
        uint256 fifth = _newModel();
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageTooDeep.selector, 5, 4));
        _register(fifth, _ids(deep));
        _assertNothingMoved(fifth, _ids(deep), _ids(id));
    }

    /// @dev O1..O4 <- P1 (4 routes), O1, O2 <- P2 (2 routes): C <- (P1, P2, O4) would make 5 + 3 + 1 = 9 routes.
    function test_nineRoutes_refused() public {
        uint256[] memory originals = new uint256[](4);
        uint256[] memory licenceIds = new uint256[](4);
        for (uint256 i = 0; i < 4; ++i) {
            originals[i] = _newModel();
            licenceIds[i] = _derivativeLicence(originals[i], 1_000, 0);
        }
        uint256 p1 = _newModel();
        _register(p1, licenceIds);
        uint256 p2 = _newModel();
        _register(p2, _ids(_derivativeLicence(originals[0], 1_000, 0), _derivativeLicence(originals[1], 1_000, 0)));
        uint256[] memory three = _ids(
            _derivativeLicence(p1, 1_000, 0),
            _derivativeLicence(p2, 1_000, 0),
            _derivativeLicence(originals[3], 1_000, 0)
        );
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageTooManyRoutes.selector, 9, 8));
        _register(child, three);
        _assertNothingMoved(child, three, _ids(p1, p2, originals[3]));
    }

    function test_conflictingFloors_refused() public {
        uint256 other = _newModel();
        uint256 inEth = _derivativeLicence(parent, 1_000, 0.05 ether);
        uint256 inUsd = _buy(other, _addOffer(other, _derivativeTerms(address(usd), 100e6, 1_000, 50e6)), creator);
        vm.expectRevert(
            abi.encodeWithSelector(IModelLineage.ModelLineageConflictingMinPrice.selector, ETH, address(usd))
        );
        _register(child, _ids(inEth, inUsd));
        _assertNothingMoved(child, _ids(inEth, inUsd), _ids(parent, other));
    }

    /// @dev A floor in USD set by the grandparent conflicts with a parent licence's floor in ETH.
    function test_conflictWithAnInheritedFloor_refused() public {
        uint256 g = _newModel();
        uint256 lg = _buy(g, _addOffer(g, _derivativeTerms(address(usd), 100e6, 1_000, 50e6)), creator);
        uint256 p = _newModel();
        _register(p, _ids(lg));
        uint256 lp = _buy(p, _addOffer(p, _derivativeTerms(address(usd), 60e6, 1_000, 0)), creator);
        uint256 inEth = _derivativeLicence(parent, 1_000, 0.05 ether);
        vm.expectRevert(
            abi.encodeWithSelector(IModelLineage.ModelLineageConflictingMinPrice.selector, ETH, address(usd))
        );
        _register(child, _ids(inEth, lp));
        _assertNothingMoved(child, _ids(inEth, lp), _ids(parent, p));
    }

    // --- who registers, and which models ------------------------------------------------------------------------

    function test_callerNotCreatorOrTreasury_refused() public {
        vm.prank(creator);
        licenses.transferFrom(creator, ALICE, licenceId); // even holding the licence
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageNotRegistrant.selector, ALICE, child));
        vm.prank(ALICE);
        lineage.registerDerivative(child, _ids(licenceId));
        _assertNothingMoved(child, _ids(licenceId), _ids(parent));
    }

    /// @dev Once one fraction has left the creator, the model's parents are for its DAO to vote on.
    function test_creatorNoLongerSoleHolder_refused() public {
        vm.prank(creator);
        shares.safeTransferFrom(creator, ALICE, child, 1, "");
        vm.expectRevert(
            abi.encodeWithSelector(IModelLineage.ModelLineageCreatorNotSoleHolder.selector, creator, child, 99, 100)
        );
        _register(child, _ids(licenceId));
        _assertNothingMoved(child, _ids(licenceId), _ids(parent));
        vm.prank(ALICE);
        shares.safeTransferFrom(ALICE, creator, child, 1, ""); // all back: the creator is the whole DAO again
        _register(child, _ids(licenceId));
        assertEq(lineage.parentsOf(child).length, 1, "registered");
    }

    function test_modelWithAnOffer_refusedNotNew() public {
        _addOffer(child, _plainTerms(ETH, 0)); // free: no payment token taken
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageNotNew.selector, child, 1, false));
        _register(child, _ids(licenceId));
        _assertNothingMoved(child, _ids(licenceId), _ids(parent));
    }

    function test_modelThatAllowedAToken_refusedNotNew() public {
        vm.prank(_treasury(child));
        vault.setPaymentToken(child, address(usd), true);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageNotNew.selector, child, 0, true));
        _register(child, _ids(licenceId));
        _assertNothingMoved(child, _ids(licenceId), _ids(parent));
    }

    /// @dev Dropping the token again does not make a model new: it may have been paid in between.
    function test_modelThatAllowedThenDroppedAToken_refusedNotNew() public {
        vm.startPrank(_treasury(child));
        vault.setPaymentToken(child, ETH, true);
        vault.setPaymentToken(child, ETH, false);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageNotNew.selector, child, 0, true));
        _register(child, _ids(licenceId));
        assertEq(lineage.derivativeOf(licenceId), 0, "licence not marked used");
        assertEq(lineage.parentsOf(child).length, 0, "no parents recorded");
    }

    function test_unknownModel_refused() public {
        uint256 next = registry.modelCount() + 1;
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageUnknownModel.selector, next));
        _register(next, _ids(licenceId));
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageUnknownModel.selector, 0));
        _register(0, _ids(licenceId));
        assertEq(lineage.derivativeOf(licenceId), 0, "licence not marked used");
        assertEq(lineage.childrenOf(parent).length, 0, "parent has no child");
    }

    function test_registeringTwice_refused() public {
        _register(child, _ids(licenceId));
        uint256 other = _newModel();
        uint256 more = _derivativeLicence(other, 1_000, 0);
        vm.expectRevert(abi.encodeWithSelector(IModelLineage.ModelLineageAlreadyRegistered.selector, child));
        _register(child, _ids(more));
        assertEq(lineage.parentsOf(child).length, 1, "still one parent");
        assertEq(lineage.derivativeOf(more), 0, "second licence not marked used");
        _assertNotChildOf(other, child);
    }

    // --- the vault takes parents from the lineage only, once --------------------------------------------------

    function test_vaultSetParents_onlyLineage() public {
        bytes32 role = vault.LINEAGE_ROLE();
        address[3] memory callers = [address(this), _treasury(child), creator]; // admin, the model, its creator
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, callers[i], role)
            );
            vm.prank(callers[i]);
            vault.setParents(child, _ids(parent), _ids(5_000));
        }
        _assertVaultHasNoParents(child);
    }

    /// @dev The vault's own checks (the lineage registry checks the models, shares, depth and cycles): at most four
    /// parents, both lists read in step, once.
    function test_vaultSetParents_atMostFourAndOnce() public {
        uint256[] memory five = new uint256[](5);
        for (uint256 i = 0; i < 5; ++i) five[i] = parent;
        vm.startPrank(address(lineage));
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.RevenueVaultInvalidParents.selector, child));
        vault.setParents(child, five, five); // more than four
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x32));
        vault.setParents(child, _ids(parent), new uint256[](0)); // a share missing
        vm.stopPrank();
        _assertVaultHasNoParents(child);
        _register(child, _ids(licenceId));
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.RevenueVaultInvalidParents.selector, child));
        vm.prank(address(lineage));
        vault.setParents(child, _ids(parent), _ids(1_000)); // a second time
    }
}
