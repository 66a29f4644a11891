// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Signature} from "@ethereum-attestation-service/eas-contracts/contracts/Common.sol";
import {
    AttestationRequest,
    AttestationRequestData,
    DelegatedAttestationRequest,
    DelegatedRevocationRequest,
    MultiAttestationRequest,
    MultiRevocationRequest,
    RevocationRequestData
} from "@ethereum-attestation-service/eas-contracts/contracts/IEAS.sol";

import {ILicenseeReviewResolver} from "../../../contracts/interfaces/ILicenseeReviewResolver.sol";
import {IProvenanceResolver} from "../../../contracts/interfaces/IProvenanceResolver.sol";
import {AttestationsFixture} from "./AttestationsFixture.sol";

/// @dev The parts of EAS's EIP-712 verifier a delegated request is signed against.
// solhint-disable-next-line interface-starts-with-i
interface EasDelegation {
    function getDomainSeparator() external view returns (bytes32);
    function getNonce(address account) external view returns (uint256);
}

/**
 * @dev Security review of the review resolver through EAS's other paths: an expiring review (refused, it would keep
 * its licence taken after EAS calls it invalid), delegated attestation (the signer, not the relayer, must own the
 * licence), revocation by `multiRevoke` and `revokeByDelegation` (each frees its licence), ETH (refused by EAS
 * and by the resolver), a non-licensee hidden in a batch, malformed offsets, and another model's treasury.
 */
contract AttestationsReviewTest is AttestationsFixture {
    /// @dev keccak256("Attest(address attester,bytes32 schema,address recipient,uint64 expirationTime,bool revocable,
    /// bytes32 refUID,bytes data,uint256 value,uint256 nonce,uint64 deadline)"), EAS's constant.
    bytes32 internal constant ATTEST_TYPEHASH = 0xfeb2925a02bae3dae48d424a0437a2b6ac939aa9230ddc55a1a76f065d988076;
    /// @dev keccak256("Revoke(address revoker,bytes32 schema,bytes32 uid,uint256 value,uint256 nonce,
    /// uint64 deadline)"), EAS's constant.
    bytes32 internal constant REVOKE_TYPEHASH = 0xb5d556f07587ec0f08cf386545cc4362c702a001650c2058002615ee5c9d1e75;

    uint256 internal constant SIGNER_KEY = 0xA11CE;
    address internal constant RELAYER = address(0xBEEF);

    address internal signer;
    uint256 internal licenceId;

    function setUp() public {
        _deployAttestations();
        signer = vm.addr(SIGNER_KEY);
        licenceId = _buyLicence(signer);
    }

    /// @dev Attack: a review with an expiration time. Once it expires EAS reports it invalid, yet it still held the
    /// licence (no second review) and readers counting unrevoked reviews still counted it. Refused outright.
    function test_expiringReview_isRefused() public {
        uint64 expiry = uint64(block.timestamp + 1 days);
        bytes memory data = _reviewData(modelId, licenceId, 1, "Gone tomorrow.", "");
        bytes32 uid = keccak256(
            abi.encodePacked(
                reviewSchema,
                address(0),
                signer,
                uint64(block.timestamp),
                expiry,
                true,
                bytes32(0),
                data,
                uint32(0)
            )
        );
        vm.expectRevert(abi.encodeWithSelector(ILicenseeReviewResolver.LicenseeReviewExpiring.selector, uid, expiry));
        vm.prank(signer);
        eas.attest(
            AttestationRequest({
                schema: reviewSchema,
                data: AttestationRequestData({
                    recipient: address(0),
                    expirationTime: expiry,
                    revocable: true,
                    refUID: bytes32(0),
                    data: data,
                    value: 0
                })
            })
        );
        assertEq(reviews.reviewOf(licenceId), bytes32(0), "the licence stays free");
    }

    /// @dev A licensee's signed review relayed by someone without a licence: the resolver checks the signer.
    function test_delegatedReview_bySigningLicensee_isAccepted() public {
        bytes memory data = _reviewData(modelId, licenceId, 5, "Relayed.", "");
        vm.prank(RELAYER);
        bytes32 uid = eas.attestByDelegation(_delegatedAttest(SIGNER_KEY, signer, data));
        assertEq(eas.getAttestation(uid).attester, signer, "the signer attests");
        assertEq(reviews.reviewOf(licenceId), uid, "the licence's review");
    }

    /// @dev Attack: a non-licensee signs a review and the licensee relays it; the signer is the attester, refused.
    function test_delegatedReview_byNonLicenseeSigner_relayedByTheLicensee_isRefused() public {
        uint256 strangerKey = 0xBAD;
        address stranger = vm.addr(strangerKey);
        bytes memory data = _reviewData(modelId, licenceId, 1, "Not mine.", "");
        DelegatedAttestationRequest memory request = _delegatedAttest(strangerKey, stranger, data);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILicenseeReviewResolver.LicenseeReviewNotLicensee.selector,
                stranger,
                licenceId,
                signer
            )
        );
        vm.prank(signer);
        eas.attestByDelegation(request);
    }

    /// @dev `multiRevoke` goes through the resolver's `multiRevoke`: each licence is freed.
    function test_multiRevoke_freesEachLicence() public {
        uint256 second = _buyLicence(signer);
        bytes32 first = _attest(signer, reviewSchema, _reviewData(modelId, licenceId, 4, "One.", ""));
        bytes32 other = _attest(signer, reviewSchema, _reviewData(modelId, second, 2, "Two.", ""));
        MultiRevocationRequest[] memory requests = new MultiRevocationRequest[](1);
        requests[0].schema = reviewSchema;
        requests[0].data = new RevocationRequestData[](2);
        requests[0].data[0] = RevocationRequestData({uid: first, value: 0});
        requests[0].data[1] = RevocationRequestData({uid: other, value: 0});
        vm.prank(signer);
        eas.multiRevoke(requests);
        assertEq(reviews.reviewOf(licenceId), bytes32(0), "first licence freed");
        assertEq(reviews.reviewOf(second), bytes32(0), "second licence freed");
        _attest(signer, reviewSchema, _reviewData(modelId, licenceId, 3, "Again.", ""));
    }

    /// @dev A revocation the author signed and someone else relayed frees the licence too.
    function test_revokeByDelegation_freesTheLicence() public {
        bytes32 uid = _attest(signer, reviewSchema, _reviewData(modelId, licenceId, 4, "Soon gone.", ""));
        bytes32 structHash = keccak256(
            abi.encode(REVOKE_TYPEHASH, signer, reviewSchema, uid, uint256(0), _nonce(signer), uint64(0))
        );
        vm.prank(RELAYER);
        eas.revokeByDelegation(
            DelegatedRevocationRequest({
                schema: reviewSchema,
                data: RevocationRequestData({uid: uid, value: 0}),
                signature: _sign(SIGNER_KEY, structHash),
                revoker: signer,
                deadline: 0
            })
        );
        assertEq(reviews.reviewOf(licenceId), bytes32(0), "licence freed");
    }

    /// @dev The resolver is not payable: EAS refuses a review carrying ETH, and ETH sent straight to it bounces.
    function test_ethWithAReview_orSentToTheResolver_isRefused() public {
        vm.deal(signer, 1 ether);
        vm.expectRevert(abi.encodeWithSignature("NotPayable()"));
        vm.prank(signer);
        eas.attest{value: 1 wei}(
            AttestationRequest({
                schema: reviewSchema,
                data: AttestationRequestData({
                    recipient: address(0),
                    expirationTime: 0,
                    revocable: true,
                    refUID: bytes32(0),
                    data: _reviewData(modelId, licenceId, 4, "Paid.", ""),
                    value: 1 wei
                })
            })
        );
        vm.prank(signer);
        (bool sent, ) = address(reviews).call{value: 1 wei}("");
        assertTrue(!sent, "the resolver takes no ETH");
        assertEq(address(reviews).balance, 0, "no ETH held");
    }

    /// @dev Attack: a non-licensee's review hidden in a batch behind a licensee's; the whole batch is refused.
    function test_multiAttest_withANonLicenseeInTheBatch_isRefused() public {
        address stranger = address(0x5742);
        MultiAttestationRequest[] memory requests = new MultiAttestationRequest[](1);
        requests[0].schema = reviewSchema;
        requests[0].data = new AttestationRequestData[](2);
        requests[0].data[0] = _requestData(_reviewData(modelId, licenceId, 5, "Mine.", ""));
        requests[0].data[1] = _requestData(_reviewData(modelId, licenceId, 1, "Not mine.", ""));
        vm.expectRevert(
            abi.encodeWithSelector(
                ILicenseeReviewResolver.LicenseeReviewNotLicensee.selector,
                stranger,
                licenceId,
                signer
            )
        );
        vm.prank(stranger);
        eas.multiAttest(requests);
        assertEq(reviews.reviewOf(licenceId), bytes32(0), "nothing recorded");
    }

    /// @dev Data long enough for the head but whose string offset points outside it: refused (a bare revert from
    /// ABI decoding; the SDK never encodes it).
    function test_review_withAnOffsetOutsideTheData_reverts() public {
        bytes memory data = _reviewData(modelId, licenceId, 4, "ok", "");
        assembly ("memory-safe") {
            mstore(add(data, 0x80), 0xffff) // the offset of `text`
        }
        vm.expectRevert();
        _attest(signer, reviewSchema, data);
    }

    /// @dev Attack: another model's treasury (its own DAO, anyone can register a model) attests provenance about this
    /// model, or names itself an evaluator of it; both refused.
    function test_anotherModelsTreasury_cannotAttestOrNameEvaluators() public {
        (uint256 otherModel, ) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        address otherTreasury = shares.treasuryOf(otherModel);
        assertTrue(otherTreasury != address(timelock), "a treasury of its own");
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnauthorizedAttester.selector, otherTreasury, modelId)
        );
        _attest(otherTreasury, provenanceSchema, abi.encode(modelId, keccak256("v1"), "evaluation", "ipfs://x"));
        vm.prank(otherTreasury);
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnauthorizedTreasury.selector, otherTreasury, modelId)
        );
        provenance.setEvaluator(modelId, otherTreasury, true);
    }

    function _requestData(bytes memory data) private pure returns (AttestationRequestData memory) {
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

    function _delegatedAttest(
        uint256 key,
        address attester,
        bytes memory data
    ) private view returns (DelegatedAttestationRequest memory) {
        AttestationRequestData memory d = AttestationRequestData({
            recipient: address(0),
            expirationTime: 0,
            revocable: true,
            refUID: bytes32(0),
            data: data,
            value: 0
        });
        bytes32 structHash = keccak256(
            abi.encode(
                ATTEST_TYPEHASH,
                attester,
                reviewSchema,
                d.recipient,
                d.expirationTime,
                d.revocable,
                d.refUID,
                keccak256(d.data),
                d.value,
                _nonce(attester),
                uint64(0)
            )
        );
        return
            DelegatedAttestationRequest({
                schema: reviewSchema,
                data: d,
                signature: _sign(key, structHash),
                attester: attester,
                deadline: 0
            });
    }

    function _nonce(address account) private view returns (uint256) {
        return EasDelegation(address(eas)).getNonce(account);
    }

    function _sign(uint256 key, bytes32 structHash) private view returns (Signature memory) {
        bytes32 digest = keccak256(
            abi.encodePacked("\x19\x01", EasDelegation(address(eas)).getDomainSeparator(), structHash)
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return Signature({v: v, r: r, s: s});
    }
}
