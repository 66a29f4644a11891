// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessDenied} from "@ethereum-attestation-service/eas-contracts/contracts/Common.sol";
import {Attestation} from "@ethereum-attestation-service/eas-contracts/contracts/IEAS.sol";
import {SchemaRecord} from "@ethereum-attestation-service/eas-contracts/contracts/ISchemaRegistry.sol";

import {IProvenanceResolver} from "../../../contracts/interfaces/IProvenanceResolver.sol";
import {AttestationsFixture} from "./AttestationsFixture.sol";

/**
 * @dev Provenance and evaluation attestations on the real EAS through `ProvenanceResolver`: the model's treasury
 * (its timelock) and the evaluators it named attest; anyone else, an evaluator of another model or one dropped,
 * bad fields and any caller other than EAS are refused with the exact error. Only the treasury names evaluators.
 */
contract ProvenanceResolverTest is AttestationsFixture {
    address internal constant EVALUATOR = address(0xE7A1);
    address internal constant STRANGER = address(0x5742);
    bytes32 internal constant MANIFEST = keccak256("manifest of Speech-1B v2");

    function setUp() public {
        _deployAttestations();
    }

    function test_treasury_attestsProvenance() public {
        bytes memory data = abi.encode(modelId, MANIFEST, "training-data", "ipfs://bafysources");
        bytes32 uid = _attest(address(timelock), provenanceSchema, data);
        Attestation memory a = eas.getAttestation(uid);
        assertEq(a.attester, address(timelock), "attested by the treasury");
        assertEq(keccak256(a.data), keccak256(data), "data");
        SchemaRecord memory record = schemas.getSchema(provenanceSchema);
        assertEq(record.uid, keccak256(abi.encodePacked(provenance.SCHEMA(), address(provenance), true)), "own UID");
        assertEq(record.schema, "uint256 modelId,bytes32 manifestHash,string kind,string uri", "schema");
        assertEq(address(record.resolver), address(provenance), "registered by its resolver");
        assertTrue(record.revocable, "revocable");
    }

    function test_namedEvaluator_attests_andDroppedOneNoLonger() public {
        vm.prank(address(timelock));
        provenance.setEvaluator(modelId, EVALUATOR, true);
        assertTrue(provenance.isEvaluator(modelId, EVALUATOR), "named");
        bytes memory data = abi.encode(modelId, MANIFEST, "evaluation", "ipfs://bafyevals");
        bytes32 uid = _attest(EVALUATOR, provenanceSchema, data);
        assertEq(eas.getAttestation(uid).attester, EVALUATOR, "attested by the evaluator");

        vm.prank(address(timelock));
        provenance.setEvaluator(modelId, EVALUATOR, false);
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnauthorizedAttester.selector, EVALUATOR, modelId)
        );
        _attest(EVALUATOR, provenanceSchema, abi.encode(modelId, MANIFEST, "model-card", "ipfs://bafycard"));
        assertTrue(eas.getAttestation(uid).revocationTime == 0, "what it attested before stays");
    }

    function test_anyoneElse_isRefused() public {
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnauthorizedAttester.selector, STRANGER, modelId)
        );
        _attest(STRANGER, provenanceSchema, abi.encode(modelId, MANIFEST, "evaluation", "ipfs://x"));
        // A fraction holder is not the treasury either: the DAO attests only by vote.
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnauthorizedAttester.selector, ALICE, modelId)
        );
        _attest(ALICE, provenanceSchema, abi.encode(modelId, MANIFEST, "evaluation", "ipfs://x"));
    }

    function test_evaluatorOfAnotherModel_isRefused() public {
        (uint256 otherModel, ) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        vm.prank(address(timelock));
        provenance.setEvaluator(modelId, EVALUATOR, true);
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnauthorizedAttester.selector, EVALUATOR, otherModel)
        );
        _attest(EVALUATOR, provenanceSchema, abi.encode(otherModel, MANIFEST, "evaluation", "ipfs://x"));
    }

    function test_setEvaluator_onlyByTheModelsTreasury() public {
        vm.prank(STRANGER);
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnauthorizedTreasury.selector, STRANGER, modelId)
        );
        provenance.setEvaluator(modelId, STRANGER, true);
        (uint256 otherModel, ) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        vm.prank(address(timelock)); // this model's treasury, not the other's
        vm.expectRevert(
            abi.encodeWithSelector(
                IProvenanceResolver.ProvenanceUnauthorizedTreasury.selector,
                address(timelock),
                otherModel
            )
        );
        provenance.setEvaluator(otherModel, EVALUATOR, true);
        assertTrue(!provenance.isEvaluator(modelId, STRANGER), "nothing named");
        assertTrue(!provenance.isEvaluator(otherModel, EVALUATOR), "nothing named");
    }

    function test_setEvaluator_badInput_reverts() public {
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnknownModel.selector, 99));
        provenance.setEvaluator(99, EVALUATOR, true);
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IProvenanceResolver.ProvenanceInvalidEvaluator.selector, address(0)));
        provenance.setEvaluator(modelId, address(0), true);
    }

    function test_badFields_areRefused() public {
        address treasury = address(timelock);
        vm.expectRevert(abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnknownKind.selector, "weights"));
        _attest(treasury, provenanceSchema, abi.encode(modelId, MANIFEST, "weights", "ipfs://x"));
        vm.expectRevert(abi.encodeWithSelector(IProvenanceResolver.ProvenanceEmptyManifest.selector, modelId));
        _attest(treasury, provenanceSchema, abi.encode(modelId, bytes32(0), "evaluation", "ipfs://x"));
        vm.expectRevert(abi.encodeWithSelector(IProvenanceResolver.ProvenanceUnknownModel.selector, 99));
        _attest(treasury, provenanceSchema, abi.encode(99, MANIFEST, "evaluation", "ipfs://x"));
        vm.expectRevert(abi.encodeWithSelector(IProvenanceResolver.ProvenanceURITooLong.selector, 513, 512));
        _attest(treasury, provenanceSchema, abi.encode(modelId, MANIFEST, "evaluation", string(new bytes(513))));
        vm.expectRevert(abi.encodeWithSelector(IProvenanceResolver.ProvenanceMalformed.selector, 64));
        _attest(treasury, provenanceSchema, abi.encode(modelId, MANIFEST));
    }

    function test_anotherSchema_namingTheResolver_isRefused() public {
        bytes32 other = schemas.register("uint256 modelId,bytes32 manifestHash", provenance, true);
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceResolver.ProvenanceWrongSchema.selector, other, provenanceSchema)
        );
        _attest(address(timelock), other, abi.encode(modelId, MANIFEST));
    }

    function test_resolver_calledByAnyoneButEas_reverts() public {
        Attestation memory a;
        a.schema = provenanceSchema;
        a.attester = address(timelock);
        a.data = abi.encode(modelId, MANIFEST, "evaluation", "ipfs://x");
        vm.prank(address(timelock));
        vm.expectRevert(AccessDenied.selector);
        provenance.attest(a);
    }

    function test_revocation_onlyByItsAttester() public {
        vm.prank(address(timelock));
        provenance.setEvaluator(modelId, EVALUATOR, true);
        bytes32 uid = _attest(EVALUATOR, provenanceSchema, abi.encode(modelId, MANIFEST, "evaluation", "ipfs://x"));
        vm.expectRevert(AccessDenied.selector);
        _revoke(address(timelock), provenanceSchema, uid);
        _revoke(EVALUATOR, provenanceSchema, uid);
        assertTrue(eas.getAttestation(uid).revocationTime != 0, "revoked by its evaluator");
    }
}
