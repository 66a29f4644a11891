// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRevenueVault} from "../../../contracts/interfaces/IRevenueVault.sol";
import {Vm} from "../utils/Test.sol";
import {LineageFixture} from "./LineageFixture.sol";

/**
 * @dev What a registered lineage does to money. Lineage: G <- P (10%), P <- C (20%), P2 <- C (15%); C with one,
 * two or three ancestors depending on the test. Every payment into C (deposit, a licence of C, royalties
 * collected) credits each parent exactly floor(amount * bps / 10000), as a payment into the parent that pays the
 * grandparent floor(cut * bps / 10000) in turn; C splits the rest. Nothing a parent's DAO does later changes it.
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
        uint256[] memory before = _deposited(ETH);
        vm.recordLogs();
        vault.deposit{value: amount}(c, ETH, amount);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256[] memory delta = _delta(before, _deposited(ETH));
        assertEq(delta[1], cut, "P: floor(amount * 20%)");
        assertEq(delta[3], amount - cut, "C splits the rest");
        assertEq(delta[0] + delta[2], 0, "nobody else");
        if (cut != 0) _assertParentPaid(logs, _ids(c), _ids(p), _ids(cut));
        else _assertParentPaid(logs, new uint256[](0), new uint256[](0), new uint256[](0));
    }

    function testFuzz_deposit_twoAncestors(uint256 amount) public {
        amount = bound(amount, 1, 1e30);
        _chainGPC();
        uint256 cutP = (amount * P_BPS) / BPS;
        uint256 cutG = (cutP * G_BPS) / BPS;
        _takeEth(c);
        vm.deal(address(this), amount);
        uint256[] memory before = _deposited(ETH);
        vm.recordLogs();
        vault.deposit{value: amount}(c, ETH, amount);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256[] memory delta = _delta(before, _deposited(ETH));
        assertEq(delta[0], cutG, "G: floor(P's cut * 10%)");
        assertEq(delta[1], cutP - cutG, "P keeps its cut less G's");
        assertEq(delta[3], amount - cutP, "C splits the rest");
        assertEq(delta[0] + delta[1] + delta[2] + delta[3], amount, "the lineage split exactly what was paid");
        if (cutG != 0) _assertParentPaid(logs, _ids(c, p), _ids(p, g), _ids(cutP, cutG));
        else if (cutP != 0) _assertParentPaid(logs, _ids(c), _ids(p), _ids(cutP));
    }

    function testFuzz_deposit_threeAncestors(uint256 amount) public {
        amount = bound(amount, 1, 1e30);
        _diamondless();
        (uint256 cutP, uint256 cutG, uint256 cutP2) = _cuts(amount);
        _takeEth(c);
        vm.deal(address(this), amount);
        uint256[] memory before = _deposited(ETH);
        vault.deposit{value: amount}(c, ETH, amount);
        _assertThreeAncestors(before, amount, cutP, cutG, cutP2, ETH);
    }

    /// @dev Exact figures for one deposit of 1 ETH + 7 wei, the floors visible.
    function test_deposit_threeAncestors_exactFigures() public {
        _diamondless();
        _takeEth(c);
        uint256 amount = 1 ether + 7;
        uint256[] memory before = _deposited(ETH);
        vm.recordLogs();
        vault.deposit{value: amount}(c, ETH, amount);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        // P: floor((1e18 + 7) * 0.2) = 2e17 + 1; G: floor((2e17 + 1) * 0.1) = 2e16; P2: floor((1e18 + 7) * 0.15)
        // = 15e16 + 1; C: the rest, 65e16 + 5.
        _assertParentPaid(logs, _ids(c, p, c), _ids(p, g, p2), _ids(2e17 + 1, 2e16, 15e16 + 1));
        uint256[] memory delta = _delta(before, _deposited(ETH));
        assertEq(delta[0], 2e16, "G");
        assertEq(delta[1], 18e16 + 1, "P");
        assertEq(delta[2], 15e16 + 1, "P2");
        assertEq(delta[3], 65e16 + 5, "C");
        assertEq(keccak256(_depositedLog(logs, c).data), keccak256(abi.encode(65e16 + 5, 0, 0, 65e16 + 5)), "C");
    }

    /// @dev A payment too small for a parent's floor to reach one wei pays that parent nothing: C keeps it.
    function test_deposit_dust_staysWithTheDerivative() public {
        _diamondless();
        _takeEth(c);
        uint256[] memory before = _deposited(ETH);
        vm.recordLogs();
        vault.deposit{value: 6}(c, ETH, 6); // P: floor(1.2) = 1, G: floor(0.1) = 0, P2: floor(0.9) = 0
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256[] memory delta = _delta(before, _deposited(ETH));
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
        (uint256 cutP, uint256 cutG, uint256 cutP2) = _cuts(price);
        uint256[] memory before = _deposited(ETH);
        _buy(c, offerId, CAROL);
        _assertThreeAncestors(before, price, cutP, cutG, cutP2, ETH);
    }

    function test_licencePurchaseInAnErc20_paysTheAncestorsInIt() public {
        _diamondless();
        _allow(g, address(usd));
        _allow(p, address(usd));
        _allow(p2, address(usd));
        uint256 price = 123_456_789;
        uint256 offerId = _addOffer(c, _plainTerms(address(usd), uint128(price)));
        (uint256 cutP, uint256 cutG, uint256 cutP2) = _cuts(price);
        uint256[] memory before = _deposited(address(usd));
        _buy(c, offerId, CAROL);
        _assertThreeAncestors(before, price, cutP, cutG, cutP2, address(usd));
        assertEq(usd.balanceOf(address(vault)), price, "the vault holds exactly the price");
    }

    function test_collectRoyalties_paysTheAncestors() public {
        _diamondless();
        _takeEth(c);
        uint256 royalty = 0.77 ether + 3;
        (bool ok, ) = payable(vault.royaltyReceiverOf(c)).call{value: royalty}("");
        assertTrue(ok, "royalty paid to C's receiver");
        (uint256 cutP, uint256 cutG, uint256 cutP2) = _cuts(royalty);
        uint256[] memory before = _deposited(ETH);
        assertEq(vault.collectRoyalties(c, ETH), royalty, "collected");
        _assertThreeAncestors(before, royalty, cutP, cutG, cutP2, ETH);
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

    // --- parents that do not take the token ------------------------------------------------------------------

    /// @dev C is paid in USD; P takes only ETH (from selling its licence); G takes USD and splits it. P's part goes
    /// whole to its treasury, after G is paid its share of P's cut.
    function test_parentWithoutTheToken_treasuryTakesItsPart_grandparentStillPaid() public {
        _chainGPC();
        vm.startPrank(_treasury(g));
        vault.setPaymentToken(g, address(usd), true);
        vault.setSplit(g, 0, 5_000);
        vm.stopPrank();
        _allow(c, address(usd));
        uint256 amount = 1_000_000_007;
        uint256 cutP = (amount * P_BPS) / BPS;
        uint256 cutG = (cutP * G_BPS) / BPS;
        usd.mint(address(this), amount);
        usd.approve(address(vault), amount);
        vm.recordLogs();
        vault.deposit(c, address(usd), amount);
        Vm.Log memory pDeposit = _depositedLog(vm.getRecordedLogs(), p);
        assertEq(keccak256(pDeposit.data), keccak256(abi.encode(cutP - cutG, 0, 0, cutP - cutG)), "P: all to treasury");
        assertEq(vault.treasuryReleasable(p, address(usd)), cutP - cutG, "P's treasury owed its part");
        assertEq(vault.totalDeposited(p, address(usd)), cutP - cutG, "P credited its part");
        assertEq(vault.totalDeposited(g, address(usd)), cutG, "G paid its share of P's cut");
        (uint256 locked, , ) = vault.unlocking(g, address(usd));
        assertEq(locked, cutG / 2, "G split it: half to its holders");
        assertEq(vault.totalDeposited(c, address(usd)), amount - cutP, "C the rest");
        vault.releaseTreasury(p, address(usd));
        assertEq(usd.balanceOf(_treasury(p)), cutP - cutG, "P's treasury released it");
        assertEq(vault.treasuryReleasable(p, address(usd)), 0, "nothing left owed");
    }

    /// @dev No ancestor takes USD: every part lands in its treasury, and the vault still owes exactly what it holds.
    function test_noAncestorTakesTheToken_everyTreasuryOwedItsPart() public {
        _diamondless();
        _allow(c, address(usd));
        uint256 amount = 999_999;
        (uint256 cutP, uint256 cutG, uint256 cutP2) = _cuts(amount);
        usd.mint(address(this), amount);
        usd.approve(address(vault), amount);
        vault.deposit(c, address(usd), amount);
        assertEq(vault.treasuryReleasable(g, address(usd)), cutG, "G's treasury");
        assertEq(vault.treasuryReleasable(p, address(usd)), cutP - cutG, "P's treasury");
        assertEq(vault.treasuryReleasable(p2, address(usd)), cutP2, "P2's treasury");
        assertEq(vault.treasuryReleasable(c, address(usd)), amount - cutP - cutP2, "C's treasury (default split)");
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
        uint256 before = vault.totalDeposited(p, ETH);
        vault.deposit{value: 1 ether}(c, ETH, 1 ether);
        assertEq(vault.totalDeposited(p, ETH) - before, 0.2 ether, "P paid 20%, not 50%");
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

    function _assertThreeAncestors(
        uint256[] memory before,
        uint256 amount,
        uint256 cutP,
        uint256 cutG,
        uint256 cutP2,
        address token
    ) private view {
        uint256[] memory delta = _delta(before, _deposited(token));
        assertEq(delta[0], cutG, "G: floor(P's cut * 10%)");
        assertEq(delta[1], cutP - cutG, "P: its cut less G's");
        assertEq(delta[2], cutP2, "P2: floor(amount * 15%)");
        assertEq(delta[3], amount - cutP - cutP2, "C: the rest");
        assertEq(delta[0] + delta[1] + delta[2] + delta[3], amount, "summed over the lineage: what was paid");
    }

    function _takeEth(uint256 id) private {
        _allow(id, ETH);
    }

    function _allow(uint256 id, address token) private {
        vm.prank(_treasury(id));
        vault.setPaymentToken(id, token, true);
    }

    /// @dev totalDeposited of G, P, P2 and C in `token`.
    function _deposited(address token) private view returns (uint256[] memory values) {
        values = new uint256[](4);
        (values[0], values[1]) = (vault.totalDeposited(g, token), vault.totalDeposited(p, token));
        (values[2], values[3]) = (vault.totalDeposited(p2, token), vault.totalDeposited(c, token));
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
