// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ModelShares} from "../token/ModelShares.sol";

/**
 * @dev TEST UPGRADE TARGET. A compatible V2: same storage, plus a new namespace of its own. Used to prove that an
 * upgrade keeps every balance, vote and model, and that the storage-layout check accepts a safe change.
 * It is only ever reached by upgrading an initialised V1 proxy, so it adds no initializer of its own.
 * @custom:oz-upgrades-from contracts/token/ModelShares.sol:ModelShares
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract ModelSharesV2 is ModelShares {
    /// @custom:storage-location erc7201:weightshare.storage.ModelSharesV2
    struct ModelSharesV2Storage {
        uint256 upgradedAt;
    }

    // keccak256(abi.encode(uint256(keccak256("weightshare.storage.ModelSharesV2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant V2_STORAGE_LOCATION = 0xe084848b102f856c0956a6dbf818cece8fdf907118192f48303604b5415b0200;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function markUpgraded() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _getV2Storage().upgradedAt = block.timestamp;
    }

    function version() external pure returns (string memory) {
        return "2";
    }

    function upgradedAt() external view returns (uint256) {
        return _getV2Storage().upgradedAt;
    }

    function _getV2Storage() private pure returns (ModelSharesV2Storage storage $) {
        assembly {
            $.slot := V2_STORAGE_LOCATION
        }
    }
}
