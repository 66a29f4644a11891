// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @dev A plain OpenZeppelin ERC-20 with EIP-2612 permit and an open mint, for tests only.
contract PermitToken is ERC20, ERC20Permit {
    constructor() ERC20("Permit USD", "pUSD") ERC20Permit("Permit USD") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
