// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IEAS, Attestation} from "@ethereum-attestation-service/eas-contracts/contracts/IEAS.sol";

import {ILicenseManager} from "../interfaces/ILicenseManager.sol";
import {ILicenseeReviewResolver} from "../interfaces/ILicenseeReviewResolver.sol";
import {OwnSchemaResolver} from "./OwnSchemaResolver.sol";

/**
 * @title LicenseeReviewResolver
 * @notice Accepts a review of a model on EAS only from the owner of a licence of that model, one review per licence
 * at a time; revoking the review (its author only, EAS's rule) frees the licence. See `ILicenseeReviewResolver`.
 * @dev Built on EAS's `SchemaResolver` (its `^0.8.4` sources compile with the project's solc 0.8.30): every
 * callback it receives is refused unless EAS itself calls (`AccessDenied`). It registers its schema when deployed
 * (`OwnSchemaResolver`). No admin, not upgradeable.
 */
contract LicenseeReviewResolver is ILicenseeReviewResolver, OwnSchemaResolver {
    /// @inheritdoc ILicenseeReviewResolver
    string public constant SCHEMA = "uint256 modelId,uint256 licenceId,uint8 rating,string text,string reviewURI";
    /// @notice The lowest rating.
    uint256 public constant MIN_RATING = 1;
    /// @notice The highest rating.
    uint256 public constant MAX_RATING = 5;
    /// @notice The longest review text, in bytes (a longer review belongs in a document named by its URI).
    uint256 public constant MAX_TEXT_BYTES = 2_000;
    /// @notice The longest review document URI, in bytes.
    uint256 public constant MAX_URI_BYTES = 512;

    /// @dev Five ABI head words: modelId, licenceId, rating, and the offsets of text and reviewURI.
    uint256 private constant HEAD_BYTES = 5 * 32;

    ILicenseManager private immutable _LICENCES;

    mapping(uint256 licenceId => bytes32 uid) private _reviewOf;

    /// @param eas the EAS contract whose callbacks this resolver accepts
    /// @param licenceManager the licence manager (its ERC-721 licences give the right to review)
    constructor(IEAS eas, ILicenseManager licenceManager) OwnSchemaResolver(eas, SCHEMA) {
        _LICENCES = licenceManager;
    }

    /// @inheritdoc ILicenseeReviewResolver
    function schemaUID() external view returns (bytes32) {
        return _SCHEMA_UID;
    }

    /// @inheritdoc ILicenseeReviewResolver
    function reviewOf(uint256 licenceId) external view returns (bytes32 uid) {
        return _reviewOf[licenceId];
    }

    /// @inheritdoc ILicenseeReviewResolver
    function licences() external view returns (address) {
        return address(_LICENCES);
    }

    /// @dev Checks the schema, the fields and the attester's licence, then records the review against the licence.
    function onAttest(Attestation calldata attestation, uint256 /* value */) internal override returns (bool) {
        if (attestation.schema != _SCHEMA_UID) revert LicenseeReviewWrongSchema(attestation.schema, _SCHEMA_UID);
        if (!attestation.revocable) revert LicenseeReviewNotRevocable(attestation.uid);
        // An expired review would keep its licence taken while EAS reports it no longer valid.
        if (attestation.expirationTime != 0) {
            revert LicenseeReviewExpiring(attestation.uid, attestation.expirationTime);
        }
        (uint256 modelId, uint256 licenceId, uint256 rating) = _decode(attestation.data);

        // Reverts with LicenseManagerUnknownLicence for a licence that was never bought.
        uint256 licenceModelId = _LICENCES.licence(licenceId).modelId;
        if (licenceModelId != modelId) revert LicenseeReviewWrongModel(licenceId, licenceModelId, modelId);
        address owner = IERC721(address(_LICENCES)).ownerOf(licenceId);
        if (owner != attestation.attester) revert LicenseeReviewNotLicensee(attestation.attester, licenceId, owner);
        bytes32 existing = _reviewOf[licenceId];
        if (existing != bytes32(0)) revert LicenseeReviewAlreadyReviewed(licenceId, existing);

        _reviewOf[licenceId] = attestation.uid;
        emit Reviewed(modelId, licenceId, attestation.uid, attestation.attester, rating);
        return true;
    }

    /// @dev EAS lets only the attester revoke (and only revocable attestations); this frees the licence.
    function onRevoke(Attestation calldata attestation, uint256 /* value */) internal override returns (bool) {
        // Only attestations of the own schema were ever accepted (onAttest), so the data decodes.
        (uint256 modelId, uint256 licenceId, ) = abi.decode(attestation.data, (uint256, uint256, uint8));
        if (_reviewOf[licenceId] == attestation.uid) delete _reviewOf[licenceId];
        emit ReviewRevoked(modelId, licenceId, attestation.uid);
        return true;
    }

    /// @dev Decodes the fields and checks the rating and the lengths of the text and the URI.
    function _decode(bytes calldata data) private pure returns (uint256 modelId, uint256 licenceId, uint256 rating) {
        if (data.length < HEAD_BYTES) revert LicenseeReviewMalformed(data.length);
        string memory text;
        string memory reviewURI;
        uint8 stars;
        (modelId, licenceId, stars, text, reviewURI) = abi.decode(data, (uint256, uint256, uint8, string, string));
        rating = stars;
        if (rating < MIN_RATING || rating > MAX_RATING) {
            revert LicenseeReviewRatingOutOfRange(rating, MIN_RATING, MAX_RATING);
        }
        uint256 textLength = bytes(text).length;
        uint256 uriLength = bytes(reviewURI).length;
        if (textLength == 0 && uriLength == 0) revert LicenseeReviewEmpty();
        if (textLength > MAX_TEXT_BYTES) revert LicenseeReviewTooLong(0, textLength, MAX_TEXT_BYTES);
        if (uriLength > MAX_URI_BYTES) revert LicenseeReviewTooLong(1, uriLength, MAX_URI_BYTES);
    }
}
