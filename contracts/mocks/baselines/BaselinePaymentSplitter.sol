// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PaymentSplitter} from "@openzeppelin/contracts-4.9.6/finance/PaymentSplitter.sol";

/// @dev BENCHMARK BASELINE: OpenZeppelin 4.9.6 PaymentSplitter as shipped. Never deployed outside the benchmark.
contract BaselinePaymentSplitter is PaymentSplitter {
    constructor(address[] memory payees, uint256[] memory shares_) payable PaymentSplitter(payees, shares_) {}
}
