// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/**
 * @title RoyaltyReceiver
 * @notice One model's ERC-2981 royalty address: accepts plain ETH (even from a 2,300-gas `transfer`, in any later
 * transaction) and ERC-20s, and hands them to the revenue vault when the vault sweeps it. Deployed by the vault with
 * CREATE2 (salt: the model id) as a complete contract, not a delegating proxy: its `receive()` runs its own code and
 * needs no DELEGATECALL, so it fits the stipend.
 */
contract RoyaltyReceiver {
    using SafeERC20 for IERC20;

    /// @notice Only the vault that deployed this receiver may sweep it.
    error RoyaltyReceiverUnauthorized(address caller);

    /// @notice The revenue vault that deployed this receiver.
    address public immutable VAULT;

    constructor() {
        VAULT = msg.sender;
    }

    /// @notice Accepts ETH royalties; does nothing else, so it fits in a 2,300-gas stipend.
    receive() external payable {}

    /// @notice Sends everything it holds of `token` (ETH: address(0)) to `to`. Vault only.
    function sweep(address token, address to) external returns (uint256 amount) {
        if (msg.sender != VAULT) revert RoyaltyReceiverUnauthorized(msg.sender);
        if (token == address(0)) {
            amount = address(this).balance;
            if (amount != 0) Address.sendValue(payable(to), amount);
        } else {
            amount = IERC20(token).balanceOf(address(this));
            if (amount != 0) IERC20(token).safeTransfer(to, amount);
        }
    }
}
