// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IRevenueVault} from "../../../contracts/interfaces/IRevenueVault.sol";
import {Vm} from "../utils/Test.sol";
import {LineageFixture} from "./LineageFixture.sol";

/**
 * @dev What a registered lineage does to money. Lineage: G <- P (10%), P <- C (20%), P2 <- C (15%); C with one,
 * two or three ancestors depending on the test. Every payment into C (deposit, a licence of C or its renewal,
 * royalties collected) sets aside for each parent exactly floor(amount * bps / 10000), of which the grandparent
 * takes floor(cut * bps / 10000) in the same transaction; C splits the rest at once, and each ancestor splits what
 * it keeps when anyone collects it (`collectFromDerivatives`). Nothing a parent's DAO does later changes a share.
 */
contract ModelLineageRevenueTest is LineageFixture {
    uint16 internal constant G_BPS = 1_000;
    uint16 internal constant P_BPS = 2_000;
    uint16 internal constant P2_BPS = 1_500;

    uint256 internal g;
    uint256 internal p;
    uint256 internal p2;
    uint256 internal c;

    function setUp() public {
        _deployLineageFixture();
        g = _newModel();
        p = _newModel();
        p2 = _newModel();
        c = _newModel();
    }

    // --- one, two and three ancestors -------------------------------------------------------------------------

    function testFuzz_deposit_oneAncestor(uint256 amount) public {
        amount = bound(amount, 1, 1e30);
        _register(c, _ids(_derivativeLicence(p, P_BPS, 0)));
        uint256 cut = (amount * P_BPS) / BPS;
        _takeEth(c);
        vm.deal(address(this), amount);
        uint256[] memory before = _state(ETH);
        vm.recordLogs();
        vault.deposit{value: amount}(c, ETH, amount);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256[] memory delta = _delta(before, _state(ETH));
        assertEq(delta[1], cut, "P: floor(amount * 20%) set aside");
        assertEq(delta[3], amount - cut, "C splits the rest");
        assertEq(delta[0] + delta[2] + delta[4] + delta[5] + delta[6], 0, "nothing else, nothing split yet");
        if (cut != 0) _assertParentPaid(logs, _ids(c), _ids(p), _ids(cut));
        else _assertParentPaid(logs, new uint256[](0), new uint256[](0), new uint256[](0));
        _collectAll(ETH, before, amount);
    }

    function testFuzz_deposit_twoAncestors(uint256 amount) public {
        amount = bound(amount, 1, 1e30);
        _chainGPC();
        uint256 cutP = (amount * P_BPS) / BPS;
        uint256 cutG = (cutP * G_BPS) / BPS;
        _takeEth(c);
        vm.deal(address(this), amount);
        uint256[] memory before = _state(ETH);
        vm.recordLogs();
        vault.deposit{value: amount}(c, ETH, amount);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256[] memory delta = _delta(before, _state(ETH));
        assertEq(delta[0], cutG, "G: floor(P's cut * 10%), at once");
        assertEq(delta[1], cutP - cutG, "P keeps its cut less G's");
        assertEq(delta[3], amount - cutP, "C splits the rest");
        assertEq(delta[2] + delta[4] + delta[5] + delta[6], 0, "nothing else, nothing split yet");
        if (cutG != 0) _assertParentPaid(logs, _ids(c, p), _ids(p, g), _ids(cutP, cutG));
        else if (cutP != 0) _assertParentPaid(logs, _ids(c), _ids(p), _ids(cutP));
        _collectAll(ETH, before, amount);
    }

    function testFuzz_deposit_threeAncestors(uint256 amount) public {
        amount = bound(amount, 1, 1e30);
        _diamondless();
        _takeEth(c);
        vm.deal(address(this), amount);
        uint256[] memory before = _state(ETH);
        vault.deposit{value: amount}(c, ETH, amount);
        _assertThreeAncestors(before, amount, ETH);
    }

    /// @dev Exact figures for one deposit of 1 ETH + 7 wei, the floors visible.
    function test_deposit_threeAncestors_exactFigures() public {
        _diamondless();
        _takeEth(c);
        uint256 amount = 1 ether + 7;
        uint256[] memory before = _state(ETH);
        vm.recordLogs();
        vault.deposit{value: amount}(c, ETH, amount);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        // P: floor((1e18 + 7) * 0.2) = 2e17 + 1; G: floor((2e17 + 1) * 0.1) = 2e16; P2: floor((1e18 + 7) * 0.15)
        // = 15e16 + 1; C: the rest, 65e16 + 5.
        _assertParentPaid(logs, _ids(c, p, c), _ids(p, g, p2), _ids(2e17 + 1, 2e16, 15e16 + 1));
        uint256[] memory delta = _delta(before, _state(ETH));
        assertEq(delta[0], 2e16, "G");
        assertEq(delta[1], 18e16 + 1, "P");
        assertEq(delta[2], 15e16 + 1, "P2");
        assertEq(delta[3], 65e16 + 5, "C");
        assertEq(keccak256(_depositedLog(logs, c).data), keccak256(abi.encode(65e16 + 5, 0, 0, 65e16 + 5)), "C");
        _collectAll(ETH, before, amount);
    }

    /// @dev A payment too small for a parent's floor to reach one wei pays that parent nothing: C keeps it.
    function test_deposit_dust_staysWithTheDerivative() public {
        _diamondless();
        _takeEth(c);
        uint256[] memory before = _state(ETH);
        vm.recordLogs();
        vault.deposit{value: 6}(c, ETH, 6); // P: floor(1.2) = 1, G: floor(0.1) = 0, P2: floor(0.9) = 0
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256[] memory delta = _delta(before, _state(ETH));
        assertEq(delta[0], 0, "G: nothing");
        assertEq(delta[1], 1, "P: 1 wei");
        assertEq(delta[2], 0, "P2: nothing");
        assertEq(delta[3], 5, "C: the rest");
        _assertParentPaid(logs, _ids(c), _ids(p), _ids(1));
    }

    // --- every way money reaches the derivative --------------------------------------------------------------

    function test_licencePurchase_paysTheAncestors() public {
        _diamondless();
        uint256 price = 0.3 ether;
        uint256 offerId = _addOffer(c, _plainTerms(ETH, uint128(price)));
        uint256[] memory before = _state(ETH);
        _buy(c, offerId, CAROL);
        _assertThreeAncestors(before, price, ETH);
    }

    function test_licencePurchaseInAnErc20_paysTheAncestorsInIt() public {
        _diamondless();
        _allow(g, address(usd));
        _allow(p, address(usd));
        _allow(p2, address(usd));
        uint256 price = 123_456_789;
        uint256 offerId = _addOffer(c, _plainTerms(address(usd), uint128(price)));
        uint256[] memory before = _state(address(usd));
        _buy(c, offerId, CAROL);
        _assertThreeAncestors(before, price, address(usd));
        assertEq(usd.balanceOf(address(vault)), price, "the vault holds exactly the price");
    }

    function test_renewal_paysTheAncestors() public {
        _diamondless();
        ILicenseManager.OfferTerms memory t = _plainTerms(ETH, 0.2 ether);
        t.duration = 30 days;
        uint256 offerId = _addOffer(c, t);
        uint256 licenceId = _buy(c, offerId, CAROL);
        uint256[] memory before = _state(ETH);
        vm.prank(CAROL);
        licenses.renew{value: 0.2 ether}(licenceId, 0.2 ether);
        _assertThreeAncestors(before, 0.2 ether, ETH);
    }

    function test_collectRoyalties_paysTheAncestors() public {
        _diamondless();
        _takeEth(c);
        uint256 royalty = 0.77 ether + 3;
        (bool ok, ) = payable(vault.royaltyReceiverOf(c)).call{value: royalty}("");
        assertTrue(ok, "royalty paid to C's receiver");
        uint256[] memory before = _state(ETH);
        assertEq(vault.collectRoyalties(c, ETH), royalty, "collected");
        _assertThreeAncestors(before, royalty, ETH);
    }

    /// @dev C's own split applies to what is left after its parents: 20% contributors, 50% holders, 30% treasury.
    function test_derivativeSplitsTheRest() public {
        _register(c, _ids(_derivativeLicence(p, P_BPS, 0)));
        vm.startPrank(_treasury(c));
        vault.setPaymentToken(c, ETH, true);
        vault.setSplit(c, 2_000, 5_000);
        vault.setContributors(c, _addresses(CAROL), _ids(1));
        vm.stopPrank();
        vm.recordLogs();
        vault.deposit{value: 10 ether}(c, ETH, 10 ether);
        Vm.Log memory deposited = _depositedLog(vm.getRecordedLogs(), c);
        assertEq(keccak256(deposited.data), keccak256(abi.encode(8 ether, 1.6 ether, 4 ether, 2.4 ether)), "split");
        assertEq(vault.releasable(c, ETH, CAROL), 1.6 ether, "contributor: 20% of the rest");
        assertEq(vault.treasuryReleasable(c, ETH), 2.4 ether, "treasury: 30% of the rest");
        (uint256 locked, , ) = vault.unlocking(c, ETH);
        assertEq(locked, 4 ether, "holders: 50% of the rest, unlocking");
    }

    // --- collecting what derivatives set aside -----------------------------------------------------------------

    /// @dev Anyone collects; the parent splits it like any payment (from: the vault), once.
    function test_collectFromDerivatives_entersTheParentsSplit_once() public {
        _register(c, _ids(_derivativeLicence(p, P_BPS, 0)));
        _takeEth(c);
        vm.startPrank(_treasury(p));
        vault.setSplit(p, 2_000, 5_000);
        vault.setContributors(p, _addresses(CAROL), _ids(1));
        vm.stopPrank();
        vault.deposit{value: 10 ether}(c, ETH, 10 ether);
        uint256 before = vault.totalDeposited(p, ETH);
        uint256 treasuryBefore = vault.treasuryReleasable(p, ETH);
        (uint256 total, uint256 pending) = vault.fromDerivatives(p, ETH);
        assertEq(total, 2 ether, "set aside in all");
        assertEq(pending, 2 ether, "waiting to be collected");
        vm.recordLogs();
        vm.prank(DAVE);
        assertEq(vault.collectFromDerivatives(p, ETH), 2 ether, "collected by anyone");
        Vm.Log memory deposited = _depositedLog(vm.getRecordedLogs(), p);
        assertEq(deposited.topics[3], bytes32(uint256(uint160(address(vault)))), "from: the vault");
        assertEq(keccak256(deposited.data), keccak256(abi.encode(2 ether, 0.4 ether, 1 ether, 0.6 ether)), "split");
        assertEq(vault.totalDeposited(p, ETH) - before, 2 ether, "P split it");
        assertEq(vault.releasable(p, ETH, CAROL), 0.4 ether, "P's contributor");
        assertEq(vault.treasuryReleasable(p, ETH) - treasuryBefore, 0.6 ether, "P's treasury");
        (total, pending) = vault.fromDerivatives(p, ETH);
        assertEq(total, 2 ether, "total kept");
        assertEq(pending, 0, "nothing left to collect");
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.RevenueVaultNothingArrived.selector, p, ETH));
        vault.collectFromDerivatives(p, ETH);
    }

    function test_collectFromDerivatives_nothingSetAside_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IRevenueVault.RevenueVaultNothingArrived.selector, g, ETH));
        vault.collectFromDerivatives(g, ETH);
    }

    // --- parents that do not take the token ------------------------------------------------------------------

    /// @dev C is paid in USD; P takes only ETH (from selling its licence); G takes USD and splits it. G's share of
    /// P's cut is set aside for G at once; P's part, collected, goes whole to its treasury.
    function test_parentWithoutTheToken_treasuryTakesItsPart_grandparentStillPaid() public {
        _chainGPC();
        vm.startPrank(_treasury(g));
        vault.setPaymentToken(g, address(usd), true);
        vault.setSplit(g, 0, 5_000);
        vm.stopPrank();
        vm.startPrank(_treasury(p));
        vault.setSplit(p, 2_000, 5_000); // a split it cannot apply to a token it does not take
        vault.setContributors(p, _addresses(CAROL), _ids(1));
        vm.stopPrank();
        _allow(c, address(usd));
        uint256 amount = 1_000_000_007;
        uint256 cutP = (amount * P_BPS) / BPS;
        uint256 cutG = (cutP * G_BPS) / BPS;
        usd.mint(address(this), amount);
        usd.approve(address(vault), amount);
        vault.deposit(c, address(usd), amount);
        (, uint256 pendingG) = vault.fromDerivatives(g, address(usd));
        assertEq(pendingG, cutG, "G's share of P's cut set aside at once");
        vm.recordLogs();
        vault.collectFromDerivatives(p, address(usd));
        Vm.Log memory pDeposit = _depositedLog(vm.getRecordedLogs(), p);
        assertEq(keccak256(pDeposit.data), keccak256(abi.encode(cutP - cutG, 0, 0, cutP - cutG)), "P: all to treasury");
        assertEq(vault.treasuryReleasable(p, address(usd)), cutP - cutG, "P's treasury owed its part");
        assertEq(vault.releasable(p, address(usd), CAROL), 0, "no contributor credit in a token P does not take");
        assertEq(vault.totalDeposited(p, address(usd)), cutP - cutG, "P credited its part");
        vault.collectFromDerivatives(g, address(usd));
        assertEq(vault.totalDeposited(g, address(usd)), cutG, "G paid its share of P's cut");
        (uint256 locked, , ) = vault.unlocking(g, address(usd));
        assertEq(locked, cutG / 2, "G split it: half to its holders");
        assertEq(vault.totalDeposited(c, address(usd)), amount - cutP, "C the rest");
        vault.releaseTreasury(p, address(usd));
        assertEq(usd.balanceOf(_treasury(p)), cutP - cutG, "P's treasury released it");
        assertEq(vault.treasuryReleasable(p, address(usd)), 0, "nothing left owed");
    }

    /// @dev No ancestor takes USD: collected, every part lands in its treasury.
    function test_noAncestorTakesTheToken_everyTreasuryOwedItsPart() public {
        _diamondless();
        _allow(c, address(usd));
        uint256 amount = 999_999;
        (uint256 cutP, uint256 cutG, uint256 cutP2) = _cuts(amount);
        usd.mint(address(this), amount);
        usd.approve(address(vault), amount);
        vault.deposit(c, address(usd), amount);
        for (uint256 i = 0; i < 3; ++i) vault.collectFromDerivatives([g, p, p2][i], address(usd));
        assertEq(vault.treasuryReleasable(g, address(usd)), cutG, "G's treasury");
        assertEq(vault.treasuryReleasable(p, address(usd)), cutP - cutG, "P's treasury");
        assertEq(vault.treasuryReleasable(p2, address(usd)), cutP2, "P2's treasury");
        assertEq(vault.treasuryReleasable(c, address(usd)), amount - cutP - cutP2, "C's treasury (default split)");
    }

    // --- recovering royalties -----------------------------------------------------------------------------------

    /// @dev An original model's DAO still recovers a token it does not take straight to its treasury.
    function test_recoverToken_onAnOriginal_sweepsToTheTreasury() public {
        _takeEth(g);
        usd.mint(vault.royaltyReceiverOf(g), 1_000_000);
        vm.prank(_treasury(g));
        assertEq(vault.recoverToken(g, address(usd)), 1_000_000, "recovered");
        assertEq(usd.balanceOf(_treasury(g)), 1_000_000, "all of it to the treasury");
        assertEq(usd.balanceOf(address(vault)), 0, "nothing through the vault");
        assertEq(vault.totalDeposited(g, address(usd)), 0, "nothing split");
    }

    /// @dev A derivative's recovered royalties pay its ancestors their stacked shares; its own part, in a token it
    /// does not take, goes whole to its treasury.
    function test_recoverToken_onADerivative_paysTheAncestors() public {
        _diamondless();
        _takeEth(c);
        uint256 amount = 1_000_003;
        usd.mint(vault.royaltyReceiverOf(c), amount);
        uint256[] memory before = _state(address(usd));
        vm.prank(_treasury(c));
        assertEq(vault.recoverToken(c, address(usd)), amount, "recovered");
        (uint256 cutP, , uint256 cutP2) = _cuts(amount);
        assertEq(vault.treasuryReleasable(c, address(usd)), amount - cutP - cutP2, "C's part: its treasury's");
        _assertThreeAncestors(before, amount, address(usd));
    }

    // --- parents' DAOs cannot change a registered derivative's shares ------------------------------------------

    function test_parentWithdrawsAndRepricesItsOffer_derivativeKeepsTheOldShare() public {
        uint256 licenceId = _derivativeLicence(p, P_BPS, 0);
        _register(c, _ids(licenceId));
        vm.startPrank(_treasury(p));
        licenses.updateOffer(p, 1, _derivativeTerms(ETH, LICENCE_PRICE, 5_000, 1 ether));
        licenses.setOnSale(p, 1, false);
        vm.stopPrank();
        assertEq(lineage.parentsOf(c)[0].shareBps, P_BPS, "the lineage keeps the share bought");
        _takeEth(c);
        vault.deposit{value: 1 ether}(c, ETH, 1 ether);
        (, uint256 pending) = vault.fromDerivatives(p, ETH);
        assertEq(pending, 0.2 ether, "P paid 20%, not 50%");
        assertEq(vault.totalDeposited(c, ETH), 0.8 ether, "C keeps 80%");
        _assertFloor(c, ETH, 0);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /// @dev G <- P (10%), P <- C (20%).
    function _chainGPC() private {
        _register(p, _ids(_derivativeLicence(g, G_BPS, 0)));
        _register(c, _ids(_derivativeLicence(p, P_BPS, 0)));
    }

    /// @dev G <- P (10%), P <- C (20%), P2 <- C (15%): three ancestors of C, on distinct routes.
    function _diamondless() private {
        _register(p, _ids(_derivativeLicence(g, G_BPS, 0)));
        _register(c, _ids(_derivativeLicence(p, P_BPS, 0), _derivativeLicence(p2, P2_BPS, 0)));
    }

    function _cuts(uint256 amount) private pure returns (uint256 cutP, uint256 cutG, uint256 cutP2) {
        cutP = (amount * P_BPS) / BPS;
        cutG = (cutP * G_BPS) / BPS;
        cutP2 = (amount * P2_BPS) / BPS;
    }

    /// @dev After a payment of `amount` into C (G <- P <- C, P2 <- C): each ancestor's stacked share set aside, C's
    /// rest split, nothing of the ancestors' split yet; then collected, the lineage split exactly `amount`.
    function _assertThreeAncestors(uint256[] memory before, uint256 amount, address token) private {
        (uint256 cutP, uint256 cutG, uint256 cutP2) = _cuts(amount);
        uint256[] memory delta = _delta(before, _state(token));
        assertEq(delta[0], cutG, "G: floor(P's cut * 10%)");
        assertEq(delta[1], cutP - cutG, "P: its cut less G's");
        assertEq(delta[2], cutP2, "P2: floor(amount * 15%)");
        assertEq(delta[3], amount - cutP - cutP2, "C: the rest");
        assertEq(delta[4] + delta[5] + delta[6], 0, "the ancestors split nothing before it is collected");
        _collectAll(token, before, amount);
    }

    /// @dev Anyone collects what G, P and P2 have waiting; each splits exactly that, and over the lineage what
    /// waits and what was split grew by `amount` since `before`.
    function _collectAll(address token, uint256[] memory before, uint256 amount) private {
        uint256[3] memory ancestors = [g, p, p2];
        for (uint256 i = 0; i < 3; ++i) {
            (, uint256 pending) = vault.fromDerivatives(ancestors[i], token);
            if (pending == 0) continue;
            uint256 split = vault.totalDeposited(ancestors[i], token);
            vm.prank(ERIN);
            assertEq(vault.collectFromDerivatives(ancestors[i], token), pending, "collects what waits");
            assertEq(vault.totalDeposited(ancestors[i], token) - split, pending, "and splits it");
        }
        uint256[] memory state = _state(token);
        assertEq(state[0] + state[1] + state[2], 0, "nothing left waiting");
        // What waited before the payment (ancestors' cuts of the set-up's licence sales) is collected too.
        assertEq(_sum(state) - _sum(before), amount, "summed over the lineage: what was paid");
    }

    function _sum(uint256[] memory values) private pure returns (uint256 total) {
        for (uint256 i = 0; i < values.length; ++i) total += values[i];
    }

    function _takeEth(uint256 id) private {
        _allow(id, ETH);
    }

    function _allow(uint256 id, address token) private {
        vm.prank(_treasury(id));
        vault.setPaymentToken(id, token, true);
    }

    /// @dev In `token`: what waits to be collected by G, P and P2, then what C, G, P and P2 split (totalDeposited).
    function _state(address token) private view returns (uint256[] memory values) {
        values = new uint256[](7);
        (, values[0]) = vault.fromDerivatives(g, token);
        (, values[1]) = vault.fromDerivatives(p, token);
        (, values[2]) = vault.fromDerivatives(p2, token);
        (values[3], values[4]) = (vault.totalDeposited(c, token), vault.totalDeposited(g, token));
        (values[5], values[6]) = (vault.totalDeposited(p, token), vault.totalDeposited(p2, token));
    }

    function _delta(uint256[] memory a, uint256[] memory b) private pure returns (uint256[] memory d) {
        d = new uint256[](a.length);
        for (uint256 i = 0; i < a.length; ++i) d[i] = b[i] - a[i];
    }

    /// @dev The vault's ParentPaid logs are exactly (children[i], parents[i], cuts[i]), in order.
    function _assertParentPaid(
        Vm.Log[] memory logs,
        uint256[] memory children,
        uint256[] memory parents,
        uint256[] memory cuts
    ) private view {
        uint256 n;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter != address(vault) || logs[i].topics[0] != IRevenueVault.ParentPaid.selector) continue;
            assertTrue(n < children.length, "no more ParentPaid than expected");
            assertEq(logs[i].topics[1], bytes32(children[n]), "ParentPaid: child");
            assertEq(logs[i].topics[2], bytes32(parents[n]), "ParentPaid: parent");
            assertEq(keccak256(logs[i].data), keccak256(abi.encode(cuts[n])), "ParentPaid: cut");
            ++n;
        }
        assertEq(n, children.length, "ParentPaid count");
    }

    function _depositedLog(Vm.Log[] memory logs, uint256 id) private view returns (Vm.Log memory found) {
        uint256 n;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter != address(vault) || logs[i].topics[0] != IRevenueVault.Deposited.selector) continue;
            if (logs[i].topics[1] != bytes32(id)) continue;
            found = logs[i];
            ++n;
        }
        assertEq(n, 1, "one Deposited for the model");
    }

    function _addresses(address a) private pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }
}
