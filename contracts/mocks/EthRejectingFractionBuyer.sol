// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IFractionSales} from "../interfaces/IFractionSales.sol";

/**
 * @dev HOSTILE TEST COUNTERPART. Buys fractions from `FractionSales` for another address and reverts whenever it
 * is sent ETH, so the sale cannot return it any excess.
 */
contract EthRejectingFractionBuyer {
    IFractionSales public immutable sales;

    error EthRejectingFractionBuyerRefuses(uint256 amount);

    constructor(IFractionSales sales_) {
        sales = sales_;
    }

    function buy(uint256 saleId, uint64 amount, uint256 maxPrice, address to) external payable returns (uint256) {
        return sales.buy{value: msg.value}(saleId, amount, maxPrice, to);
    }

    receive() external payable {
        revert EthRejectingFractionBuyerRefuses(msg.value);
    }
}
