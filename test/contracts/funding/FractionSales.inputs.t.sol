// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1155Errors, IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IFractionSales} from "../../../contracts/interfaces/IFractionSales.sol";
import {FractionSalesFixture} from "./FractionSalesFixture.sol";

/// @dev Bad input to every entry point of FractionSales: each is refused with its error and values, and nothing
/// moves (no ETH, tokens or fractions, no sale opened, no sale state changed).
contract FractionSalesInputsTest is FractionSalesFixture {
    uint256 internal ethSale;
    uint256 internal usdSale;
    uint256 internal endsAt;

    function setUp() public {
        _deploySales();
        endsAt = block.timestamp + 7 days;
        ethSale = _open(_fixed(ETH, 0.01 ether, 100));
        usdSale = _open(_fixed(address(usd), 5e6, 100));
    }

    // ----- open -----

    function test_open_unknownModel() public {
        IFractionSales.SaleTerms memory t = _fixed(ETH, 1, 1);
        t.modelId = 99;
        _expectOpenRevert(t, treasury, abi.encodeWithSelector(IFractionSales.FractionSalesUnknownModel.selector, 99));
        t.modelId = 0;
        _expectOpenRevert(t, treasury, abi.encodeWithSelector(IFractionSales.FractionSalesUnknownModel.selector, 0));
    }

    function test_open_notTheTreasury() public {
        bytes memory err = abi.encodeWithSelector(
            IFractionSales.FractionSalesUnauthorizedTreasury.selector,
            CAROL,
            modelId
        );
        _expectOpenRevert(_fixed(ETH, 1, 1), CAROL, err);
        err = abi.encodeWithSelector(IFractionSales.FractionSalesUnauthorizedTreasury.selector, address(this), modelId);
        _expectOpenRevert(_fixed(ETH, 1, 1), address(this), err); // the protocol admin has no say either
    }

    function test_open_invalidTerms() public {
        uint256 now_ = block.timestamp;
        _expectInvalid(_fixed(CAROL, 1, 1), "token"); // not a contract
        _expectInvalid(_fixed(ETH, 1, 0), "amount");
        _expectInvalid(_terms(ETH, 1, 0, 1, now_, now_ + 1), "endPrice");
        _expectInvalid(_terms(ETH, 0, 0, 1, now_, now_ + 1), "endPrice");
        _expectInvalid(_terms(ETH, 1, 2, 1, now_, now_ + 1), "startPrice"); // rising
        _expectInvalid(_terms(ETH, 1, 1, 1, now_ + 1, now_ + 1), "startsAt");
        _expectInvalid(_terms(ETH, 1, 1, 1, now_ + 2, now_ + 1), "startsAt");
        _expectInvalid(_terms(ETH, 1, 1, 1, now_ - 10, now_), "endsAt"); // already over
    }

    // ----- buy -----

    function test_buy_unknownSale() public {
        _expectBuyRevert(0, 1, 1 ether, CAROL, 1 ether, _err(IFractionSales.FractionSalesUnknownSale.selector, 0));
        _expectBuyRevert(3, 1, 1 ether, CAROL, 1 ether, _err(IFractionSales.FractionSalesUnknownSale.selector, 3));
    }

    function test_buy_zeroAmount() public {
        _expectBuyRevert(
            ethSale,
            0,
            1 ether,
            CAROL,
            1 ether,
            _err(IFractionSales.FractionSalesInvalidAmount.selector, 0)
        );
    }

    function test_buy_zeroRecipient() public {
        bytes memory err = abi.encodeWithSelector(IFractionSales.FractionSalesInvalidRecipient.selector, address(0));
        _expectBuyRevert(ethSale, 1, 1 ether, address(0), 1 ether, err);
    }

    function test_buy_beforeStartAndFromTheEnd() public {
        uint256 start = block.timestamp + 1 days;
        uint256 later = _open(_terms(ETH, 1 gwei, 1 gwei, 10, start, start + 1 days));
        bytes memory err = abi.encodeWithSelector(
            IFractionSales.FractionSalesNotActive.selector,
            later,
            start,
            start + 1 days,
            false
        );
        vm.warp(start - 1);
        _expectBuyRevert(later, 1, 1 gwei, CAROL, 1 gwei, err);
        vm.warp(start);
        vm.prank(CAROL);
        sales.buy{value: 1 gwei}(later, 1, 1 gwei, CAROL); // the first second is open
        vm.warp(start + 1 days - 1);
        vm.prank(CAROL);
        sales.buy{value: 1 gwei}(later, 1, 1 gwei, CAROL); // and the last
        vm.warp(start + 1 days); // the end is exclusive
        _expectBuyRevert(later, 1, 1 gwei, CAROL, 1 gwei, err);
    }

    function test_buy_ethShort() public {
        bytes memory err = abi.encodeWithSelector(
            IFractionSales.FractionSalesWrongPayment.selector,
            0.1 ether,
            0.1 ether - 1
        );
        _expectBuyRevert(ethSale, 10, 0.01 ether, CAROL, 0.1 ether - 1, err);
        err = abi.encodeWithSelector(IFractionSales.FractionSalesWrongPayment.selector, 0.1 ether, 0);
        _expectBuyRevert(ethSale, 10, 0.01 ether, CAROL, 0, err);
    }

    function test_buy_ethToTokenSale() public {
        bytes memory err = abi.encodeWithSelector(IFractionSales.FractionSalesWrongPayment.selector, 0, 1);
        _expectBuyRevert(usdSale, 1, 5e6, CAROL, 1, err);
    }

    function test_buy_tokenWithoutAllowanceOrBalance() public {
        vm.prank(CAROL);
        usd.approve(address(sales), 5e6 - 1);
        bytes memory err = abi.encodeWithSelector(
            IERC20Errors.ERC20InsufficientAllowance.selector,
            address(sales),
            5e6 - 1,
            5e6
        );
        _expectBuyRevert(usdSale, 1, 5e6, CAROL, 0, err);
        vm.prank(CAROL);
        usd.approve(address(sales), type(uint256).max);
        uint256 all = usd.balanceOf(CAROL);
        vm.prank(CAROL);
        usd.transfer(DAVE, all - 1);
        err = abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, CAROL, 1, 5e6);
        _expectBuyRevert(usdSale, 1, 5e6, CAROL, 0, err);
    }

    function test_buy_soldOutAndPriceAboveMax() public {
        bytes memory err = abi.encodeWithSelector(IFractionSales.FractionSalesSoldOut.selector, ethSale, 101, 100);
        _expectBuyRevert(ethSale, 101, 0.01 ether, CAROL, 2 ether, err);
        err = abi.encodeWithSelector(IFractionSales.FractionSalesPriceAboveMax.selector, 0.01 ether, 0.01 ether - 1);
        _expectBuyRevert(ethSale, 1, 0.01 ether - 1, CAROL, 1 ether, err);
    }

    /// @dev The treasury gave away fractions after opening: the buy names the shortfall.
    function test_buy_treasuryShort() public {
        vm.prank(treasury);
        shares.safeTransferFrom(treasury, DAVE, modelId, TREASURY_FRACTIONS - 5, "");
        bytes memory err = abi.encodeWithSelector(IFractionSales.FractionSalesTreasuryShort.selector, ethSale, 6, 5);
        _expectBuyRevert(ethSale, 6, 0.01 ether, CAROL, 1 ether, err);
        vm.prank(CAROL);
        sales.buy{value: 0.05 ether}(ethSale, 5, 0.01 ether, CAROL); // what it holds can still be sold
    }

    /// @dev The treasury withdrew its approval (e.g. a later vote): buying fails in ERC-1155 and nothing moves.
    function test_buy_approvalWithdrawn() public {
        vm.prank(treasury);
        shares.setApprovalForAll(address(sales), false);
        bytes memory err = abi.encodeWithSelector(
            IERC1155Errors.ERC1155MissingApprovalForAll.selector,
            address(sales),
            treasury
        );
        _expectBuyRevert(ethSale, 1, 0.01 ether, CAROL, 0.01 ether, err);
    }

    // ----- stop and views -----

    function test_stop_badInput() public {
        Snapshot memory before = _snap();
        vm.expectRevert(_err(IFractionSales.FractionSalesUnknownSale.selector, 3));
        vm.prank(treasury);
        sales.stop(3);
        vm.expectRevert(
            abi.encodeWithSelector(IFractionSales.FractionSalesUnauthorizedTreasury.selector, CAROL, modelId)
        );
        vm.prank(CAROL);
        sales.stop(ethSale);
        _assertSaleState(ethSale, 0, 0, false);
        vm.prank(treasury);
        sales.stop(ethSale);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFractionSales.FractionSalesNotActive.selector,
                ethSale,
                block.timestamp,
                endsAt,
                true
            )
        );
        vm.prank(treasury);
        sales.stop(ethSale);
        _assertUnchanged(before);
    }

    function test_views_unknownSale() public {
        vm.expectRevert(_err(IFractionSales.FractionSalesUnknownSale.selector, 0));
        sales.currentPrice(0);
        vm.expectRevert(_err(IFractionSales.FractionSalesUnknownSale.selector, 3));
        sales.sale(3);
        vm.expectRevert(_err(IFractionSales.FractionSalesUnknownSale.selector, 3));
        sales.saleState(3);
    }

    // ----- helpers -----

    function _expectInvalid(IFractionSales.SaleTerms memory t, string memory field) private {
        _expectOpenRevert(
            t,
            treasury,
            abi.encodeWithSelector(IFractionSales.FractionSalesInvalidTerms.selector, field)
        );
    }

    function _expectOpenRevert(IFractionSales.SaleTerms memory t, address caller, bytes memory err) private {
        Snapshot memory before = _snap();
        vm.expectRevert(err);
        vm.prank(caller);
        sales.open(t);
        _assertUnchanged(before);
    }

    /// @dev Carol's call is refused with `err`, and nothing moved, on either sale.
    function _expectBuyRevert(
        uint256 saleId,
        uint64 amount,
        uint256 maxPrice,
        address to,
        uint256 value,
        bytes memory err
    ) private {
        Snapshot memory before = _snap();
        vm.expectRevert(err);
        vm.prank(CAROL);
        sales.buy{value: value}(saleId, amount, maxPrice, to);
        _assertUnchanged(before);
        _assertSaleState(ethSale, 0, 0, false);
        _assertSaleState(usdSale, 0, 0, false);
    }

    function _err(bytes4 selector, uint256 value) private pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, value);
    }
}
