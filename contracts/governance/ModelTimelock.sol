// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";

import {GovernanceBounds} from "./GovernanceBounds.sol";

/**
 * @title ModelTimelock
 * @notice A model's timelock and treasury: OpenZeppelin's `TimelockController` (upgradeable flavour, initialised
 * once per ERC-1167 clone by the registry). It holds the model's ETH, ERC-20s and treasury fractions, and is the
 * only authority over the model's settings. Its governor is its only proposer, canceller and executor; it
 * administers itself; nobody else holds a role.
 * @dev Differs from OZ only in keeping its delay within `GovernanceBounds` when the DAO changes it.
 */
contract ModelTimelock is TimelockControllerUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Changes the minimum delay (only the timelock itself, i.e. by proposal), within [1 hour, 30 days].
    function updateDelay(uint256 newDelay) public override {
        // Authorisation first, so an outsider learns nothing but "unauthorised".
        if (msg.sender != address(this)) revert TimelockUnauthorizedCaller(msg.sender);
        GovernanceBounds.checkTimelockDelay(newDelay);
        super.updateDelay(newDelay);
    }
}
