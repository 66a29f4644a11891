// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IModelLineage} from "../../../contracts/interfaces/IModelLineage.sol";
import {IRevenueVault} from "../../../contracts/interfaces/IRevenueVault.sol";
import {TestToken} from "../../../contracts/mocks/tokens/TestToken.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Vm} from "../utils/Test.sol";

/**
 * @dev The protocol with its lineage registry, a creator EOA (its key signs usage receipts) that registers models
 * and buys the derivative licences their lineage is registered with, and an ERC-20 besides ETH. Models registered
 * here start new: no offer, no payment token; each helper acts as the party that may (the model's timelock for
 * offers and payment tokens, the creator for registrations).
 */
abstract contract LineageFixture is ProtocolFixture {
    uint256 internal constant CREATOR_KEY = 0xC4EA7;
    address internal constant ETH = address(0);
    uint256 internal constant BPS = 10_000;
    uint128 internal constant LICENCE_PRICE = 0.1 ether;

    address internal creator;
    TestToken internal usd;

    function _deployLineageFixture() internal {
        _deployProtocol();
        creator = vm.addr(CREATOR_KEY);
        usd = new TestToken("Dollar", "USD", 6);
        vm.deal(creator, 1_000 ether);
        vm.deal(ALICE, 1_000 ether);
        vm.deal(BOB, 1_000 ether);
        vm.deal(CAROL, 1_000 ether);
        vm.deal(address(this), 1_000 ether);
    }

    // --- models, offers and licences ------------------------------------------------------------------------

    /// @dev A new model registered by the creator, who holds all its fractions: it may then register the model's
    /// parents alone (otherwise the model's treasury does, by vote).
    function _newModel() internal returns (uint256 id) {
        vm.prank(creator);
        (id, ) = registry.registerModel(_registration(_single(creator)));
    }

    function _single(address a) internal pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }

    function _treasury(uint256 id) internal view returns (address) {
        return shares.treasuryOf(id);
    }

    /// @dev A perpetual, unmetered, transferable offer on sale; derivatives allowed with `shareBps` and `floor`.
    function _derivativeTerms(
        address token,
        uint128 price,
        uint16 shareBps,
        uint128 floor
    ) internal pure returns (ILicenseManager.OfferTerms memory t) {
        t = _plainTerms(token, price);
        t.derivativesAllowed = true;
        t.parentShareBps = shareBps;
        t.minDerivativePrice = floor;
    }

    /// @dev A perpetual, unmetered, transferable offer on sale, no derivatives.
    function _plainTerms(address token, uint128 price) internal pure returns (ILicenseManager.OfferTerms memory t) {
        (t.paymentToken, t.price, t.transferable, t.commercialUse, t.onSale) = (token, price, true, true, true);
        (t.termsURI, t.termsHash) = ("ipfs://terms", keccak256("terms"));
    }

    /// @dev The model's DAO takes the offer's token (unless it is free) and publishes the offer.
    function _addOffer(uint256 id, ILicenseManager.OfferTerms memory t) internal returns (uint256 offerId) {
        vm.startPrank(_treasury(id));
        if (t.price != 0) vault.setPaymentToken(id, t.paymentToken, true);
        offerId = licenses.addOffer(id, t);
        vm.stopPrank();
    }

    /// @dev `buyer` buys a licence of the offer at its current price (ERC-20s minted to it first).
    function _buy(uint256 id, uint256 offerId, address buyer) internal returns (uint256 licenceId) {
        (uint256 termsId, , , ) = licenses.offer(id, offerId);
        ILicenseManager.Terms memory t = licenses.terms(termsId);
        if (t.paymentToken == ETH) {
            vm.prank(buyer);
            return licenses.purchase{value: t.price}(id, offerId, buyer, t.price);
        }
        TestToken(t.paymentToken).mint(buyer, t.price);
        vm.startPrank(buyer);
        IERC20(t.paymentToken).approve(address(licenses), t.price);
        licenceId = licenses.purchase(id, offerId, buyer, t.price);
        vm.stopPrank();
    }

    /// @dev A new ETH derivative offer of `parent` (at LICENCE_PRICE, or its floor if higher), bought by the creator.
    function _derivativeLicence(uint256 parent, uint16 shareBps, uint128 floor) internal returns (uint256) {
        (, uint256 parentFloor) = lineage.minPriceOf(parent);
        uint128 price = parentFloor > LICENCE_PRICE ? uint128(parentFloor) : LICENCE_PRICE;
        return _buy(parent, _addOffer(parent, _derivativeTerms(ETH, price, shareBps, floor)), creator);
    }

    function _register(uint256 child, uint256[] memory licenceIds) internal {
        vm.prank(creator);
        lineage.registerDerivative(child, licenceIds);
    }

    /// @dev A new model registered as a derivative of `parent` through a new licence with `shareBps` and no floor.
    function _childOf(uint256 parent, uint16 shareBps) internal returns (uint256 child, uint256 licenceId) {
        licenceId = _derivativeLicence(parent, shareBps, 0);
        child = _newModel();
        _register(child, _ids(licenceId));
    }

    // --- what a failed registration must have left alone ------------------------------------------------------

    /// @dev `child` has no lineage, none of `licenceIds` registered anything, no parent lists `child`, and the
    /// vault credits a payment into `child` whole (it has no parents there either).
    function _assertNothingMoved(uint256 child, uint256[] memory licenceIds, uint256[] memory parentIds) internal {
        assertEq(lineage.parentsOf(child).length, 0, "no parents recorded");
        (uint256 depth, uint256 routes) = lineage.depthOf(child);
        assertEq(depth + routes, 0, "no depth, no routes");
        (address floorToken, uint256 floor) = lineage.minPriceOf(child);
        assertEq(floorToken, ETH, "no floor token");
        assertEq(floor, 0, "no floor");
        for (uint256 i = 0; i < licenceIds.length; ++i) {
            assertEq(lineage.derivativeOf(licenceIds[i]), 0, "licence not marked used");
        }
        for (uint256 i = 0; i < parentIds.length; ++i) _assertNotChildOf(parentIds[i], child);
        _assertVaultHasNoParents(child);
    }

    function _assertNotChildOf(uint256 parent, uint256 child) internal view {
        uint256[] memory children = lineage.childrenOf(parent);
        for (uint256 i = 0; i < children.length; ++i) assertTrue(children[i] != child, "child not recorded");
    }

    /// @dev In a snapshot: `child` takes ETH and 1 ETH is deposited; all of it is `child`'s own (no ParentPaid).
    function _assertVaultHasNoParents(uint256 child) internal {
        uint256 snapshot = vm.snapshotState();
        vm.prank(_treasury(child));
        vault.setPaymentToken(child, ETH, true);
        uint256 before = vault.totalDeposited(child, ETH);
        vm.recordLogs();
        vault.deposit{value: 1 ether}(child, ETH, 1 ether);
        assertEq(vault.totalDeposited(child, ETH) - before, 1 ether, "vault: the model keeps all it is paid");
        assertEq(
            _count(vm.getRecordedLogs(), address(vault), IRevenueVault.ParentPaid.selector),
            0,
            "vault: no ParentPaid"
        );
        vm.revertToState(snapshot);
    }

    // --- small helpers --------------------------------------------------------------------------------------

    function _count(Vm.Log[] memory logs, address emitter, bytes32 topic0) internal pure returns (uint256 n) {
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == emitter && logs[i].topics[0] == topic0) ++n;
        }
    }

    /// @dev The only log from `emitter` with `topic0` (reverts if there is not exactly one).
    function _onlyLog(Vm.Log[] memory logs, address emitter, bytes32 topic0) internal pure returns (Vm.Log memory) {
        uint256 found = type(uint256).max;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter != emitter || logs[i].topics[0] != topic0) continue;
            if (found != type(uint256).max) revert AssertionFailed("more than one matching log");
            found = i;
        }
        if (found == type(uint256).max) revert AssertionFailed("no matching log");
        return logs[found];
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = a;
    }

    function _ids(uint256 a, uint256 b) internal pure returns (uint256[] memory list) {
        list = new uint256[](2);
        (list[0], list[1]) = (a, b);
    }

    function _ids(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory list) {
        list = new uint256[](3);
        (list[0], list[1], list[2]) = (a, b, c);
    }

    function _ids(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256[] memory list) {
        list = new uint256[](4);
        (list[0], list[1], list[2], list[3]) = (a, b, c, d);
    }

    /// @dev `child`'s recorded parents are exactly `parentIds` with `licenceIds` and `shareBps`, in order.
    function _assertParents(
        uint256 child,
        uint256[] memory parentIds,
        uint256[] memory licenceIds,
        uint256[] memory shareBps
    ) internal view {
        IModelLineage.Parent[] memory parents = lineage.parentsOf(child);
        assertEq(parents.length, parentIds.length, "parent count");
        for (uint256 i = 0; i < parents.length; ++i) {
            assertEq(parents[i].modelId, parentIds[i], "parent id");
            assertEq(parents[i].licenceId, licenceIds[i], "parent licence");
            assertEq(parents[i].shareBps, shareBps[i], "parent share");
            assertEq(lineage.derivativeOf(licenceIds[i]), child, "licence registered the child");
        }
    }

    function _assertDepth(uint256 id, uint256 depth, uint256 routes) internal view {
        (uint256 d, uint256 r) = lineage.depthOf(id);
        assertEq(d, depth, "depth");
        assertEq(r, routes, "routes");
    }

    function _assertFloor(uint256 id, address token, uint256 price) internal view {
        (address t, uint256 p) = lineage.minPriceOf(id);
        assertEq(t, token, "floor token");
        assertEq(p, price, "floor price");
    }
}
