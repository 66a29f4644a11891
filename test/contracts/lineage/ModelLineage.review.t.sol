// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IModelLineage} from "../../../contracts/interfaces/IModelLineage.sol";
import {LineageFixture} from "./LineageFixture.sol";

/**
 * @dev The adversarial review of issue #15 part 1: each test is a finding, fixed (royalties recovered in any token
 * pay the parents; a fraction of a floored derivative is not access; the creator alone decides lineage only while it
 * holds every fraction; the set-aside counter cannot be saturated to stop payments). Lineage: P <- C at 20%, with a
 * floor of 1 ETH on C's own licences.
 */
contract ModelLineageReviewTest is LineageFixture {
    uint16 internal constant P_BPS = 2_000;
    uint128 internal constant FLOOR = 1 ether;

    uint256 internal p;
    uint256 internal c;

    function setUp() public {
        _deployLineageFixture();
        p = _newModel();
        c = _newModel();
        _register(c, _ids(_derivativeLicence(p, P_BPS, FLOOR)));
    }

    /// @dev Royalties in a token C takes: C's DAO drops the token, recovers the receiver's balance to its treasury
    /// and takes the token again, in one proposal. P should still be owed 20% of those royalties.
    function test_recoverToken_royaltiesInATakenToken_stillPayTheParents() public {
        vm.prank(_treasury(c));
        vault.setPaymentToken(c, ETH, true);
        address receiver = vault.royaltyReceiverOf(c);
        (bool ok, ) = payable(receiver).call{value: 1 ether}(""); // a marketplace pays C's ERC-2981 royalty
        assertTrue(ok, "royalty paid");
        vm.startPrank(_treasury(c));
        vault.setPaymentToken(c, ETH, false);
        vault.recoverToken(c, ETH);
        vault.setPaymentToken(c, ETH, true);
        vm.stopPrank();
        (, uint256 pending) = vault.fromDerivatives(p, ETH);
        assertEq(pending, 0.2 ether, "P owed 20% of C's royalties");
    }

    /// @dev Royalties in a token C never takes (marketplaces often pay in WETH or a stablecoin): recovered whole to
    /// C's treasury. P should still be owed its 20% (in its treasury's cut if it does not take the token either).
    function test_recoverToken_royaltiesInAnUntakenToken_stillPayTheParents() public {
        vm.prank(_treasury(c));
        vault.setPaymentToken(c, ETH, true); // C sells its licences in ETH
        address receiver = vault.royaltyReceiverOf(c);
        usd.mint(receiver, 1_000e6); // royalties paid in USD
        vm.prank(_treasury(c));
        vault.recoverToken(c, address(usd));
        (, uint256 pending) = vault.fromDerivatives(p, address(usd));
        assertEq(pending, 200e6, "P owed 20% of C's USD royalties");
    }

    /// @dev Any fraction of C is access to C (`hasAccess`). A holder (or the DAO, through `FractionSales` at any
    /// price, or `spend-fractions`) hands one fraction to a customer who pays off-protocol: access below C's 1 ETH
    /// floor, and P gets nothing of it. A derivative's access should need a licence bought at the floor.
    function test_fractionOfADerivative_isNotAccessBelowTheFloor() public {
        vm.prank(creator);
        IERC1155(address(shares)).safeTransferFrom(creator, CAROL, c, 1, "");
        assertTrue(!licenses.hasAccess(c, CAROL), "one fraction of a derivative is not a licence");
    }

    /// @dev The creator (an EOA that holds none of C2's fractions and has no vote) decides alone, while C2 has
    /// no offer yet, that C2 pays half its revenue to a model of its choosing. Only C2's DAO should decide that.
    function test_creatorAlone_cannotGiveAwayHalfTheRevenue() public {
        vm.prank(creator);
        (uint256 c2, ) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        assertEq(IERC1155(address(shares)).balanceOf(creator, c2), 0, "the creator holds none of c2");
        uint256 mine = _newModel(); // a model the creator controls (its DAO sells it a 50% licence)
        uint256 licenceId = _derivativeLicence(mine, 5_000, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IModelLineage.ModelLineageCreatorNotSoleHolder.selector, creator, c2, 0, 200)
        );
        _register(c2, _ids(licenceId));
        // Once a fraction has left the creator, it no longer decides alone either.
        uint256 c3 = _newModel();
        vm.prank(creator);
        IERC1155(address(shares)).safeTransferFrom(creator, ALICE, c3, 1, "");
        vm.expectRevert(
            abi.encodeWithSelector(IModelLineage.ModelLineageCreatorNotSoleHolder.selector, creator, c3, 99, 100)
        );
        _register(c3, _ids(licenceId));
    }

    /// @dev `fromDerivatives` is cumulative in a uint128 and never shrinks. In a token whose units are cheap (one
    /// anyone, or the parent, can mint: and a parent's floor pins its derivatives' offers to its token), one deposit
    /// into any derivative saturates the parent's counter, and from then on every payment into every derivative of
    /// that parent in that token reverts, for good: collecting does not lower it.
    function test_saturatedSetAsideCounter_doesNotBrickTheDerivative() public {
        uint256 d = _newModel();
        _register(d, _ids(_derivativeLicence(p, P_BPS, 0)));
        vm.prank(_treasury(c));
        vault.setPaymentToken(c, address(usd), true);
        vm.prank(_treasury(d));
        vault.setPaymentToken(d, address(usd), true);
        uint256 huge = uint256(type(uint128).max) * 5; // P's 20%: exactly 2^128 - 1
        usd.mint(address(this), huge);
        usd.approve(address(vault), huge);
        vault.deposit(d, address(usd), huge); // into a sibling derivative, by anyone
        vault.collectFromDerivatives(p, address(usd));
        usd.mint(address(this), 1e6);
        usd.approve(address(vault), 1e6);
        vault.deposit(c, address(usd), 1e6); // an honest payment into C
        (, uint256 pending) = vault.fromDerivatives(p, address(usd));
        assertEq(pending, 0.2e6, "P owed 20% of C's payment");
    }

    /// @dev Sanity: the licence route itself is floored and pays P (so the tests above isolate the bypasses).
    function test_licenceRoute_isFlooredAndPaysTheParent() public {
        ILicenseManager.OfferTerms memory t = _plainTerms(ETH, FLOOR - 1);
        vm.startPrank(_treasury(c));
        vault.setPaymentToken(c, ETH, true);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILicenseManager.LicenseManagerBelowDerivativeFloor.selector,
                c,
                ETH,
                FLOOR - 1,
                ETH,
                FLOOR
            )
        );
        licenses.addOffer(c, t);
        t.price = FLOOR;
        uint256 offerId = licenses.addOffer(c, t);
        vm.stopPrank();
        _buy(c, offerId, CAROL);
        (, uint256 pending) = vault.fromDerivatives(p, ETH);
        assertEq(pending, 0.2 ether, "P owed 20% of the licence");
    }
}
