// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IModelShares} from "../interfaces/IModelShares.sol";
import {IModelVotes} from "../interfaces/IModelVotes.sol";

/**
 * @dev HOSTILE TEST COUNTERPART. An ERC-1155 receiver that, inside its receiver hook, records what it can see of
 * its own balance and votes, then re-enters `ModelShares` by forwarding part of what it received. Used to prove
 * that votes are already moved when receiver hooks run and stay consistent under re-entrancy.
 */
contract ReentrantERC1155Receiver is IERC1155Receiver {
    IModelShares public immutable shares;
    address public forwardTo;
    uint256 public forwardAmount;
    bool private _inHook;

    uint256 public seenBalance;
    uint256 public seenVotes;
    uint256 public seenVotableSupply;
    uint256 public hookCalls;

    constructor(IModelShares shares_) {
        shares = shares_;
    }

    function setForward(address to, uint256 amount) external {
        forwardTo = to;
        forwardAmount = amount;
    }

    function onERC1155Received(address, address, uint256 id, uint256, bytes calldata) external returns (bytes4) {
        _observeAndReenter(id);
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata ids,
        uint256[] calldata,
        bytes calldata
    ) external returns (bytes4) {
        _observeAndReenter(ids[0]);
        return this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    function _observeAndReenter(uint256 id) private {
        ++hookCalls;
        IModelVotes votes = IModelVotes(shares.votesOf(id));
        seenBalance = IERC1155Balance(address(shares)).balanceOf(address(this), id);
        seenVotes = votes.getVotes(address(this));
        seenVotableSupply = votes.votableSupply();
        if (!_inHook && forwardTo != address(0) && forwardAmount != 0) {
            _inHook = true;
            IERC1155Transfer(address(shares)).safeTransferFrom(address(this), forwardTo, id, forwardAmount, "");
            _inHook = false;
        }
    }
}

interface IERC1155Balance {
    function balanceOf(address account, uint256 id) external view returns (uint256);
}

interface IERC1155Transfer {
    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes calldata data) external;
}
