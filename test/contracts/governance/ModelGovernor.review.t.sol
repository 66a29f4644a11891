// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
// solhint-disable-next-line max-line-length
import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";

import {GovernanceBounds} from "../../../contracts/governance/GovernanceBounds.sol";
import {IModelGovernor} from "../../../contracts/interfaces/IModelGovernor.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {ModelGovernor} from "../../../contracts/governance/ModelGovernor.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";

/**
 * @dev Findings 7 and 8 of the adversarial review, through real proposals: one vote could brick a model's DAO
 * (a proposal threshold above what anyone can hold; a governor pointed at a non-timelock), and a guardian could
 * cancel its own removal. Each scenario succeeded on the code before the fix; now the bad vote's execution reverts
 * (the proposal fails, the DAO keeps working) and the guardian's cancel reverts. Then every setter the governor
 * exposes is fuzzed: whatever a vote sets, the DAO can still pass a proposal afterwards.
 */
contract ModelGovernorReviewTest is ProtocolFixture {
    address internal constant GUARDIAN = address(0x6A2D);
    uint256 internal guardedModel;
    ModelGovernor internal guarded;
    uint256 internal nonce;

    function setUp() public {
        _deployProtocol();
        IModelRegistry.Registration memory r = _registration(_pair(ALICE, BOB));
        r.governor.guardian = GUARDIAN;
        (guardedModel, ) = registry.registerModel(r);
        guarded = ModelGovernor(payable(registry.model(guardedModel).governor));
        vm.warp(block.timestamp + 1);
    }

    /// @dev Finding 7: a vote setting the threshold above the votable supply fails at execution; nothing changes.
    function test_thresholdAboveVotableSupply_cannotBeVoted() public {
        bytes memory call = abi.encodeCall(governor.setProposalThreshold, (201));
        (bool executed, bytes memory reason) = _pass(governor, address(governor), call);
        assertTrue(!executed, "the vote's execution reverts");
        assertEq(
            keccak256(reason),
            keccak256(
                abi.encodeWithSelector(
                    GovernanceBounds.GovernanceParameterOutOfBounds.selector,
                    "proposalThreshold",
                    201,
                    0,
                    200
                )
            ),
            "names the parameter and the bound"
        );
        assertEq(governor.proposalThreshold(), 0, "threshold unchanged");
        // The largest allowed threshold (all votable fractions) still lets holders propose by pooling votes.
        (executed, ) = _pass(governor, address(governor), abi.encodeCall(governor.setProposalThreshold, (200)));
        assertTrue(executed, "threshold = votable supply is allowed");
        vm.prank(BOB);
        votes.delegate(ALICE);
        vm.warp(block.timestamp + 1);
        (executed, ) = _pass(governor, address(governor), abi.encodeCall(governor.setProposalThreshold, (10)));
        assertTrue(executed, "the DAO can still propose and pass proposals");
    }

    /// @dev If the supply shrinks below the threshold later, the threshold in force shrinks with it.
    function test_thresholdInForce_neverExceedsVotableSupply() public {
        (bool executed, ) = _pass(governor, address(governor), abi.encodeCall(governor.setProposalThreshold, (200)));
        assertTrue(executed, "set to the whole votable supply");
        vm.prank(ALICE);
        shares.burn(ALICE, modelId, 50);
        assertEq(governor.proposalThreshold(), 150, "threshold in force = votable supply now");
    }

    /// @dev Finding 7: a vote pointing the governor at another timelock fails; the treasury stays the same.
    function test_updateTimelock_refused() public {
        address other = address(new TimelockControllerUpgradeable());
        (bool executed, bytes memory reason) = _pass(
            governor,
            address(governor),
            abi.encodeCall(governor.updateTimelock, (TimelockControllerUpgradeable(payable(other))))
        );
        assertTrue(!executed, "refused");
        assertEq(bytes4(reason), IModelGovernor.ModelGovernorTimelockFixed.selector, "ModelGovernorTimelockFixed");
        assertEq(governor.timelock(), address(timelock), "timelock unchanged");
    }

    /// @dev Finding 8: holders vote to remove the guardian; the guardian cannot cancel that proposal.
    function test_guardianCannotCancelItsRemoval() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(
            address(guarded),
            abi.encodeCall(guarded.setProposalGuardian, (address(0)))
        );
        vm.prank(ALICE);
        uint256 id = guarded.propose(t, v, c, "remove the guardian");
        vm.prank(GUARDIAN);
        vm.expectRevert(abi.encodeWithSelector(IModelGovernor.ModelGovernorGuardianCannotCancel.selector, id));
        guarded.cancel(t, v, c, keccak256("remove the guardian"));
        _voteQueueExecute(guarded, t, v, c, "remove the guardian", id);
        assertEq(guarded.proposalGuardian(), address(0), "the DAO removed its guardian");
    }

    /// @dev The guardian keeps its power over every other proposal.
    function test_guardianStillCancelsOtherProposals() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(
            address(guarded),
            abi.encodeCall(guarded.setVotingDelay, (2 hours))
        );
        vm.prank(ALICE);
        uint256 id = guarded.propose(t, v, c, "delay");
        vm.prank(GUARDIAN);
        guarded.cancel(t, v, c, keccak256("delay"));
        assertTrue(guarded.state(id) == IGovernor.ProposalState.Canceled, "cancelled");
    }

    /**
     * @dev Every setter the governor and timelock expose, with any value: whatever the vote sets (or fails to
     * set), the DAO can pass another proposal afterwards.
     */
    function testFuzz_anySetting_daoStaysGovernable(uint8 which, uint256 value) public {
        which = uint8(bound(which, 0, 7));
        bytes memory call;
        address target = address(governor);
        if (which == 0) call = abi.encodeCall(governor.setVotingDelay, (uint48(bound(value, 0, 365 days))));
        else if (which == 1) call = abi.encodeCall(governor.setVotingPeriod, (uint32(bound(value, 0, 365 days))));
        else if (which == 2) call = abi.encodeCall(governor.setProposalThreshold, (value));
        else if (which == 3) call = abi.encodeCall(governor.updateQuorumNumerator, (bound(value, 0, 200)));
        else if (which == 4) {
            call = abi.encodeCall(governor.setLateQuorumVoteExtension, (uint48(bound(value, 0, 365 days))));
        } else if (which == 5) {
            address other = address(uint160(value));
            call = abi.encodeCall(governor.updateTimelock, (TimelockControllerUpgradeable(payable(other))));
        } else if (which == 6) call = abi.encodeCall(governor.setProposalGuardian, (address(uint160(value))));
        else {
            target = address(timelock);
            call = abi.encodeCall(timelock.updateDelay, (bound(value, 0, 365 days)));
        }
        _pass(governor, target, call);
        vm.prank(BOB);
        votes.delegate(ALICE); // holders pool their votes, whatever threshold the vote set
        vm.warp(block.timestamp + 1);
        (bool executed, ) = _pass(governor, address(governor), abi.encodeCall(governor.setProposalThreshold, (1)));
        assertTrue(executed, "the DAO can still pass a proposal");
        assertEq(governor.timelock(), address(timelock), "the treasury never changes");
    }

    // --- a real lifecycle -------------------------------------------------------------------------------------

    function _pass(ModelGovernor g, address target, bytes memory call) private returns (bool, bytes memory) {
        (address[] memory t, uint256[] memory v, bytes[] memory c) = _one(target, call);
        string memory description = string.concat("proposal ", Strings.toString(++nonce));
        vm.prank(ALICE);
        uint256 id = g.propose(t, v, c, description);
        return _voteQueueExecute(g, t, v, c, description, id);
    }

    function _voteQueueExecute(
        ModelGovernor g,
        address[] memory t,
        uint256[] memory v,
        bytes[] memory c,
        string memory description,
        uint256 id
    ) private returns (bool executed, bytes memory reason) {
        vm.warp(g.proposalSnapshot(id) + 1);
        vm.prank(ALICE);
        g.castVote(id, 1);
        vm.prank(BOB);
        g.castVote(id, 1);
        vm.warp(g.proposalDeadline(id) + 1);
        g.queue(t, v, c, keccak256(bytes(description)));
        vm.warp(g.proposalEta(id) + 1);
        try g.execute(t, v, c, keccak256(bytes(description))) {
            executed = true;
        } catch (bytes memory r) {
            reason = r;
        }
        vm.warp(block.timestamp + 1);
    }

    function _one(
        address target,
        bytes memory call
    ) private pure returns (address[] memory t, uint256[] memory v, bytes[] memory c) {
        t = new address[](1);
        v = new uint256[](1);
        c = new bytes[](1);
        (t[0], c[0]) = (target, call);
    }
}
