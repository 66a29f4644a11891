// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1155BurnableUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC1155/extensions/ERC1155BurnableUpgradeable.sol";
import {ERC1155SupplyUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC1155/extensions/ERC1155SupplyUpgradeable.sol";
import {ERC1155Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC1155/ERC1155Upgradeable.sol";
import {ERC2981Upgradeable} from "@openzeppelin/contracts-upgradeable/token/common/ERC2981Upgradeable.sol";

/**
 * @dev DELIBERATELY BROKEN UPGRADE TARGET. Inserts a field at the front of ModelShares' ERC-7201 namespace, which
 * would shift every model record. The storage-layout check must reject it; it is never deployed. It carries the
 * same annotations as the compatible V2, so the layout is the only thing it can be rejected for.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract ModelSharesBrokenV2 is
    ERC1155SupplyUpgradeable,
    ERC1155BurnableUpgradeable,
    ERC2981Upgradeable,
    AccessControlUpgradeable,
    UUPSUpgradeable
{
    struct Model {
        address votes;
        bool trackRevenue;
        address treasury;
        string uri;
    }

    /// @custom:storage-location erc7201:weightshare.storage.ModelShares
    struct ModelSharesStorage {
        uint256 insertedField;
        address votesImplementation;
        uint256 modelCount;
        mapping(uint256 modelId => Model) models;
        address revenueHook;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function supportsInterface(
        bytes4 interfaceId
    ) public view override(ERC1155Upgradeable, ERC2981Upgradeable, AccessControlUpgradeable) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    function _update(
        address from,
        address to,
        uint256[] memory ids,
        uint256[] memory values
    ) internal override(ERC1155Upgradeable, ERC1155SupplyUpgradeable) {
        super._update(from, to, ids, values);
    }

    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}
}
