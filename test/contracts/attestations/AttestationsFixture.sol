// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {
    IEAS,
    AttestationRequest,
    AttestationRequestData,
    RevocationRequest,
    RevocationRequestData
} from "@ethereum-attestation-service/eas-contracts/contracts/IEAS.sol";
import {ISchemaRegistry} from "@ethereum-attestation-service/eas-contracts/contracts/ISchemaRegistry.sol";

import {LicenseeReviewResolver} from "../../../contracts/attestations/LicenseeReviewResolver.sol";
import {ProvenanceResolver} from "../../../contracts/attestations/ProvenanceResolver.sol";
import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IModelShares} from "../../../contracts/interfaces/IModelShares.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";

/// @dev EAS's own 0.8.29 build cannot be imported by a 0.8.30 test and EDR has no `deployCode`: its creation code
/// is read from the artifacts a full `hardhat build` (or `hardhat test`) writes; the config allows reading exactly
/// these two files.
// solhint-disable-next-line interface-starts-with-i
interface VmArtifacts {
    function readFile(string calldata path) external view returns (string memory);
    function parseJsonBytes(string calldata json, string calldata key) external pure returns (bytes memory);
}

/// @dev The protocol with one model, EAS's real SchemaRegistry and EAS, and both resolvers (which register their
/// schemas, revocable) exactly as the deployment does; an ETH offer the buyers buy licences from.
abstract contract AttestationsFixture is ProtocolFixture {
    string private constant ARTIFACTS = "artifacts/@ethereum-attestation-service/eas-contracts/contracts/";

    ISchemaRegistry internal schemas;
    IEAS internal eas;
    LicenseeReviewResolver internal reviews;
    ProvenanceResolver internal provenance;
    bytes32 internal reviewSchema;
    bytes32 internal provenanceSchema;

    function _deployAttestations() internal {
        _deployProtocol();
        (schemas, eas) = _deployEas();
        reviews = new LicenseeReviewResolver(eas, ILicenseManager(address(licenses)));
        provenance = new ProvenanceResolver(eas, IModelShares(address(shares)));
        // Each resolver registered its own schema when deployed.
        reviewSchema = reviews.schemaUID();
        provenanceSchema = provenance.schemaUID();

        vm.startPrank(address(timelock));
        vault.setPaymentToken(modelId, address(0), true);
        ILicenseManager.OfferTerms memory t;
        t.price = 1 ether;
        t.duration = 30 days;
        t.transferable = true;
        t.onSale = true;
        t.termsURI = "ipfs://terms";
        t.termsHash = keccak256("terms");
        licenses.addOffer(modelId, t);
        vm.stopPrank();
    }

    /// @dev A fresh SchemaRegistry and an EAS on it, from their artifacts (EAS takes the registry's address).
    function _deployEas() internal returns (ISchemaRegistry registry, IEAS service) {
        registry = ISchemaRegistry(_create(_creationCode("SchemaRegistry.sol/SchemaRegistry.json")));
        service = IEAS(_create(abi.encodePacked(_creationCode("EAS.sol/EAS.json"), abi.encode(address(registry)))));
    }

    function _creationCode(string memory artifact) private view returns (bytes memory) {
        VmArtifacts files = VmArtifacts(address(vm));
        return files.parseJsonBytes(files.readFile(string.concat(ARTIFACTS, artifact)), ".bytecode");
    }

    function _create(bytes memory code) private returns (address deployed) {
        assembly ("memory-safe") {
            deployed := create(0, add(code, 0x20), mload(code))
        }
        assertTrue(deployed != address(0), "EAS deployment from its artifact");
    }

    /// @dev Buys a 30-day licence of the fixture's model for `buyer`.
    function _buyLicence(address buyer) internal returns (uint256 licenceId) {
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        licenceId = licenses.purchase{value: 1 ether}(modelId, 1, buyer, 1 ether);
    }

    function _reviewData(
        uint256 model,
        uint256 licenceId,
        uint8 rating,
        string memory text,
        string memory uri
    ) internal pure returns (bytes memory) {
        return abi.encode(model, licenceId, rating, text, uri);
    }

    /// @dev `attester` attests `data` under `schema` (revocable, no expiry, no recipient).
    function _attest(address attester, bytes32 schema, bytes memory data) internal returns (bytes32 uid) {
        return _attestAs(attester, schema, data, true);
    }

    function _attestAs(address attester, bytes32 schema, bytes memory data, bool revocable) internal returns (bytes32) {
        vm.prank(attester);
        return
            eas.attest(
                AttestationRequest({
                    schema: schema,
                    data: AttestationRequestData({
                        recipient: address(0),
                        expirationTime: 0,
                        revocable: revocable,
                        refUID: bytes32(0),
                        data: data,
                        value: 0
                    })
                })
            );
    }

    function _revoke(address revoker, bytes32 schema, bytes32 uid) internal {
        vm.prank(revoker);
        eas.revoke(RevocationRequest({schema: schema, data: RevocationRequestData({uid: uid, value: 0})}));
    }
}
