// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IRevenueHook
 * @notice What `ModelShares` calls, before balances change, for every balance change of a model that tracks
 * revenue: the revenue vault moves future holder revenue with the fractions and leaves earned revenue in place.
 */
interface IRevenueHook {
    /// @notice `amount` fractions of `modelId` are about to move from `from` to `to` (zero address: mint or burn).
    function beforeSharesMoved(uint256 modelId, address from, address to, uint256 amount) external;
}
