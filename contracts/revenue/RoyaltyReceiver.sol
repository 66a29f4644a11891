// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/**
 * @title RoyaltyReceiver
 * @notice One model's ERC-2981 royalty address: accepts plain ETH (even from a 2,300-gas `transfer`) and ERC-20s,
 * and hands them to the revenue vault when the vault sweeps it, which credits them to that model. An ERC-1167
 * clone whose immutable argument is `abi.encode(vault)`; only the vault can sweep it.
 */
contract RoyaltyReceiver {
    using SafeERC20 for IERC20;

    error RoyaltyReceiverUnauthorized(address caller);

    /// @notice Accepts ETH royalties; does nothing else, so it fits in a 2,300-gas stipend.
    receive() external payable {}

    /// @notice Sends everything it holds of `token` (ETH: address(0)) to the vault. Vault only.
    function sweep(address token) external returns (uint256 amount) {
        address vault = abi.decode(Clones.fetchCloneArgs(address(this)), (address));
        if (msg.sender != vault) revert RoyaltyReceiverUnauthorized(msg.sender);
        if (token == address(0)) {
            amount = address(this).balance;
            if (amount != 0) Address.sendValue(payable(vault), amount);
        } else {
            amount = IERC20(token).balanceOf(address(this));
            if (amount != 0) IERC20(token).safeTransfer(vault, amount);
        }
    }
}
