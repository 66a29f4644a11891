// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {FractionSales} from "../../../contracts/funding/FractionSales.sol";
import {IFractionSales} from "../../../contracts/interfaces/IFractionSales.sol";
import {TestToken} from "../../../contracts/mocks/tokens/TestToken.sol";
import {ModelShares} from "../../../contracts/token/ModelShares.sol";
import {Test} from "../utils/Test.sol";
import {FractionSalesFixture} from "./FractionSalesFixture.sol";

/// @dev Fuzzed openings, buys (ETH with random excess, and a 6-decimal ERC-20), stops and time warps over up to
/// eight sales of one treasury; ghosts count what each sale was paid.
contract FractionSalesHandler is Test {
    uint256 internal constant MAX_SALES = 8;

    FractionSales internal immutable sales;
    ModelShares internal immutable shares;
    TestToken internal immutable usd;
    uint256 internal immutable modelId;
    address internal immutable treasury;
    address[3] internal buyers = [address(0xB001), address(0xB002), address(0xB003)];

    /// @dev The handler's clock: every action runs at it, whether or not the runner keeps warps between calls.
    uint256 public time;
    mapping(uint256 saleId => uint256) public paid;
    uint256 public buys;
    uint256 public stops;

    constructor(FractionSales sales_, ModelShares shares_, TestToken usd_, uint256 modelId_, address treasury_) {
        (sales, shares, usd, modelId, treasury) = (sales_, shares_, usd_, modelId_, treasury_);
        time = block.timestamp;
        for (uint256 i = 0; i < buyers.length; ++i) {
            vm.deal(buyers[i], 1_000 ether);
            usd.mint(buyers[i], 1e15);
            vm.prank(buyers[i]);
            usd.approve(address(sales), type(uint256).max);
        }
    }

    modifier atTime() {
        vm.warp(time);
        _;
    }

    function open(
        bool inUsd,
        uint256 startSeed,
        uint256 endSeed,
        uint256 amountSeed,
        uint256 delaySeed,
        uint256 durationSeed
    ) external atTime {
        if (sales.saleCount() >= MAX_SALES) return;
        uint256 startPrice = bound(startSeed, 1, inUsd ? 1_000e6 : 1 ether);
        uint256 endPrice = bound(endSeed, 1, startPrice);
        uint256 startsAt = time + bound(delaySeed, 0, 1 days);
        vm.prank(treasury);
        sales.open(
            IFractionSales.SaleTerms({
                modelId: modelId,
                token: inUsd ? address(usd) : address(0),
                startPrice: uint128(startPrice),
                endPrice: uint128(endPrice),
                amount: uint64(bound(amountSeed, 1, 300)),
                startsAt: uint48(startsAt),
                endsAt: uint48(startsAt + bound(durationSeed, 1, 5 days))
            })
        );
    }

    function buy(uint256 saleSeed, uint256 buyerSeed, uint256 amountSeed, uint256 extraSeed) external atTime {
        uint256 saleId = (saleSeed % sales.saleCount()) + 1;
        IFractionSales.SaleTerms memory t = sales.sale(saleId);
        IFractionSales.SaleState memory s = sales.saleState(saleId);
        if (s.stopped || time < t.startsAt || time >= t.endsAt) return;
        uint256 left = _min(t.amount - s.sold, shares.balanceOf(treasury, modelId));
        if (left == 0) return;
        uint64 amount = uint64(bound(amountSeed, 1, _min(left, 50)));
        uint256 price = sales.currentPrice(saleId);
        uint256 maxPrice = price + bound(extraSeed, 0, price);
        address account = buyers[buyerSeed % buyers.length];
        uint256 value = t.token == address(0) ? price * amount + bound(extraSeed >> 128, 0, 1 ether) : 0;
        vm.prank(account);
        uint256 cost = sales.buy{value: value}(saleId, amount, maxPrice, account);
        assertEq(cost, price * amount, "charged the quoted price");
        paid[saleId] += cost;
        ++buys;
    }

    function stop(uint256 saleSeed) external atTime {
        uint256 saleId = (saleSeed % sales.saleCount()) + 1;
        if (sales.saleState(saleId).stopped) return;
        vm.prank(treasury);
        sales.stop(saleId);
        ++stops;
    }

    function warp(uint256 secondsSeed) external {
        time += bound(secondsSeed, 1, 6 hours);
        vm.warp(time);
    }

    function buyer(uint256 i) external view returns (address) {
        return buyers[i];
    }

    function buyerCount() external view returns (uint256) {
        return buyers.length;
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}

contract FractionSalesInvariantTest is FractionSalesFixture {
    FractionSalesHandler internal handler;
    uint256 internal moneyEth;
    uint256 internal moneyUsd;

    function setUp() public {
        _deploySales();
        handler = new FractionSalesHandler(sales, shares, usd, modelId, treasury);
        handler.open(false, 0.01 ether, 0.01 ether, 200, 0, 5 days); // fixed price in ETH, open now
        handler.open(false, 1 ether, 0.1 ether, 300, 3 hours, 4 days); // falling, in ETH
        handler.open(true, 100e6, 7e6, 300, 1 hours, 3 days); // falling, in USDC
        (moneyEth, moneyUsd) = _money();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev No sale sells more than it offered.
    function invariant_soldWithinAmount() public view {
        for (uint256 id = 1; id <= sales.saleCount(); ++id) {
            assertLe(sales.saleState(id).sold, sales.sale(id).amount, "sold <= amount");
        }
    }

    /// @dev Fractions only move from the treasury to buyers: their sum is constant and the buyers hold exactly
    /// what the sales recorded as sold.
    function invariant_fractionsOnlyMoveFromTreasuryToBuyers() public view {
        uint256 bought;
        for (uint256 i = 0; i < handler.buyerCount(); ++i) bought += _fractions(handler.buyer(i));
        assertEq(_fractions(treasury) + bought, TREASURY_FRACTIONS, "treasury + buyers constant");
        uint256 sold;
        for (uint256 id = 1; id <= sales.saleCount(); ++id) sold += sales.saleState(id).sold;
        assertEq(bought, sold, "buyers hold what was sold");
    }

    /// @dev Each sale's proceeds are what its buyers paid, and all of it reached the treasury (excess ETH went back
    /// to the buyers: buyers' and treasury's money together is constant).
    function invariant_proceedsArePaymentsAtTheTreasury() public view {
        uint256 eth;
        uint256 tokens;
        for (uint256 id = 1; id <= sales.saleCount(); ++id) {
            uint256 proceeds = sales.saleState(id).proceeds;
            assertEq(proceeds, handler.paid(id), "proceeds == sum paid");
            if (sales.sale(id).token == address(0)) eth += proceeds;
            else tokens += proceeds;
        }
        assertEq(treasury.balance, eth, "treasury ETH == ETH proceeds");
        assertEq(usd.balanceOf(treasury), tokens, "treasury USDC == USDC proceeds");
        (uint256 moneyEthNow, uint256 moneyUsdNow) = _money();
        assertEq(moneyEthNow, moneyEth, "no ETH created or lost");
        assertEq(moneyUsdNow, moneyUsd, "no USDC created or lost");
    }

    /// @dev The sale contract never holds money or fractions.
    function invariant_salesHoldsNothing() public view {
        assertEq(address(sales).balance, 0, "no ETH");
        assertEq(usd.balanceOf(address(sales)), 0, "no USDC");
        assertEq(_fractions(address(sales)), 0, "no fractions");
    }

    function _money() private view returns (uint256 eth, uint256 tokens) {
        eth = treasury.balance;
        tokens = usd.balanceOf(treasury);
        for (uint256 i = 0; i < handler.buyerCount(); ++i) {
            eth += handler.buyer(i).balance;
            tokens += usd.balanceOf(handler.buyer(i));
        }
    }
}
