// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title ILicenseeReviewResolver
 * @notice The resolver of Weightshare's review schema on the Ethereum Attestation Service (EAS):
 * `uint256 modelId,uint256 licenceId,uint8 rating,string text,string reviewURI`. A review is accepted only from the
 * current owner of a licence of that model (live or expired: a licensee whose licence ran out may still review what
 * it paid for), one review per licence at a time, rated 1 to 5, with a text, a review document's URI, or both. The
 * review is revocable, by its author only (EAS lets only the attester revoke), and revoking it frees the licence
 * for a new review; it never expires (an expiration time is refused).
 * @dev The licence's past owners are not recorded by the licence manager, so the right to review travels with the
 * licence: whoever owns it when attesting. A review written before a transfer stays until its author revokes it.
 */
interface ILicenseeReviewResolver {
    /// @notice The attestation is not of this resolver's own review schema (someone registered another schema
    /// naming this resolver).
    error LicenseeReviewWrongSchema(bytes32 schema, bytes32 expected);
    /// @notice The attestation's data is too short to hold the schema's five fields.
    error LicenseeReviewMalformed(uint256 length);
    /// @notice The attester does not own the licence it reviews with.
    error LicenseeReviewNotLicensee(address attester, uint256 licenceId, address owner);
    /// @notice The licence is of another model than the one reviewed.
    error LicenseeReviewWrongModel(uint256 licenceId, uint256 licenceModelId, uint256 modelId);
    /// @notice The licence already has a review that was not revoked.
    error LicenseeReviewAlreadyReviewed(uint256 licenceId, bytes32 uid);
    /// @notice The rating is outside 1..5.
    error LicenseeReviewRatingOutOfRange(uint256 rating, uint256 min, uint256 max);
    /// @notice Neither a text nor a review URI was given.
    error LicenseeReviewEmpty();
    /// @notice The text or the URI (`field` 0 or 1) is longer than allowed.
    error LicenseeReviewTooLong(uint256 field, uint256 length, uint256 max);
    /// @notice The review was made irrevocable; a review must stay revocable by its author.
    error LicenseeReviewNotRevocable(bytes32 uid);
    /// @notice The review was given an expiration time; a review stands until its author revokes it (an expired
    /// one would still hold its licence, and readers would disagree on whether it counts).
    error LicenseeReviewExpiring(bytes32 uid, uint64 expirationTime);

    /// @notice `attester` reviewed `modelId` with `licenceId` (attestation `uid`).
    event Reviewed(
        uint256 indexed modelId,
        uint256 indexed licenceId,
        bytes32 indexed uid,
        address attester,
        uint256 rating
    );
    /// @notice The review `uid` was revoked by its author; `licenceId` may be used for a new review.
    event ReviewRevoked(uint256 indexed modelId, uint256 indexed licenceId, bytes32 indexed uid);

    /// @notice The schema string this resolver accepts; the resolver registered it (revocable) when deployed.
    // solhint-disable-next-line func-name-mixedcase
    function SCHEMA() external view returns (string memory);

    /// @notice The UID EAS's SchemaRegistry gives `SCHEMA` with this resolver, revocable.
    function schemaUID() external view returns (bytes32);

    /// @notice The live review of `licenceId` (bytes32(0) when none, or after it was revoked).
    function reviewOf(uint256 licenceId) external view returns (bytes32 uid);

    /// @notice The licence manager whose licences give the right to review.
    function licences() external view returns (address);
}
