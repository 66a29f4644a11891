// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// JSON is built from string literals full of double quotes; prettier keeps them single-quoted to avoid escapes.
// solhint-disable quotes

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {ILicenseManager} from "../interfaces/ILicenseManager.sol";

/**
 * @title LicenceMetadata
 * @notice Renders a licence"s ERC-721 metadata: a `data:application/json;base64,` URI with the licence"s model,
 * offer, expiry, credits and the terms it was bought under (document URI and hash), so wallets and marketplaces
 * show what the holder is entitled to.
 */
library LicenceMetadata {
    using Strings for uint256;

    function tokenURI(
        uint256 licenceId,
        ILicenseManager.Licence memory lic,
        ILicenseManager.Terms memory t,
        bool live
    ) internal pure returns (string memory) {
        string memory json = string.concat(
            '{"name":"Weightshare Licence #',
            licenceId.toString(),
            '","description":"Licence to model ',
            uint256(lic.modelId).toString(),
            " under the terms at termsURI (keccak256 termsHash), as they stood when it was bought.",
            '","external_url":"',
            Strings.escapeJSON(t.termsURI), // a terms URI can never end the string and rewrite the metadata
            '","attributes":[',
            _attributes(lic, t, live),
            "]}"
        );
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json)));
    }

    function _attributes(
        ILicenseManager.Licence memory lic,
        ILicenseManager.Terms memory t,
        bool live
    ) private pure returns (string memory) {
        return
            string.concat(
                _number("model", lic.modelId),
                ",",
                _number("offer", lic.offerId),
                ",",
                _number("terms version", lic.termsId),
                ",",
                lic.expiry == 0 ? '{"trait_type":"expiry","value":"perpetual"}' : _date("expiry", lic.expiry),
                ",",
                lic.metered ? _number("credits", lic.credits) : '{"trait_type":"credits","value":"unmetered"}',
                ",",
                _flag("commercial use", t.commercialUse),
                ",",
                _flag("derivatives allowed", t.derivativesAllowed),
                _derivativeTerms(t),
                ",",
                _flag("transferable", lic.transferable),
                ",",
                _flag("live", live),
                ',{"trait_type":"terms hash","value":"',
                uint256(t.termsHash).toHexString(32),
                '"}'
            );
    }

    /// @dev A derivative licence's parent share (basis points) and the price floor of a derivative's licences (in
    /// the smallest unit of the licence's payment token).
    function _derivativeTerms(ILicenseManager.Terms memory t) private pure returns (string memory) {
        if (!t.derivativesAllowed) return "";
        return
            string.concat(
                ",",
                _number("parent share (bps)", t.parentShareBps),
                ",",
                // A string: prices in the token's smallest unit pass 2^53, past which JSON numbers are not exact.
                '{"trait_type":"min derivative price","value":"',
                uint256(t.minDerivativePrice).toString(),
                '"}'
            );
    }

    function _number(string memory trait, uint256 value) private pure returns (string memory) {
        return string.concat('{"trait_type":"', trait, '","value":', value.toString(), "}");
    }

    function _date(string memory trait, uint256 value) private pure returns (string memory) {
        return string.concat('{"display_type":"date","trait_type":"', trait, '","value":', value.toString(), "}");
    }

    function _flag(string memory trait, bool value) private pure returns (string memory) {
        return string.concat('{"trait_type":"', trait, '","value":"', value ? "yes" : "no", '"}');
    }
}
