// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/**
 * @dev HOSTILE TEST COUNTERPART. Receives fractions (as a flash loan would deliver them), votes on a live proposal
 * from inside the receiver hook, and hands the fractions back, all in one transaction. Records the weight
 * the Governor counted, which must be zero: the snapshot lies in the past.
 */
contract FlashVoter is IERC1155Receiver {
    IGovernor public immutable governor;
    uint256 public proposalId;
    uint256 public weightCounted;
    bool public voted;

    constructor(IGovernor governor_) {
        governor = governor_;
    }

    function aim(uint256 proposalId_) external {
        proposalId = proposalId_;
    }

    function onERC1155Received(
        address,
        address from,
        uint256 id,
        uint256 value,
        bytes calldata
    ) external returns (bytes4) {
        weightCounted = governor.castVote(proposalId, 1);
        voted = true;
        IERC1155(msg.sender).safeTransferFrom(address(this), from, id, value, "");
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external pure returns (bytes4) {
        return this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}
