// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title GovernanceBounds
 * @notice The sane ranges of a model DAO's governance settings, checked at registration (`ModelRegistry`) and on
 * every later change by vote (`ModelGovernor`, `ModelTimelock`), so no DAO can vote itself into a state where it
 * can never pass another proposal (zero quorum, a one-second vote, a year-long timelock...).
 */
library GovernanceBounds {
    /// @notice `parameter` was `value`; it must lie in [`min`, `max`].
    error GovernanceParameterOutOfBounds(string parameter, uint256 value, uint256 min, uint256 max);

    uint256 internal constant MAX_VOTING_DELAY = 30 days;
    uint256 internal constant MIN_VOTING_PERIOD = 1 hours;
    uint256 internal constant MAX_VOTING_PERIOD = 90 days;
    uint256 internal constant MIN_QUORUM_PERCENT = 1;
    uint256 internal constant MAX_QUORUM_PERCENT = 100;
    uint256 internal constant MAX_LATE_QUORUM_EXTENSION = 30 days;
    uint256 internal constant MIN_TIMELOCK_DELAY = 1 hours;
    uint256 internal constant MAX_TIMELOCK_DELAY = 30 days;

    /// @dev Reverts with `GovernanceParameterOutOfBounds(parameter, value, min, max)` outside [min, max].
    function check(string memory parameter, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert GovernanceParameterOutOfBounds(parameter, value, min, max);
    }

    function checkVotingDelay(uint256 value) internal pure {
        check("votingDelay", value, 0, MAX_VOTING_DELAY);
    }

    function checkVotingPeriod(uint256 value) internal pure {
        check("votingPeriod", value, MIN_VOTING_PERIOD, MAX_VOTING_PERIOD);
    }

    function checkQuorumPercent(uint256 value) internal pure {
        check("quorumNumerator", value, MIN_QUORUM_PERCENT, MAX_QUORUM_PERCENT);
    }

    function checkLateQuorumExtension(uint256 value) internal pure {
        check("lateQuorumExtension", value, 0, MAX_LATE_QUORUM_EXTENSION);
    }

    function checkTimelockDelay(uint256 value) internal pure {
        check("timelockDelay", value, MIN_TIMELOCK_DELAY, MAX_TIMELOCK_DELAY);
    }
}
