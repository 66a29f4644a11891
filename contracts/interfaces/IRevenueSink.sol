// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IRevenueSink
 * @notice Where payments for a model go: the revenue vault implements it. `token == address(0)` is ETH, with
 * `msg.value == amount`; an ERC-20 is pulled from the caller, which must have approved `amount`.
 */
interface IRevenueSink {
    function deposit(uint256 modelId, address token, uint256 amount) external payable returns (uint256 credited);
}
