// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/**
 * @title IModelGovernor
 * @notice What a model's Governor adds to OpenZeppelin's `IGovernor`: its one-time initialisation as a clone.
 * Everything else (propose, castVote, queue, execute, cancel, settings, guardian) is OpenZeppelin's API, unchanged,
 * so Tally and every Governor tool work without adapters.
 */
interface IModelGovernor {
    /// @notice The timelock (the model's treasury) cannot be replaced.
    error ModelGovernorTimelockFixed();

    /// @notice The guardian cannot cancel proposal `proposalId`: it changes the guardian.
    error ModelGovernorGuardianCannotCancel(uint256 proposalId);

    /// @notice Settings a model's governor starts with; all are checked against `GovernanceBounds`.
    struct GovernorSettings {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumNumerator;
        uint48 lateQuorumExtension;
        address guardian;
    }

    /**
     * @notice Initialises a fresh clone (once). Called by the registry in the transaction that creates it.
     * @param name_ the governor's name (also its EIP-712 domain name)
     * @param token the model's `ModelVotes`
     * @param timelock_ the model's `ModelTimelock` (its treasury)
     * @param settings voting delay and period (seconds), proposal threshold (fractions), quorum (percent of the
     * votable supply at the snapshot), late-quorum extension (seconds) and the optional guardian
     */
    function initialize(
        string calldata name_,
        IVotes token,
        address payable timelock_,
        GovernorSettings calldata settings
    ) external;

    /// @notice How long a succeeded proposal may wait to be queued, and a queued one to be executed once ready,
    /// before it expires.
    function PROPOSAL_GRACE_PERIOD() external view returns (uint256);
}
