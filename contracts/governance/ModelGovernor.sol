// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GovernorUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/GovernorUpgradeable.sol";
import {GovernorCountingSimpleUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorCountingSimpleUpgradeable.sol";
import {GovernorPreventLateQuorumUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorPreventLateQuorumUpgradeable.sol";
import {GovernorProposalGuardianUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorProposalGuardianUpgradeable.sol";
import {GovernorSettingsUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSettingsUpgradeable.sol";
import {GovernorTimelockControlUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorTimelockControlUpgradeable.sol";
import {GovernorVotesQuorumFractionUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesQuorumFractionUpgradeable.sol";
import {GovernorVotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesUpgradeable.sol";
import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IModelVotes} from "../interfaces/IModelVotes.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {IModelGovernor} from "../interfaces/IModelGovernor.sol";
import {GovernanceBounds} from "./GovernanceBounds.sol";

/**
 * @title ModelGovernor
 * @notice A model's Governor: OpenZeppelin's upgradeable-flavour Governor with Settings, CountingSimple, Votes (over
 * the model's `ModelVotes`), VotesQuorumFraction, TimelockControl, PreventLateQuorum and ProposalGuardian, deployed
 * by the registry as an ERC-1167 clone and initialised once. Clones are not upgradeable: the protocol admin never
 * changes a model's governance; a DAO migrates itself by its own proposal.
 * @dev Differences from OpenZeppelin's behaviour:
 * - the clock is read locally (`block.timestamp`, `mode=timestamp`, exactly the clock of `ModelVotes`) instead of
 *   by an external call to the token, which also lets the registry initialise the governor before the token exists;
 * - every settings change stays within `GovernanceBounds`;
 * - a proposal expires (`ProposalState.Expired`) when it is not queued within `PROPOSAL_GRACE_PERIOD` of its
 *   deadline, or not executed within that period of becoming executable, so a forgotten approval cannot be
 *   executed months later against a changed world;
 * - the proposal threshold is at most the votable supply, so holders (pooling votes by delegation) can always
 *   propose: a vote setting it higher reverts, and if the supply later shrinks the threshold in force shrinks with it;
 * - the timelock is fixed (`updateTimelock` reverts): `ModelShares` fixes each model's treasury;
 * - the guardian cannot cancel a proposal that changes the guardian, so the DAO can always remove or replace it.
 */
contract ModelGovernor is
    GovernorUpgradeable,
    GovernorSettingsUpgradeable,
    GovernorCountingSimpleUpgradeable,
    GovernorVotesUpgradeable,
    GovernorVotesQuorumFractionUpgradeable,
    GovernorTimelockControlUpgradeable,
    GovernorPreventLateQuorumUpgradeable,
    GovernorProposalGuardianUpgradeable,
    IModelGovernor
{
    /// @inheritdoc IModelGovernor
    uint256 public constant PROPOSAL_GRACE_PERIOD = 14 days;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc IModelGovernor
    function initialize(
        string calldata name_,
        IVotes token,
        address payable timelock_,
        GovernorSettings calldata settings
    ) external initializer {
        __Governor_init(name_);
        __GovernorSettings_init(settings.votingDelay, settings.votingPeriod, settings.proposalThreshold);
        __GovernorCountingSimple_init();
        __GovernorVotes_init(token);
        __GovernorVotesQuorumFraction_init(settings.quorumNumerator);
        __GovernorTimelockControl_init(TimelockControllerUpgradeable(timelock_));
        __GovernorPreventLateQuorum_init(settings.lateQuorumExtension);
        __GovernorProposalGuardian_init();
        if (settings.guardian != address(0)) _setProposalGuardian(settings.guardian);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Clock: timestamps, the same as ModelVotes
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The governor's clock: `block.timestamp`, identical to its `ModelVotes` token's.
    function clock() public view override(GovernorUpgradeable, GovernorVotesUpgradeable) returns (uint48) {
        return Time.timestamp();
    }

    /// @notice `mode=timestamp`, identical to its `ModelVotes` token's (EIP-6372).
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override(GovernorUpgradeable, GovernorVotesUpgradeable) returns (string memory) {
        return "mode=timestamp";
    }

    // ---------------------------------------------------------------------------------------------------------
    // State: OpenZeppelin's, plus expiry
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The proposal's state; `Expired` once its grace period to be queued or executed has passed.
    function state(
        uint256 proposalId
    ) public view override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (ProposalState) {
        ProposalState current = super.state(proposalId);
        if (current == ProposalState.Succeeded) {
            if (clock() > proposalDeadline(proposalId) + PROPOSAL_GRACE_PERIOD) return ProposalState.Expired;
        } else if (current == ProposalState.Queued) {
            if (clock() > proposalEta(proposalId) + PROPOSAL_GRACE_PERIOD) return ProposalState.Expired;
        }
        return current;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The DAO can always propose, keep its treasury and remove its guardian
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Always reverts: a model's treasury (this governor's timelock) is fixed by `ModelShares`.
    function updateTimelock(TimelockControllerUpgradeable) public pure override {
        revert ModelGovernorTimelockFixed();
    }

    /// @notice OpenZeppelin's `cancel`, except that the guardian cannot cancel a proposal that calls
    /// `setProposalGuardian` on this governor (unless it is that proposal's proposer).
    function cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) public override returns (uint256) {
        if (msg.sender == proposalGuardian()) {
            uint256 proposalId = getProposalId(targets, values, calldatas, descriptionHash);
            if (msg.sender != proposalProposer(proposalId) && _changesGuardian(targets, calldatas)) {
                revert ModelGovernorGuardianCannotCancel(proposalId);
            }
        }
        return super.cancel(targets, values, calldatas, descriptionHash);
    }

    /// @notice The proposal threshold in force: the one set, or the votable supply if that is now lower.
    function proposalThreshold()
        public
        view
        override(GovernorUpgradeable, GovernorSettingsUpgradeable)
        returns (uint256)
    {
        uint256 threshold = super.proposalThreshold();
        if (threshold == 0) return 0;
        uint256 supply = IModelVotes(address(token())).votableSupply();
        return threshold < supply ? threshold : supply;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Settings stay within bounds
    // ---------------------------------------------------------------------------------------------------------

    /// @dev At most the votable supply (the registry checks the initial value against the initial supply).
    function _setProposalThreshold(uint256 newProposalThreshold) internal override {
        if (!_isInitializing()) {
            uint256 supply = IModelVotes(address(token())).votableSupply();
            GovernanceBounds.check("proposalThreshold", newProposalThreshold, 0, supply);
        }
        super._setProposalThreshold(newProposalThreshold);
    }

    function _setVotingDelay(uint48 newVotingDelay) internal override {
        GovernanceBounds.checkVotingDelay(newVotingDelay);
        super._setVotingDelay(newVotingDelay);
    }

    function _setVotingPeriod(uint32 newVotingPeriod) internal override {
        GovernanceBounds.checkVotingPeriod(newVotingPeriod);
        super._setVotingPeriod(newVotingPeriod);
    }

    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        GovernanceBounds.checkQuorumPercent(newQuorumNumerator);
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal override {
        GovernanceBounds.checkLateQuorumExtension(newVoteExtension);
        super._setLateQuorumVoteExtension(newVoteExtension);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Solidity's required overrides (no behaviour of our own)
    // ---------------------------------------------------------------------------------------------------------

    function proposalDeadline(
        uint256 proposalId
    ) public view override(GovernorUpgradeable, GovernorPreventLateQuorumUpgradeable) returns (uint256) {
        return super.proposalDeadline(proposalId);
    }

    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _tallyUpdated(
        uint256 proposalId
    ) internal override(GovernorUpgradeable, GovernorPreventLateQuorumUpgradeable) {
        super._tallyUpdated(proposalId);
    }

    function _validateCancel(
        uint256 proposalId,
        address caller
    ) internal view override(GovernorUpgradeable, GovernorProposalGuardianUpgradeable) returns (bool) {
        return super._validateCancel(proposalId, caller);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _changesGuardian(address[] memory targets, bytes[] memory calldatas) private view returns (bool) {
        for (uint256 i = 0; i < targets.length; ++i) {
            bytes memory data = calldatas[i];
            if (targets[i] == address(this) && data.length >= 4 && bytes4(data) == this.setProposalGuardian.selector) {
                return true;
            }
        }
        return false;
    }

    function _executor()
        internal
        view
        override(GovernorUpgradeable, GovernorTimelockControlUpgradeable)
        returns (address)
    {
        return super._executor();
    }
}
