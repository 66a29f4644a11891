// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {FractionSales} from "../../../contracts/funding/FractionSales.sol";
import {IFractionSales} from "../../../contracts/interfaces/IFractionSales.sol";
import {IModelShares} from "../../../contracts/interfaces/IModelShares.sol";
import {TestToken} from "../../../contracts/mocks/tokens/TestToken.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";

/// @dev The protocol with one model whose treasury (its timelock) holds 1,000 fractions and has approved a
/// `FractionSales`; Carol, the buyer, has ETH and a 6-decimal "USDC" approved to the sale contract.
abstract contract FractionSalesFixture is ProtocolFixture {
    address internal constant ETH = address(0);
    uint256 internal constant TREASURY_FRACTIONS = 1000;

    FractionSales internal sales;
    TestToken internal usd;
    address internal treasury;

    /// @dev Everything a failed call must leave as it was.
    struct Snapshot {
        uint256 buyerEth;
        uint256 treasuryEth;
        uint256 salesEth;
        uint256 buyerUsd;
        uint256 treasuryUsd;
        uint256 salesUsd;
        uint256 buyerFractions;
        uint256 treasuryFractions;
        uint256 salesFractions;
        uint256 saleCount;
    }

    function _deploySales() internal {
        _deployProtocol();
        sales = new FractionSales(IModelShares(address(shares)));
        treasury = address(timelock);
        vm.startPrank(treasury);
        shares.mint(treasury, modelId, TREASURY_FRACTIONS, "");
        shares.setApprovalForAll(address(sales), true);
        vm.stopPrank();
        usd = new TestToken("USD Coin", "USDC", 6);
        vm.deal(CAROL, 100 ether);
        usd.mint(CAROL, 1_000_000e6);
        vm.prank(CAROL);
        usd.approve(address(sales), type(uint256).max);
    }

    function _terms(
        address token,
        uint128 startPrice,
        uint128 endPrice,
        uint64 amount,
        uint256 startsAt,
        uint256 endsAt
    ) internal view returns (IFractionSales.SaleTerms memory t) {
        t = IFractionSales.SaleTerms({
            modelId: modelId,
            token: token,
            startPrice: startPrice,
            endPrice: endPrice,
            amount: amount,
            startsAt: uint48(startsAt),
            endsAt: uint48(endsAt)
        });
    }

    /// @dev A fixed-price sale open from now for a week.
    function _fixed(
        address token,
        uint128 price,
        uint64 amount
    ) internal view returns (IFractionSales.SaleTerms memory) {
        return _terms(token, price, price, amount, block.timestamp, block.timestamp + 7 days);
    }

    function _open(IFractionSales.SaleTerms memory t) internal returns (uint256 saleId) {
        vm.prank(treasury);
        saleId = sales.open(t);
    }

    function _fractions(address account) internal view returns (uint256) {
        return shares.balanceOf(account, modelId);
    }

    function _snap() internal view returns (Snapshot memory s) {
        s.buyerEth = CAROL.balance;
        s.treasuryEth = treasury.balance;
        s.salesEth = address(sales).balance;
        s.buyerUsd = usd.balanceOf(CAROL);
        s.treasuryUsd = usd.balanceOf(treasury);
        s.salesUsd = usd.balanceOf(address(sales));
        s.buyerFractions = _fractions(CAROL);
        s.treasuryFractions = _fractions(treasury);
        s.salesFractions = _fractions(address(sales));
        s.saleCount = sales.saleCount();
    }

    function _assertUnchanged(Snapshot memory before) internal view {
        Snapshot memory now_ = _snap();
        assertEq(now_.buyerEth, before.buyerEth, "buyer ETH unchanged");
        assertEq(now_.treasuryEth, before.treasuryEth, "treasury ETH unchanged");
        assertEq(now_.salesEth, before.salesEth, "sale contract ETH unchanged");
        assertEq(now_.buyerUsd, before.buyerUsd, "buyer USDC unchanged");
        assertEq(now_.treasuryUsd, before.treasuryUsd, "treasury USDC unchanged");
        assertEq(now_.salesUsd, before.salesUsd, "sale contract USDC unchanged");
        assertEq(now_.buyerFractions, before.buyerFractions, "buyer fractions unchanged");
        assertEq(now_.treasuryFractions, before.treasuryFractions, "treasury fractions unchanged");
        assertEq(now_.salesFractions, before.salesFractions, "sale contract fractions unchanged");
        assertEq(now_.saleCount, before.saleCount, "no sale opened");
    }

    function _assertSaleState(uint256 saleId, uint256 sold, uint256 proceeds, bool stopped) internal view {
        IFractionSales.SaleState memory s = sales.saleState(saleId);
        assertEq(s.sold, sold, "sold");
        assertEq(s.proceeds, proceeds, "proceeds");
        assertTrue(s.stopped == stopped, "stopped");
    }
}
