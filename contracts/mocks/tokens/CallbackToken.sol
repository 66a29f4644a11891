// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @dev The hooks a `CallbackToken` calls, named after ERC-777's `tokensToSend` and `tokensReceived`.
interface ICallbackTokenHooks {
    function tokensToSend(address operator, address from, address to, uint256 amount) external;

    function tokensReceived(address operator, address from, address to, uint256 amount) external;
}

/**
 * @dev HOSTILE TEST COUNTERPART. An ERC-20 with ERC-777-style callbacks, used to attack raises through the token:
 * an account that registered hooks (`registerHooks`, the ERC-1820 registration in short) is called with
 * `tokensToSend` before its balance is debited and with `tokensReceived` after it is credited, on every transfer,
 * `transferFrom` included. The callback runs with the caller's gas and may re-enter anything.
 */
contract CallbackToken is ERC20 {
    mapping(address account => bool) public hooked;

    constructor() ERC20("Callback Token", "CB777") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev The caller asks to be called back on its transfers.
    function registerHooks(bool on) external {
        hooked[msg.sender] = on;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && hooked[from]) ICallbackTokenHooks(from).tokensToSend(msg.sender, from, to, value);
        super._update(from, to, value);
        if (to != address(0) && hooked[to]) ICallbackTokenHooks(to).tokensReceived(msg.sender, from, to, value);
    }
}
