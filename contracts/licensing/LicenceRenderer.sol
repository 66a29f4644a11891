// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILicenseManager} from "../interfaces/ILicenseManager.sol";
import {LicenceMetadata} from "./LicenceMetadata.sol";

/**
 * @title LicenceRenderer
 * @notice Renders a licence's ERC-721 metadata JSON (see `LicenceMetadata`). A stateless contract that each
 * `LicenseManager` implementation deploys in its constructor, so the JSON code does not count against the licence
 * manager's own 24,576-byte limit.
 */
contract LicenceRenderer {
    /// @notice The `data:application/json;base64,` token URI of a licence.
    function tokenURI(
        uint256 licenceId,
        ILicenseManager.Licence calldata lic,
        ILicenseManager.Terms calldata t,
        bool live
    ) external pure returns (string memory) {
        return LicenceMetadata.tokenURI(licenceId, lic, t, live);
    }
}
