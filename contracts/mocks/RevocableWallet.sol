// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/**
 * @dev Test mock (hostile counterpart): an ERC-1271 contract wallet whose owner approves digests and can revoke
 * every approval at once, as a Safe can by changing owners. Holds licences.
 */
contract RevocableWallet is IERC1271, IERC721Receiver {
    error RevocableWalletNotOwner(address caller);

    address public immutable OWNER;
    uint256 public generation;
    mapping(uint256 generation => mapping(bytes32 digest => bool)) public approved;

    constructor(address owner) {
        OWNER = owner;
    }

    function approve(bytes32 digest) external {
        if (msg.sender != OWNER) revert RevocableWalletNotOwner(msg.sender);
        approved[generation][digest] = true;
    }

    function revokeAll() external {
        if (msg.sender != OWNER) revert RevocableWalletNotOwner(msg.sender);
        ++generation;
    }

    function transferLicence(IERC721 licences, address to, uint256 id) external {
        if (msg.sender != OWNER) revert RevocableWalletNotOwner(msg.sender);
        licences.transferFrom(address(this), to, id);
    }

    function isValidSignature(bytes32 digest, bytes calldata) external view returns (bytes4) {
        return approved[generation][digest] ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }
}
