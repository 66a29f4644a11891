// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IFractionSales} from "../../../contracts/interfaces/IFractionSales.sol";
import {FeeOnTransferToken} from "../../../contracts/mocks/tokens/FeeOnTransferToken.sol";
import {Vm} from "../utils/Test.sol";
import {FractionSalesFixture} from "./FractionSalesFixture.sol";

/// @dev Sales of treasury fractions: prices, payments, what moves where, who may open and stop, and every bad
/// input refused with its error and nothing moved (bad input: FractionSales.inputs.t.sol).
contract FractionSalesTest is FractionSalesFixture {
    function setUp() public {
        _deploySales();
    }

    // ----- open -----

    function test_open_numbersSalesFromOneAndKeepsTheirTerms() public {
        IFractionSales.SaleTerms memory first = _fixed(ETH, 0.01 ether, 100);
        IFractionSales.SaleTerms memory second = _terms(
            address(usd),
            5e6,
            2e6,
            40,
            block.timestamp + 1 days,
            block.timestamp + 3 days
        );
        assertEq(_open(first), 1, "first id");
        vm.recordLogs();
        assertEq(_open(second), 2, "second id");
        assertEq(sales.saleCount(), 2, "count");

        IFractionSales.SaleTerms memory kept = sales.sale(2);
        assertEq(kept.modelId, modelId, "modelId");
        assertEq(kept.token, address(usd), "token");
        assertEq(kept.startPrice, 5e6, "startPrice");
        assertEq(kept.endPrice, 2e6, "endPrice");
        assertEq(kept.amount, 40, "amount");
        assertEq(kept.startsAt, block.timestamp + 1 days, "startsAt");
        assertEq(kept.endsAt, block.timestamp + 3 days, "endsAt");
        _assertSaleState(2, 0, 0, false);

        Vm.Log memory log = _onlyLog(IFractionSales.SaleOpened.selector);
        assertEq(log.topics[1], bytes32(uint256(2)), "saleId topic");
        assertEq(log.topics[2], bytes32(modelId), "modelId topic");
        assertEq(log.topics[3], bytes32(uint256(uint160(address(usd)))), "token topic");
        assertEq(keccak256(log.data), keccak256(abi.encode(second)), "terms in the event");
    }

    function test_open_movesNothing() public {
        _open(_fixed(ETH, 0.01 ether, 100));
        assertEq(_fractions(treasury), TREASURY_FRACTIONS, "treasury keeps its fractions");
        assertEq(_fractions(address(sales)), 0, "the sale holds none");
    }

    // ----- buy at a fixed price -----

    function test_buy_fixedPriceEth_paysTreasuryAndMovesFractions() public {
        uint256 saleId = _open(_fixed(ETH, 0.01 ether, 100));
        uint256 supply = votes.votableSupply();
        vm.prank(CAROL);
        uint256 cost = sales.buy{value: 0.1 ether}(saleId, 10, 0.01 ether, CAROL);
        assertEq(cost, 0.1 ether, "cost");
        assertEq(CAROL.balance, 99.9 ether, "buyer paid the cost");
        assertEq(treasury.balance, 0.1 ether, "proceeds at the treasury");
        assertEq(address(sales).balance, 0, "nothing held");
        assertEq(_fractions(CAROL), 10, "buyer fractions");
        assertEq(_fractions(treasury), TREASURY_FRACTIONS - 10, "treasury fractions");
        assertEq(votes.getVotes(CAROL), 10, "bought fractions vote");
        assertEq(votes.votableSupply(), supply + 10, "votable supply grows by what left the treasury");
        _assertSaleState(saleId, 10, 0.1 ether, false);
    }

    function test_buy_fixedPriceErc20_pullsCostToTreasury() public {
        uint256 saleId = _open(_fixed(address(usd), 5e6, 100));
        uint256 before = usd.balanceOf(CAROL);
        vm.prank(CAROL);
        uint256 cost = sales.buy(saleId, 4, 5e6, CAROL);
        assertEq(cost, 20e6, "cost");
        assertEq(usd.balanceOf(CAROL), before - 20e6, "buyer paid");
        assertEq(usd.balanceOf(treasury), 20e6, "proceeds at the treasury");
        assertEq(usd.balanceOf(address(sales)), 0, "nothing held");
        assertEq(_fractions(CAROL), 4, "buyer fractions");
        _assertSaleState(saleId, 4, 20e6, false);
    }

    function test_buy_returnsExcessEthToCaller() public {
        uint256 saleId = _open(_fixed(ETH, 0.01 ether, 100));
        vm.prank(CAROL);
        sales.buy{value: 3 ether}(saleId, 10, 0.02 ether, CAROL);
        assertEq(CAROL.balance, 99.9 ether, "only the cost left the buyer");
        assertEq(treasury.balance, 0.1 ether, "treasury got the cost");
        assertEq(address(sales).balance, 0, "nothing held");
    }

    function test_buy_forAnotherAddress_emitsFractionsBought() public {
        uint256 saleId = _open(_fixed(ETH, 0.01 ether, 100));
        vm.recordLogs();
        vm.prank(CAROL);
        sales.buy{value: 0.05 ether}(saleId, 5, 0.01 ether, DAVE);
        assertEq(_fractions(DAVE), 5, "recipient got the fractions");
        assertEq(_fractions(CAROL), 0, "payer got none");
        Vm.Log memory log = _onlyLog(IFractionSales.FractionsBought.selector);
        assertEq(log.topics[1], bytes32(saleId), "saleId topic");
        assertEq(log.topics[2], bytes32(uint256(uint160(CAROL))), "buyer topic");
        assertEq(log.topics[3], bytes32(uint256(uint160(DAVE))), "to topic");
        assertEq(keccak256(log.data), keccak256(abi.encode(5, 0.01 ether, 0.05 ether)), "amount, price, paid");
    }

    // ----- descending price -----

    /// @dev 1 ETH falling to 0.4 ETH over 3 days (259,200 s) from an hour from now; exact figures at each moment.
    function test_currentPrice_descendingSchedule() public {
        uint256 start = block.timestamp + 1 hours;
        uint256 saleId = _open(_terms(ETH, 1 ether, 0.4 ether, 100, start, start + 3 days));
        assertEq(sales.currentPrice(saleId), 1 ether, "before the start: startPrice");
        vm.warp(start);
        assertEq(sales.currentPrice(saleId), 1 ether, "at the start");
        vm.warp(start + 1);
        // Exactly 0.999997685185185185185... ETH, rounded up.
        assertEq(sales.currentPrice(saleId), 999_997_685_185_185_186, "one second in, rounded up");
        vm.warp(start + 1 days);
        assertEq(sales.currentPrice(saleId), 0.8 ether, "a third of the way");
        vm.warp(start + 36 hours);
        assertEq(sales.currentPrice(saleId), 0.7 ether, "half way");
        vm.warp(start + 3 days - 1);
        assertEq(sales.currentPrice(saleId), 400_002_314_814_814_815, "a second before the end, rounded up");
        vm.warp(start + 3 days);
        assertEq(sales.currentPrice(saleId), 0.4 ether, "at the end: endPrice");
        vm.warp(start + 30 days);
        assertEq(sales.currentPrice(saleId), 0.4 ether, "long after");
    }

    /// @dev 10 falling to 1 over 4 s: the exact 7.75 and 5.5 are charged as 8 and 6.
    function test_currentPrice_roundsUpInSellersFavour() public {
        uint256 saleId = _open(_terms(ETH, 10, 1, 100, block.timestamp, block.timestamp + 4));
        uint256 t = block.timestamp;
        uint256[5] memory expected = [uint256(10), 8, 6, 4, 1];
        for (uint256 i = 0; i < 5; ++i) {
            vm.warp(t + i);
            assertEq(sales.currentPrice(saleId), expected[i], "price at each second");
        }
    }

    function test_buy_descending_chargesThePriceOfItsBlock() public {
        uint256 start = block.timestamp;
        uint256 saleId = _open(_terms(ETH, 1 ether, 0.4 ether, 100, start, start + 3 days));
        vm.warp(start + 1 days);
        vm.prank(CAROL);
        uint256 cost = sales.buy{value: 3 ether}(saleId, 3, 1 ether, CAROL);
        assertEq(cost, 2.4 ether, "3 x 0.8 ETH");
        assertEq(treasury.balance, 2.4 ether, "treasury");
        assertEq(CAROL.balance, 97.6 ether, "excess returned");
        vm.warp(start + 36 hours);
        vm.prank(CAROL);
        cost = sales.buy{value: 0.7 ether}(saleId, 1, 0.7 ether, CAROL);
        assertEq(cost, 0.7 ether, "later is cheaper");
        _assertSaleState(saleId, 4, 3.1 ether, false);
    }

    /// @dev Over any schedule, the price stays within [endPrice, startPrice], never rises, and is never below the
    /// exact linear price.
    function testFuzz_currentPrice_boundedFallingRoundedUp(
        uint128 startPrice,
        uint128 endPrice,
        uint32 duration,
        uint32 a,
        uint32 b
    ) public {
        endPrice = uint128(bound(endPrice, 1, type(uint128).max));
        startPrice = uint128(bound(startPrice, endPrice, type(uint128).max));
        duration = uint32(bound(duration, 1, 365 days));
        uint256 start = block.timestamp + 1;
        uint256 saleId = _open(_terms(ETH, startPrice, endPrice, 1, start, start + duration));
        (uint256 early, uint256 late) = a < b ? (uint256(a), uint256(b)) : (uint256(b), uint256(a));
        early = bound(early, 0, uint256(duration) + 10);
        late = bound(late, early, uint256(duration) + 10);
        vm.warp(start + early);
        uint256 first = sales.currentPrice(saleId);
        vm.warp(start + late);
        uint256 second = sales.currentPrice(saleId);
        assertLe(second, first, "never rises");
        assertLe(endPrice, second, "at least endPrice");
        assertLe(first, startPrice, "at most startPrice");
        uint256 elapsed = late < duration ? late : duration;
        // price * duration >= startPrice * duration - (startPrice - endPrice) * elapsed
        assertLe(
            uint256(startPrice) * duration - uint256(startPrice - endPrice) * elapsed,
            second * duration,
            "not below the exact linear price"
        );
    }

    // ----- votes and revenue follow the fractions -----

    /// @dev A buyer votes with what it bought and earns revenue from then on, and nothing of revenue that
    /// arrived before it held.
    function test_buy_buyerVotesAndEarnsOnlyLaterRevenue() public {
        vm.startPrank(treasury);
        vault.setPaymentToken(modelId, ETH, true);
        vault.setSplit(modelId, 0, 10_000);
        vm.stopPrank();
        uint256 saleId = _open(_terms(ETH, 0.01 ether, 0.01 ether, 100, block.timestamp, block.timestamp + 60 days));
        vm.deal(address(this), 10 ether);
        vault.deposit{value: 4 ether}(modelId, ETH, 4 ether);
        // The vault unlocks holder revenue over 7 days to whoever holds meanwhile (its defence against borrowed
        // fractions), so "before she held" means before the buy and unlocked by then.
        vm.warp(block.timestamp + 8 days);
        vm.prank(CAROL);
        sales.buy{value: 1 ether}(saleId, 100, 0.01 ether, CAROL);
        assertEq(votes.getVotes(CAROL), 100, "votes follow the fractions");
        assertEq(votes.votableSupply(), 300, "alice, bob and carol");
        assertEq(vault.claimable(modelId, ETH, CAROL), 0, "nothing of earlier revenue at once");
        uint256 alice = vault.claimable(modelId, ETH, ALICE);
        assertLe(2 ether - alice, 1, "alice keeps half of what arrived before (to the wei)");
        vm.warp(block.timestamp + 30 days);
        assertEq(vault.claimable(modelId, ETH, CAROL), 0, "nor later: it arrived before she held");
        assertEq(vault.claimable(modelId, ETH, ALICE), alice, "alice's share unchanged by the sale");

        vault.deposit{value: 3 ether}(modelId, ETH, 3 ether);
        vm.warp(block.timestamp + 30 days);
        assertLe(1 ether - vault.claimable(modelId, ETH, CAROL), 1, "a third of later revenue (to the wei)");
    }

    // ----- stop, sold out, price guard -----

    function test_stop_byTreasury_endsTheSaleAndUnsoldStay() public {
        uint256 saleId = _open(_fixed(ETH, 0.01 ether, 100));
        vm.prank(CAROL);
        sales.buy{value: 0.3 ether}(saleId, 30, 0.01 ether, CAROL);
        vm.recordLogs();
        vm.prank(treasury);
        sales.stop(saleId);
        Vm.Log memory log = _onlyLog(IFractionSales.SaleStopped.selector);
        assertEq(log.topics[1], bytes32(saleId), "saleId topic");
        assertEq(abi.decode(log.data, (uint256)), 30, "sold in the event");
        _assertSaleState(saleId, 30, 0.3 ether, true);
        assertEq(_fractions(treasury), TREASURY_FRACTIONS - 30, "unsold never left the treasury");

        (uint256 startsAt, uint256 endsAt) = (block.timestamp, block.timestamp + 7 days);
        Snapshot memory before = _snap();
        vm.expectRevert(
            abi.encodeWithSelector(IFractionSales.FractionSalesNotActive.selector, saleId, startsAt, endsAt, true)
        );
        vm.prank(CAROL);
        sales.buy{value: 0.01 ether}(saleId, 1, 0.01 ether, CAROL);
        _assertUnchanged(before);
    }

    function test_stop_beforeStartOrAfterEnd_isAllowedOnce() public {
        uint256 early = _open(_terms(ETH, 1, 1, 10, block.timestamp + 1 days, block.timestamp + 2 days));
        uint256 ended = _open(_terms(ETH, 1, 1, 10, block.timestamp, block.timestamp + 1 hours));
        vm.warp(block.timestamp + 2 hours);
        vm.startPrank(treasury);
        sales.stop(early);
        sales.stop(ended);
        vm.stopPrank();
        _assertSaleState(early, 0, 0, true);
        _assertSaleState(ended, 0, 0, true);
    }

    function test_buy_soldOut() public {
        uint256 saleId = _open(_fixed(ETH, 1 gwei, 10));
        vm.startPrank(CAROL);
        sales.buy{value: 7 gwei}(saleId, 7, 1 gwei, CAROL);
        Snapshot memory before = _snap();
        vm.expectRevert(abi.encodeWithSelector(IFractionSales.FractionSalesSoldOut.selector, saleId, 4, 3));
        sales.buy{value: 4 gwei}(saleId, 4, 1 gwei, CAROL);
        _assertUnchanged(before);
        sales.buy{value: 3 gwei}(saleId, 3, 1 gwei, CAROL);
        vm.expectRevert(abi.encodeWithSelector(IFractionSales.FractionSalesSoldOut.selector, saleId, 1, 0));
        sales.buy{value: 1 gwei}(saleId, 1, 1 gwei, CAROL);
        vm.stopPrank();
        _assertSaleState(saleId, 10, 10 gwei, false);
        assertEq(_fractions(CAROL), 10, "all ten sold");
    }

    function test_buy_maxPriceGuard_refusesUntilThePriceFalls() public {
        uint256 start = block.timestamp;
        uint256 saleId = _open(_terms(ETH, 1 ether, 0.4 ether, 100, start, start + 3 days));
        Snapshot memory before = _snap();
        vm.expectRevert(abi.encodeWithSelector(IFractionSales.FractionSalesPriceAboveMax.selector, 1 ether, 0.8 ether));
        vm.prank(CAROL);
        sales.buy{value: 0.8 ether}(saleId, 1, 0.8 ether, CAROL);
        _assertUnchanged(before);
        vm.warp(start + 1 days - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFractionSales.FractionSalesPriceAboveMax.selector,
                800_002_314_814_814_815,
                0.8 ether
            )
        );
        vm.prank(CAROL);
        sales.buy{value: 0.8 ether}(saleId, 1, 0.8 ether, CAROL);
        vm.warp(start + 1 days);
        vm.prank(CAROL);
        assertEq(sales.buy{value: 0.8 ether}(saleId, 1, 0.8 ether, CAROL), 0.8 ether, "bought once at the max");
    }

    function test_buy_feeOnTransferToken_refused() public {
        FeeOnTransferToken fee = new FeeOnTransferToken(100); // 1% burnt on every transfer
        fee.mint(CAROL, 1000e18);
        vm.prank(CAROL);
        fee.approve(address(sales), type(uint256).max);
        uint256 saleId = _open(_fixed(address(fee), 1e18, 100));
        Snapshot memory before = _snap();
        vm.expectRevert(
            abi.encodeWithSelector(IFractionSales.FractionSalesUnderpaid.selector, address(fee), 10e18, 9.9e18)
        );
        vm.prank(CAROL);
        sales.buy(saleId, 10, 1e18, CAROL);
        _assertUnchanged(before);
        assertEq(fee.balanceOf(CAROL), 1000e18, "buyer kept its tokens");
        assertEq(fee.balanceOf(treasury), 0, "treasury got nothing");
        _assertSaleState(saleId, 0, 0, false);
    }

    function _onlyLog(bytes32 topic0) private returns (Vm.Log memory found) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 n;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(sales) && logs[i].topics[0] == topic0) {
                found = logs[i];
                ++n;
            }
        }
        assertEq(n, 1, "exactly one such event");
    }
}
