// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IModelLineage} from "../../../contracts/interfaces/IModelLineage.sol";
import {Vm} from "../utils/Test.sol";
import {LineageFixture} from "../lineage/LineageFixture.sol";

/**
 * @dev The licence manager's side of derivatives: a parent share and a price floor only on derivative licences,
 * the share at most 50%; a registered derivative's own offers priced at least at its floor, in the floor's token,
 * on publishing and on every update; and the terms a licence was bought under keep its share and floor whatever
 * the parent's DAO publishes later.
 */
contract LicenseManagerDerivativesTest is LineageFixture {
    uint128 internal constant FLOOR = 0.05 ether;

    uint256 internal parent;
    uint256 internal child;

    function setUp() public {
        _deployLineageFixture();
        parent = _newModel();
        child = _newModel();
    }

    // --- share and floor validation -------------------------------------------------------------------------

    function test_shareOrFloor_withoutDerivatives_refused() public {
        ILicenseManager.OfferTerms memory t = _plainTerms(ETH, LICENCE_PRICE);
        t.parentShareBps = 1;
        _expectInvalidAdd(parent, t, "parentShareBps");
        t.parentShareBps = 0;
        t.minDerivativePrice = 1;
        _expectInvalidAdd(parent, t, "minDerivativePrice");
        assertEq(licenses.offerCount(parent), 0, "nothing published");
    }

    function test_shareAboveHalf_refused_halfAccepted() public {
        _expectInvalidAdd(parent, _derivativeTerms(ETH, LICENCE_PRICE, 5_001, 0), "parentShareBps");
        _expectInvalidAdd(parent, _derivativeTerms(ETH, LICENCE_PRICE, type(uint16).max, 0), "parentShareBps");
        assertEq(licenses.offerCount(parent), 0, "nothing published");
        uint256 offerId = _addOffer(parent, _derivativeTerms(ETH, LICENCE_PRICE, 5_000, type(uint128).max));
        ILicenseManager.Terms memory kept = _offerTerms(parent, offerId);
        assertEq(kept.parentShareBps, 5_000, "share kept");
        assertEq(kept.minDerivativePrice, type(uint128).max, "floor kept");
        assertTrue(kept.derivativesAllowed, "derivatives allowed");
    }

    /// @dev A derivative licence may ask nothing of its derivatives (no share, no floor).
    function test_derivativeLicenceWithoutShareOrFloor_accepted() public {
        uint256 offerId = _addOffer(parent, _derivativeTerms(ETH, LICENCE_PRICE, 0, 0));
        assertEq(_offerTerms(parent, offerId).parentShareBps, 0, "no share");
    }

    function test_updateOffer_validatesShareAndFloorAlike() public {
        uint256 offerId = _addOffer(parent, _derivativeTerms(ETH, LICENCE_PRICE, 1_000, FLOOR));
        (uint256 termsBefore, , , ) = licenses.offer(parent, offerId);
        ILicenseManager.OfferTerms memory t = _derivativeTerms(ETH, LICENCE_PRICE, 5_001, 0);
        _expectInvalidUpdate(parent, offerId, t, "parentShareBps");
        t = _plainTerms(ETH, LICENCE_PRICE);
        t.parentShareBps = 1_000;
        _expectInvalidUpdate(parent, offerId, t, "parentShareBps");
        t.parentShareBps = 0;
        t.minDerivativePrice = FLOOR;
        _expectInvalidUpdate(parent, offerId, t, "minDerivativePrice");
        (uint256 termsAfter, , , ) = licenses.offer(parent, offerId);
        assertEq(termsAfter, termsBefore, "the offer keeps its terms");
    }

    function test_offerPublished_carriesShareAndFloor() public {
        ILicenseManager.OfferTerms memory t = _derivativeTerms(ETH, LICENCE_PRICE, 1_234, FLOOR);
        vm.prank(_treasury(parent));
        vm.recordLogs();
        licenses.addOffer(parent, t);
        Vm.Log memory log = _onlyLog(vm.getRecordedLogs(), address(licenses), ILicenseManager.OfferPublished.selector);
        assertEq(keccak256(log.data), keccak256(abi.encode(t)), "the event carries the terms as published");
    }

    // --- the floor on a derivative's offers -----------------------------------------------------------------

    function test_floor_belowRefused_wrongTokenRefused_atFloorAccepted() public {
        _registerWithFloor();
        address treasury = _treasury(child);
        vm.startPrank(treasury);
        vm.expectRevert(_belowFloor(ETH, FLOOR - 1));
        licenses.addOffer(child, _plainTerms(ETH, FLOOR - 1));
        vm.expectRevert(_belowFloor(address(usd), 1e12));
        licenses.addOffer(child, _plainTerms(address(usd), 1e12)); // a large price in another token
        vm.expectRevert(_belowFloor(ETH, 0));
        licenses.addOffer(child, _plainTerms(ETH, 0)); // free
        vm.expectRevert(_belowFloor(ETH, FLOOR - 1));
        licenses.addOffer(child, _derivativeTerms(ETH, FLOOR - 1, 1_000, 0)); // derivative offers alike
        assertEq(licenses.offerCount(child), 0, "nothing published");
        uint256 atFloor = licenses.addOffer(child, _plainTerms(ETH, FLOOR));
        uint256 above = licenses.addOffer(child, _derivativeTerms(ETH, 1 ether, 1_000, 0));
        vm.stopPrank();
        assertEq(_offerTerms(child, atFloor).price, FLOOR, "at the floor");
        assertEq(_offerTerms(child, above).price, 1 ether, "above it");
    }

    function test_floor_enforcedOnUpdate() public {
        _registerWithFloor();
        uint256 offerId = _addOffer(child, _plainTerms(ETH, FLOOR));
        (uint256 termsBefore, , , ) = licenses.offer(child, offerId);
        vm.startPrank(_treasury(child));
        vm.expectRevert(_belowFloor(ETH, FLOOR - 1));
        licenses.updateOffer(child, offerId, _plainTerms(ETH, FLOOR - 1));
        vm.expectRevert(_belowFloor(address(usd), FLOOR));
        licenses.updateOffer(child, offerId, _plainTerms(address(usd), FLOOR));
        vm.stopPrank();
        (uint256 termsAfter, , , ) = licenses.offer(child, offerId);
        assertEq(termsAfter, termsBefore, "the offer keeps its terms");
        vm.prank(_treasury(child));
        licenses.updateOffer(child, offerId, _plainTerms(ETH, 2 * FLOOR));
        assertEq(_offerTerms(child, offerId).price, 2 * FLOOR, "raised");
    }

    /// @dev The floor binds the derivative's children too: the grandchild's floor is the highest up its lineage.
    function test_floor_inheritedByAGrandchild() public {
        _registerWithFloor();
        uint256 grandchild = _newModel();
        uint256 licenceId = _buy(child, _addOffer(child, _derivativeTerms(ETH, FLOOR, 1_000, FLOOR / 2)), creator);
        _register(grandchild, _ids(licenceId));
        _assertFloor(grandchild, ETH, FLOOR);
        address treasury = _treasury(grandchild);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILicenseManager.LicenseManagerBelowDerivativeFloor.selector,
                grandchild,
                ETH,
                FLOOR / 2,
                ETH,
                FLOOR
            )
        );
        vm.prank(treasury);
        licenses.addOffer(grandchild, _plainTerms(ETH, FLOOR / 2));
    }

    /// @dev A derivative whose parents set no floor publishes at any price.
    function test_noFloor_anyPrice() public {
        (uint256 free, ) = _childOf(parent, 1_000);
        uint256 offerId = _addOffer(free, _plainTerms(address(usd), 1));
        assertEq(_offerTerms(free, offerId).price, 1, "one unit of anything");
    }

    // --- access to a derivative ------------------------------------------------------------------------------

    /// @dev A fraction is access to a model, but not to a derivative with a price floor: a licence at the floor is.
    function test_hasAccess_fractionsOfAFlooredDerivativeAreNotAccess() public {
        (uint256 unfloored, ) = _childOf(parent, 1_000);
        _registerWithFloor();
        vm.startPrank(creator);
        shares.safeTransferFrom(creator, CAROL, unfloored, 1, "");
        shares.safeTransferFrom(creator, CAROL, child, 1, "");
        vm.stopPrank();
        assertTrue(licenses.hasAccess(unfloored, CAROL), "a fraction of a derivative without a floor: access");
        assertTrue(!licenses.hasAccess(child, CAROL), "a fraction of a floored derivative: no access");
        assertTrue(licenses.hasAccess(parent, creator), "the parent's fractions still give access to it");
        _buy(child, _addOffer(child, _plainTerms(ETH, FLOOR)), CAROL);
        assertTrue(licenses.hasAccess(child, CAROL), "a licence bought at the floor: access");
    }

    // --- terms locked at purchase ---------------------------------------------------------------------------

    function test_termsLockedAtPurchase_parentUpdateChangesOnlyNewLicences() public {
        uint256 offerId = _addOffer(parent, _derivativeTerms(ETH, LICENCE_PRICE, 2_000, FLOOR));
        uint256 early = _buy(parent, offerId, creator);
        vm.prank(_treasury(parent));
        licenses.updateOffer(parent, offerId, _derivativeTerms(ETH, LICENCE_PRICE, 4_000, 4 * FLOOR));
        uint256 late = _buy(parent, offerId, creator);

        ILicenseManager.Terms memory earlyTerms = licenses.terms(licenses.licence(early).termsId);
        assertEq(earlyTerms.parentShareBps, 2_000, "the early licence keeps its share");
        assertEq(earlyTerms.minDerivativePrice, FLOOR, "and its floor");
        ILicenseManager.Terms memory lateTerms = licenses.terms(licenses.licence(late).termsId);
        assertEq(lateTerms.parentShareBps, 4_000, "the late licence has the new share");
        assertEq(lateTerms.minDerivativePrice, 4 * FLOOR, "and the new floor");

        _register(child, _ids(early));
        IModelLineage.Parent[] memory parents = lineage.parentsOf(child);
        assertEq(parents[0].shareBps, 2_000, "registered with the share its licence was bought under");
        _assertFloor(child, ETH, FLOOR);
    }

    // --- the lineage the licence manager reads ----------------------------------------------------------------

    function test_setLineage_adminOnly() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ALICE, bytes32(0))
        );
        vm.prank(ALICE);
        licenses.setLineage(IModelLineage(ALICE));
        assertEq(licenses.lineage(), address(lineage), "unchanged");
    }

    function test_setLineage_emits() public {
        vm.recordLogs();
        licenses.setLineage(IModelLineage(address(lineage)));
        Vm.Log memory log = _onlyLog(vm.getRecordedLogs(), address(licenses), ILicenseManager.LineageSet.selector);
        assertEq(log.topics[1], bytes32(uint256(uint160(address(lineage)))), "lineage topic");
    }

    /// @dev With no lineage named (a deployment from before lineage), no floor is looked up.
    function test_noLineage_noFloorLookedUp() public {
        _registerWithFloor();
        licenses.setLineage(IModelLineage(address(0)));
        uint256 offerId = _addOffer(child, _plainTerms(ETH, 1));
        assertEq(_offerTerms(child, offerId).price, 1, "published below the lineage's floor");
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /// @dev `child` registered as a derivative of `parent` through a licence with a 10% share and FLOOR in ETH.
    function _registerWithFloor() private {
        _register(child, _ids(_derivativeLicence(parent, 1_000, FLOOR)));
        _assertFloor(child, ETH, FLOOR);
    }

    function _belowFloor(address token, uint256 price) private view returns (bytes memory) {
        return
            abi.encodeWithSelector(
                ILicenseManager.LicenseManagerBelowDerivativeFloor.selector,
                child,
                token,
                price,
                ETH,
                FLOOR
            );
    }

    function _offerTerms(uint256 id, uint256 offerId) private view returns (ILicenseManager.Terms memory) {
        (uint256 termsId, , , ) = licenses.offer(id, offerId);
        return licenses.terms(termsId);
    }

    function _expectInvalidAdd(uint256 id, ILicenseManager.OfferTerms memory t, string memory field) private {
        address treasury = _treasury(id);
        vm.expectRevert(abi.encodeWithSelector(ILicenseManager.LicenseManagerInvalidOffer.selector, field));
        vm.prank(treasury);
        licenses.addOffer(id, t);
    }

    function _expectInvalidUpdate(
        uint256 id,
        uint256 offerId,
        ILicenseManager.OfferTerms memory t,
        string memory field
    ) private {
        address treasury = _treasury(id);
        vm.expectRevert(abi.encodeWithSelector(ILicenseManager.LicenseManagerInvalidOffer.selector, field));
        vm.prank(treasury);
        licenses.updateOffer(id, offerId, t);
    }
}
