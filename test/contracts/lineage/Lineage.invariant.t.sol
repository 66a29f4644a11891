// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {LineageFixture} from "./LineageFixture.sol";
import {LineageHandler} from "./LineageHandler.sol";

/**
 * @dev Invariants of a lineage's money. G <- P (10%, floor 0.01 ETH), P <- C (20%, floor 0.02 ETH), P2 <- C (15%),
 * P <- S (20%): three generations, a second parent and a sibling. Every model splits 25% to contributors (CAROL 1,
 * DAVE 3), 50% to holders (the five actors, 100 fractions each), 25% to its treasury. All take ETH and the ERC-20
 * except P2, which takes ETH only: its part of ERC-20 payments goes whole to its treasury when collected.
 *
 * Dust: a parent is given floor(amount * bps / 10000) of each payment into its child, so it gets less than
 * its exact share by under one wei per payment (per link; a grandparent's share is taken of its child's floored
 * cut); the derivative keeps those remainders, so nothing is lost: summed over the lineage, what was split plus
 * what waits to be collected is exactly what was paid in. Within each model the split rounds as in the revenue
 * vault: under one wei per holder and per contributor, plus the holders' carry, may be owed to nobody yet
 * (DUST_PER_MODEL). What waits to be collected is owed to its model exactly.
 */
contract LineageInvariantTest is LineageFixture {
    /// @dev < 1 wei per holder (5) and per contributor (2), and the holders' carry (< 1 wei).
    uint256 internal constant DUST_PER_MODEL = 8;

    LineageHandler internal handler;
    uint256[5] internal ids;

    function setUp() public {
        _deployLineageFixture();
        for (uint256 m = 0; m < 5; ++m) {
            vm.prank(creator);
            (ids[m], ) = registry.registerModel(_registration(_single(creator)));
        }
        (uint256 g, uint256 p, uint256 p2, uint256 c, uint256 s) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
        _addOffer(g, _derivativeTerms(ETH, LICENCE_PRICE, 1_000, 0.01 ether));
        _addOffer(g, _plainTerms(address(usd), 5e6));
        _register(p, _ids(_buy(g, 1, creator)));
        _addOffer(p, _derivativeTerms(ETH, LICENCE_PRICE, 2_000, 0.02 ether));
        (uint256 forC, uint256 forS) = (_buy(p, 1, creator), _buy(p, 1, creator));
        _addOffer(p2, _derivativeTerms(ETH, LICENCE_PRICE, 1_500, 0));
        _register(c, _ids(forC, _buy(p2, 1, creator)));
        _register(s, _ids(forS));
        // The creator registered the lineage holding every fraction; now it hands them to the five actors.
        address[] memory actors = _five();
        for (uint256 m = 0; m < 5; ++m) {
            for (uint256 a = 0; a < actors.length; ++a) {
                vm.prank(creator);
                shares.safeTransferFrom(creator, actors[a], ids[m], 20, "");
            }
        }
        _addOffer(c, _plainTerms(ETH, 0.05 ether));
        _addOffer(s, _plainTerms(ETH, 0.03 ether));
        address[] memory contributors = new address[](2);
        (contributors[0], contributors[1]) = (CAROL, DAVE);
        for (uint256 m = 0; m < 5; ++m) {
            vm.startPrank(_treasury(ids[m]));
            if (ids[m] != p2) vault.setPaymentToken(ids[m], address(usd), true);
            vault.setSplit(ids[m], 2_500, 5_000);
            vault.setContributors(ids[m], contributors, _ids(1, 3));
            vm.stopPrank();
        }
        _deployHandler();
    }

    function _deployHandler() private {
        uint256[] memory links = new uint256[](12);
        (links[0], links[1], links[2]) = (1, 0, 1_000); // P <- G
        (links[3], links[4], links[5]) = (3, 1, 2_000); // C <- P
        (links[6], links[7], links[8]) = (3, 2, 1_500); // C <- P2
        (links[9], links[10], links[11]) = (4, 1, 2_000); // S <- P
        handler = new LineageHandler(
            vault,
            licenses,
            shares,
            address(usd),
            ids,
            _five(),
            links,
            [true, true, false, true, true]
        );
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Money in == the sum over the lineage of what each model split and what waits to be collected.
    function invariant_lineageAccountsForExactlyWhatWasPaidIn() public view {
        for (uint256 t = 0; t < 2; ++t) {
            uint256 sum;
            for (uint256 m = 0; m < 5; ++m) {
                (, uint256 pending) = vault.fromDerivatives(ids[m], handler.token(t));
                sum += vault.totalDeposited(ids[m], handler.token(t)) + pending;
            }
            assertEq(sum, handler.moneyIn(t), "sum of totalDeposited + pending over the lineage == money in");
        }
    }

    /// @dev Each model was set aside exactly what the floor formula, stacked up the lineage, gives it, and split
    /// exactly what it kept of payments into it and collected: so each parent received exactly its stacked share.
    function invariant_eachModelGetsItsStackedShare() public view {
        for (uint256 m = 0; m < 5; ++m) {
            for (uint256 t = 0; t < 2; ++t) {
                (uint256 total, uint256 pending) = vault.fromDerivatives(ids[m], handler.token(t));
                assertEq(total, handler.setAside(m, t), "set aside: the stacked share");
                assertEq(pending, handler.setAside(m, t) - handler.collected(m, t), "pending: not yet collected");
                assertEq(vault.totalDeposited(ids[m], handler.token(t)), handler.split(m, t), "split");
            }
        }
    }

    /// @dev Over each link, the parent's cuts fall short of its exact share by less than one wei per payment.
    function invariant_parentCutsFloorTheExactShare() public view {
        for (uint256 child = 0; child < 5; ++child) {
            for (uint256 i = 0; i < handler.parentCount(child); ++i) {
                (, uint256 bps) = handler.link(child, i);
                for (uint256 t = 0; t < 2; ++t) {
                    (uint256 paidIn, uint256 cut, uint256 payments) = handler.links(child, i, t);
                    uint256 exact = paidIn * bps; // the exact share, times 10000
                    assertLe(cut * BPS, exact, "a parent never gets more than its share");
                    assertLe(exact - cut * BPS, payments * BPS, "under 1 wei per payment");
                }
            }
        }
    }

    /// @dev Per token, the vault holds exactly money in less money out, which covers everything owed across the
    /// lineage (what waits to be collected included) and exceeds it by rounding dust only; per model, paid + owed
    /// == split, less dust.
    function invariant_vaultHoldsWhatIsOwed() public view {
        address[] memory actors = handler.actorList();
        for (uint256 t = 0; t < 2; ++t) {
            address token = handler.token(t);
            uint256 balance = token == ETH ? address(vault).balance : IERC20(token).balanceOf(address(vault));
            assertEq(balance, handler.moneyIn(t) - handler.moneyOut(t), "balance == in - out");
            uint256 owedAll;
            for (uint256 m = 0; m < 5; ++m) {
                uint256 owed = _owed(ids[m], token, actors);
                uint256 split = vault.totalDeposited(ids[m], token);
                uint256 paid = handler.paidOut(m, t);
                assertLe(paid + owed, split, "paid + owed <= split");
                assertLe(split - paid - owed, DUST_PER_MODEL, "split - paid - owed <= dust");
                (, uint256 pending) = vault.fromDerivatives(ids[m], token);
                owedAll += owed + pending;
            }
            assertLe(owedAll, balance, "balance covers everything owed");
            assertLe(balance - owedAll, 5 * DUST_PER_MODEL, "balance - owed <= dust");
        }
    }

    /// @dev Every handler action can act (none is vacuous), and the invariants hold after each.
    function test_handlerActions_eachMoveMoney() public {
        handler.deposit(3, 0, 1 ether + 7);
        handler.deposit(3, 1, 123_456_789);
        handler.deposit(4, 1, 999);
        handler.buyLicence(3, 0, 0);
        handler.buyLicence(0, 1, 1); // G's USD offer
        handler.payRoyalty(3, 0, 0.5 ether + 3);
        handler.collectRoyalties(3, 0);
        handler.collectFromDerivatives(1, 0); // P collects C's ETH cut
        handler.collectFromDerivatives(2, 1); // P2 collects its ERC-20 cut, whole to its treasury
        handler.warp(3 days);
        handler.transfer(3, 0, 1, 50);
        handler.warp(5 days);
        handler.claim(3, 0, 0);
        handler.claim(0, 1, 1);
        handler.release(1, 0, 3); // DAVE, contributor of P
        handler.releaseTreasury(2, 1); // P2's treasury: its part of ERC-20 payments
        handler.releaseTreasury(0, 0);
        bytes32[10] memory actions = [
            bytes32("deposit"),
            "buy",
            "royalty",
            "collect",
            "collectFromDerivatives",
            "warp",
            "transfer",
            "claim",
            "release",
            "releaseTreasury"
        ];
        for (uint256 i = 0; i < actions.length; ++i) assertTrue(handler.done(actions[i]) != 0, "action happened");
        assertTrue(handler.moneyOut(0) != 0 && handler.moneyOut(1) != 0, "money went out in both tokens");
        invariant_lineageAccountsForExactlyWhatWasPaidIn();
        invariant_eachModelGetsItsStackedShare();
        invariant_parentCutsFloorTheExactShare();
        invariant_vaultHoldsWhatIsOwed();
    }

    function _owed(uint256 id, address token, address[] memory actors) private view returns (uint256 owed) {
        (uint256 locked, , ) = vault.unlocking(id, token); // holders' revenue still unlocking
        owed = vault.treasuryReleasable(id, token) + locked;
        for (uint256 i = 0; i < actors.length; ++i) {
            owed += vault.claimable(id, token, actors[i]) + vault.releasable(id, token, actors[i]);
        }
    }
}
