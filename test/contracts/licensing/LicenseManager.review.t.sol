// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// JSON fragments full of double quotes; prettier keeps them single-quoted to avoid escapes.
// solhint-disable quotes

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";

/**
 * @dev Findings 3 and 9 of the adversarial review. Finding 3: a 30-day licence whose offer later became perpetual
 * (or unmetered) lapsed, and `renew` took the full price and left it lapsed. Finding 9: `termsURI` went unescaped
 * into the licence's JSON, so an offer could rewrite the name and image wallets show. Both scenarios passed the
 * attack on the code before the fix and fail it now.
 */
contract LicenseManagerReviewTest is ProtocolFixture {
    address internal constant BUYER = address(0xB1);

    function setUp() public {
        _deployProtocol();
        vm.startPrank(address(timelock));
        vault.setPaymentToken(modelId, address(0), true);
        licenses.addOffer(modelId, _offer(30 days, 100, "ipfs://terms"));
        vm.stopPrank();
        vm.deal(BUYER, 10 ether);
    }

    function test_renew_afterOfferBecamePerpetual_makesTheLicencePerpetual() public {
        vm.prank(BUYER);
        uint256 id = licenses.purchase{value: 1 ether}(modelId, 1, BUYER, 1 ether);
        vm.prank(address(timelock));
        licenses.updateOffer(modelId, 1, _offer(0, 100, "ipfs://terms"));
        vm.warp(block.timestamp + 31 days);
        assertTrue(!licenses.isLive(id), "lapsed");
        vm.prank(BUYER);
        licenses.renew{value: 1 ether}(id, 1 ether);
        assertEq(licenses.licence(id).expiry, 0, "perpetual now");
        assertTrue(licenses.isLive(id), "live again: the payment bought what the offer says");
        assertEq(licenses.licence(id).credits, 200, "credits added");
    }

    function test_renew_afterOfferBecameUnmetered_makesTheLicenceUnmetered() public {
        vm.prank(BUYER);
        uint256 id = licenses.purchase{value: 1 ether}(modelId, 1, BUYER, 1 ether);
        vm.prank(address(timelock));
        licenses.updateOffer(modelId, 1, _offer(30 days, 0, "ipfs://terms"));
        vm.prank(BUYER);
        licenses.renew{value: 1 ether}(id, 1 ether);
        assertTrue(!licenses.licence(id).metered, "unmetered now");
        assertEq(licenses.licence(id).expiry, block.timestamp + 60 days, "extended from its expiry");
    }

    function test_renew_thatWouldGiveNothing_reverts_andTakesNothing() public {
        vm.prank(address(timelock));
        licenses.updateOffer(modelId, 1, _offer(0, 0, "ipfs://terms"));
        vm.prank(BUYER);
        uint256 id = licenses.purchase{value: 1 ether}(modelId, 1, BUYER, 1 ether);
        uint256 before = BUYER.balance;
        uint256 deposited = vault.totalDeposited(modelId, address(0));
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(ILicenseManager.LicenseManagerRenewalGivesNothing.selector, id));
        licenses.renew{value: 1 ether}(id, 1 ether);
        assertEq(BUYER.balance, before, "nothing taken");
        assertEq(vault.totalDeposited(modelId, address(0)), deposited, "nothing credited");
    }

    /// @dev A quote in the terms URI can no longer end the string and inject a name or an image.
    function test_tokenURI_escapesTermsURI() public {
        string memory hostile = 'ipfs://x","name":"Free Licence","image":"https://evil.example/x.png';
        vm.prank(address(timelock));
        licenses.addOffer(modelId, _offer(0, 0, hostile));
        vm.prank(BUYER);
        uint256 id = licenses.purchase{value: 1 ether}(modelId, 2, BUYER, 1 ether);
        string memory uri = licenses.tokenURI(id);
        bytes memory json = Base64.decode(_after(uri, 29)); // "data:application/json;base64,"
        assertTrue(_contains(json, 'ipfs://x\\",\\"name\\":\\"Free Licence'), "quotes escaped");
        assertTrue(!_contains(json, '"name":"Free Licence"'), "no injected name");
        assertTrue(!_contains(json, '"image":'), "no injected image");
    }

    /// @dev Control characters (which JSON forbids raw) are refused at publication, naming where.
    function test_offer_withControlCharacterInTermsURI_reverts() public {
        vm.prank(address(timelock));
        vm.expectRevert(
            abi.encodeWithSelector(ILicenseManager.LicenseManagerInvalidTermsURI.selector, 4, bytes1(0x0a))
        );
        licenses.addOffer(modelId, _offer(0, 0, "ipfs\n//x"));
        assertEq(licenses.offerCount(modelId), 1, "no offer published");
    }

    function _offer(
        uint48 duration,
        uint64 credits,
        string memory uri
    ) private pure returns (ILicenseManager.OfferTerms memory t) {
        t.price = 1 ether;
        t.duration = duration;
        t.credits = credits;
        t.onSale = true;
        t.termsURI = uri;
        t.termsHash = keccak256("terms");
    }

    function _after(string memory s, uint256 start) private pure returns (string memory) {
        bytes memory b = bytes(s);
        bytes memory out = new bytes(b.length - start);
        for (uint256 i = 0; i < out.length; ++i) out[i] = b[start + i];
        return string(out);
    }

    function _contains(bytes memory haystack, bytes memory needle) private pure returns (bool) {
        if (needle.length > haystack.length) return false;
        for (uint256 i = 0; i + needle.length <= haystack.length; ++i) {
            bool hit = true;
            for (uint256 j = 0; j < needle.length && hit; ++j) hit = haystack[i + j] == needle[j];
            if (hit) return true;
        }
        return false;
    }
}
