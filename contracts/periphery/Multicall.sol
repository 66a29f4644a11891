// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Multicall
/// @notice Read-only batch of calls with the `aggregate` interface of MakerDAO's Multicall, which Snapshot's
/// strategies (through `snapshot.js`'s `utils.multicall`) call to read voting power at a proposal's block.
/// @dev Snapshot uses the canonical Multicall already deployed on every network it supports; this copy exists for
/// chains that have none (the local Hardhat chain), so scores can be computed there with the very same calls.
/// It holds nothing and has no state: any call it makes is a plain CALL with no value.
contract Multicall {
    /// @notice One call to make.
    struct Call {
        address target;
        bytes callData;
    }

    /// @notice A call in the batch reverted; the whole batch reverts, as in MakerDAO's Multicall.
    /// @param index Position of the failing call in the batch.
    /// @param target The contract that reverted.
    error MulticallFailed(uint256 index, address target);

    /// @notice Makes every call in order and returns the current block number with each call's return data.
    /// @param calls The calls to make.
    /// @return blockNumber The block the calls were made in.
    /// @return returnData Each call's return data, in order.
    function aggregate(Call[] calldata calls) external returns (uint256 blockNumber, bytes[] memory returnData) {
        blockNumber = block.number;
        returnData = new bytes[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory data) = calls[i].target.call(calls[i].callData);
            if (!ok) revert MulticallFailed(i, calls[i].target);
            returnData[i] = data;
        }
    }
}
