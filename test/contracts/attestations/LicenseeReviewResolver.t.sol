// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessDenied} from "@ethereum-attestation-service/eas-contracts/contracts/Common.sol";
import {
    IEAS,
    Attestation,
    AttestationRequest,
    AttestationRequestData,
    MultiAttestationRequest
} from "@ethereum-attestation-service/eas-contracts/contracts/IEAS.sol";
import {ISchemaRegistry, SchemaRecord} from "@ethereum-attestation-service/eas-contracts/contracts/ISchemaRegistry.sol";
import {ISchemaResolver} from "@ethereum-attestation-service/eas-contracts/contracts/resolver/ISchemaResolver.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {LicenseeReviewResolver} from "../../../contracts/attestations/LicenseeReviewResolver.sol";
import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {ILicenseeReviewResolver} from "../../../contracts/interfaces/ILicenseeReviewResolver.sol";
import {AttestationsFixture} from "./AttestationsFixture.sol";

/**
 * @dev Reviews on the real EAS through `LicenseeReviewResolver`: a licensee (live or expired) reviews once per
 * licence and frees the licence by revoking; everyone else, a second review, bad fields, another schema naming the
 * resolver and any caller other than this EAS are refused with the exact error.
 */
contract LicenseeReviewResolverTest is AttestationsFixture {
    address internal constant BUYER = address(0xB1);
    address internal constant OTHER = address(0xB2);

    uint256 internal licenceId;

    function setUp() public {
        _deployAttestations();
        licenceId = _buyLicence(BUYER);
    }

    function test_review_byLicensee_isRecordedOnEasAndAgainstTheLicence() public {
        bytes memory data = _reviewData(modelId, licenceId, 4, "Solid on Welsh.", "");
        bytes32 uid = _attest(BUYER, reviewSchema, data);
        Attestation memory a = eas.getAttestation(uid);
        assertEq(a.attester, BUYER, "attester");
        assertEq(a.schema, reviewSchema, "schema");
        assertEq(keccak256(a.data), keccak256(data), "data");
        assertEq(reviews.reviewOf(licenceId), uid, "the licence's review");
    }

    /// @dev The resolver registered its schema when deployed: revocable, naming itself, under the UID it reports.
    function test_resolver_registeredItsOwnSchema() public view {
        SchemaRecord memory record = schemas.getSchema(reviewSchema);
        assertEq(record.uid, reviewSchema, "registered");
        assertEq(record.uid, keccak256(abi.encodePacked(reviews.SCHEMA(), address(reviews), true)), "EAS's UID");
        assertEq(
            record.schema,
            "uint256 modelId,uint256 licenceId,uint8 rating,string text,string reviewURI",
            "schema"
        );
        assertEq(address(record.resolver), address(reviews), "with the resolver");
        assertTrue(record.revocable, "revocable");
    }

    /// @dev Registering the schema in advance for the resolver's predicted address cannot stop its deployment.
    function test_resolver_deploysWhenItsSchemaWasRegisteredInAdvance() public {
        bytes32 salt = keccak256("front-run");
        bytes memory init = abi.encodePacked(
            type(LicenseeReviewResolver).creationCode,
            abi.encode(address(eas), address(licenses))
        );
        address predicted = address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, keccak256(init)))))
        );
        vm.prank(OTHER);
        bytes32 uid = schemas.register(reviews.SCHEMA(), ISchemaResolver(predicted), true);
        LicenseeReviewResolver deployed = new LicenseeReviewResolver{salt: salt}(eas, licenses);
        assertEq(address(deployed), predicted, "predicted");
        assertEq(deployed.schemaUID(), uid, "the same schema, kept");
    }

    function test_review_withOnlyADocumentURI_passes() public {
        bytes32 uid = _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 5, "", "ipfs://bafyreview"));
        assertEq(reviews.reviewOf(licenceId), uid, "recorded");
    }

    function test_review_afterTheLicenceExpired_passes() public {
        vm.warp(block.timestamp + 31 days);
        assertTrue(!licenses.isLive(licenceId), "expired");
        bytes32 uid = _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 2, "Lapsed, still fair.", ""));
        assertEq(reviews.reviewOf(licenceId), uid, "an expired licence still reviews");
    }

    function test_review_byNonLicensee_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewNotLicensee.selector, OTHER, licenceId, BUYER)
        );
        _attest(OTHER, reviewSchema, _reviewData(modelId, licenceId, 1, "Never used it.", ""));
        assertEq(reviews.reviewOf(licenceId), bytes32(0), "nothing recorded");
    }

    function test_review_withAnUnknownLicence_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILicenseManager.LicenseManagerUnknownLicence.selector, 99));
        _attest(BUYER, reviewSchema, _reviewData(modelId, 99, 3, "?", ""));
    }

    function test_review_ofAnotherModel_withThisModelsLicence_reverts() public {
        (uint256 otherModel, ) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILicenseeReviewResolver.LicenseeReviewWrongModel.selector,
                licenceId,
                modelId,
                otherModel
            )
        );
        _attest(BUYER, reviewSchema, _reviewData(otherModel, licenceId, 5, "Wrong model.", ""));
    }

    function test_secondReview_fromTheSameLicence_reverts() public {
        bytes32 first = _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 4, "First.", ""));
        vm.expectRevert(
            abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewAlreadyReviewed.selector, licenceId, first)
        );
        _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 5, "Again.", ""));
    }

    /// @dev Two reviews of one licence in one batch: EAS's multiAttest reaches the resolver once per attestation.
    function test_secondReview_inTheSameBatch_reverts() public {
        AttestationRequestData[] memory data = new AttestationRequestData[](2);
        data[0] = _request(_reviewData(modelId, licenceId, 4, "First.", ""));
        data[1] = _request(_reviewData(modelId, licenceId, 5, "Second.", ""));
        MultiAttestationRequest[] memory batch = new MultiAttestationRequest[](1);
        batch[0] = MultiAttestationRequest({schema: reviewSchema, data: data});
        bytes32 first = _uid(reviewSchema, BUYER, data[0].data);
        vm.prank(BUYER);
        vm.expectRevert(
            abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewAlreadyReviewed.selector, licenceId, first)
        );
        eas.multiAttest(batch);
    }

    function test_secondLicence_ofTheSameAccount_reviewsAgain() public {
        uint256 second = _buyLicence(BUYER);
        _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 4, "First licence.", ""));
        bytes32 uid = _attest(BUYER, reviewSchema, _reviewData(modelId, second, 3, "Second licence.", ""));
        assertEq(reviews.reviewOf(second), uid, "one review per licence, not per account");
    }

    function test_rating_outOfRange_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewRatingOutOfRange.selector, 0, 1, 5)
        );
        _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 0, "Zero.", ""));
        vm.expectRevert(
            abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewRatingOutOfRange.selector, 6, 1, 5)
        );
        _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 6, "Six.", ""));
    }

    function test_review_withoutTextOrURI_reverts() public {
        vm.expectRevert(ILicenseeReviewResolver.LicenseeReviewEmpty.selector);
        _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 3, "", ""));
    }

    function test_review_tooLong_reverts() public {
        string memory long = string(new bytes(2_001));
        vm.expectRevert(
            abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewTooLong.selector, 0, 2_001, 2_000)
        );
        _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 3, long, ""));
        string memory longURI = string(new bytes(513));
        vm.expectRevert(abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewTooLong.selector, 1, 513, 512));
        _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 3, "ok", longURI));
    }

    function test_review_withMalformedData_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewMalformed.selector, 64));
        _attest(BUYER, reviewSchema, abi.encode(modelId, licenceId));
    }

    function test_irrevocableReview_reverts() public {
        bytes memory data = _reviewData(modelId, licenceId, 4, "Forever.", "");
        bytes32 uid = keccak256(
            abi.encodePacked(
                reviewSchema,
                address(0),
                BUYER,
                uint64(block.timestamp),
                uint64(0),
                false,
                bytes32(0),
                data,
                uint32(0)
            )
        );
        vm.expectRevert(abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewNotRevocable.selector, uid));
        _attestAs(BUYER, reviewSchema, data, false);
    }

    /// @dev Anyone can register another schema naming this resolver; its attestations are refused.
    function test_anotherSchema_namingTheResolver_isRefused() public {
        bytes32 irrevocable = schemas.register(reviews.SCHEMA(), reviews, false);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILicenseeReviewResolver.LicenseeReviewWrongSchema.selector,
                irrevocable,
                reviewSchema
            )
        );
        _attestAs(BUYER, irrevocable, _reviewData(modelId, licenceId, 5, "Locked in.", ""), false);
    }

    function test_resolver_calledByAnyoneButEas_reverts() public {
        Attestation memory a;
        a.schema = reviewSchema;
        a.attester = BUYER;
        a.revocable = true;
        a.data = _reviewData(modelId, licenceId, 5, "Direct.", "");
        vm.prank(BUYER);
        vm.expectRevert(AccessDenied.selector);
        reviews.attest(a);
        vm.expectRevert(AccessDenied.selector);
        reviews.revoke(a);
    }

    /// @dev A second, rogue EAS whose registry names this resolver is not the EAS the resolver trusts.
    function test_resolver_calledByAnotherEas_reverts() public {
        (ISchemaRegistry rogueRegistry, IEAS rogue) = _deployEas();
        bytes32 schema = rogueRegistry.register(reviews.SCHEMA(), reviews, true);
        AttestationRequestData memory request = _request(_reviewData(modelId, licenceId, 5, "Rogue.", ""));
        vm.prank(BUYER);
        vm.expectRevert(AccessDenied.selector);
        rogue.attest(_single(schema, request));
    }

    function test_revocation_byTheAuthor_freesTheLicence() public {
        bytes32 first = _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 1, "Harsh.", ""));
        _revoke(BUYER, reviewSchema, first);
        assertTrue(eas.getAttestation(first).revocationTime != 0, "revoked on EAS");
        assertEq(reviews.reviewOf(licenceId), bytes32(0), "licence freed");
        vm.warp(block.timestamp + 1);
        bytes32 second = _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 4, "Fairer.", ""));
        assertEq(reviews.reviewOf(licenceId), second, "a new review from the same licence");
    }

    function test_revocation_byAnyoneElse_reverts() public {
        bytes32 uid = _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 4, "Mine.", ""));
        vm.expectRevert(AccessDenied.selector);
        _revoke(OTHER, reviewSchema, uid);
        assertEq(reviews.reviewOf(licenceId), uid, "still the licence's review");
    }

    /// @dev The right to review travels with the licence; the review already written stays its author's.
    function test_transferredLicence_reviewsOnceItsPreviousReviewIsRevoked() public {
        bytes32 first = _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 4, "Before selling.", ""));
        vm.prank(BUYER);
        IERC721(address(licenses)).transferFrom(BUYER, OTHER, licenceId);
        vm.expectRevert(
            abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewAlreadyReviewed.selector, licenceId, first)
        );
        _attest(OTHER, reviewSchema, _reviewData(modelId, licenceId, 2, "New owner.", ""));
        _revoke(BUYER, reviewSchema, first); // the author still revokes after selling
        vm.expectRevert(
            abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewNotLicensee.selector, BUYER, licenceId, OTHER)
        );
        _attest(BUYER, reviewSchema, _reviewData(modelId, licenceId, 5, "Sold it.", ""));
        bytes32 second = _attest(OTHER, reviewSchema, _reviewData(modelId, licenceId, 2, "New owner.", ""));
        assertEq(reviews.reviewOf(licenceId), second, "the new owner's review");
    }

    function _request(bytes memory data) private pure returns (AttestationRequestData memory) {
        return
            AttestationRequestData({
                recipient: address(0),
                expirationTime: 0,
                revocable: true,
                refUID: bytes32(0),
                data: data,
                value: 0
            });
    }

    function _single(
        bytes32 schema,
        AttestationRequestData memory request
    ) private pure returns (AttestationRequest memory) {
        return AttestationRequest({schema: schema, data: request});
    }

    /// @dev EAS's UID of a revocable attestation without recipient, expiry or reference, made now (bump 0).
    function _uid(bytes32 schema, address attester, bytes memory data) private view returns (bytes32) {
        return
            keccak256(
                abi.encodePacked(
                    schema,
                    address(0),
                    attester,
                    uint64(block.timestamp),
                    uint64(0),
                    true,
                    bytes32(0),
                    data,
                    uint32(0)
                )
            );
    }
}
