// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev HOSTILE TEST COUNTERPART. An ERC-20 whose transfer/transferFrom/approve return nothing (like USDT).
contract NoReturnToken {
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    error NoReturnTokenInsufficient();

    function decimals() external pure returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    function approve(address spender, uint256 amount) external {
        allowance[msg.sender][spender] = amount;
    }

    function transfer(address to, uint256 amount) external {
        _move(msg.sender, to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) external {
        if (allowance[from][msg.sender] < amount) revert NoReturnTokenInsufficient();
        allowance[from][msg.sender] -= amount;
        _move(from, to, amount);
    }

    function _move(address from, address to, uint256 amount) private {
        if (balanceOf[from] < amount) revert NoReturnTokenInsufficient();
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
    }
}
