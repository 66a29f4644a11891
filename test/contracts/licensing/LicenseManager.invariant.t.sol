// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {LicenseManager} from "../../../contracts/licensing/LicenseManager.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Test} from "../utils/Test.sol";

/// @dev Fuzzed purchases, renewals and signed usage across several licences; ghosts count credits bought and spent.
contract LicenceHandler is Test {
    bytes32 internal constant RECEIPT_TYPEHASH = keccak256(
        "UsageReceipt(uint256 licenceId,uint64 amount,uint32 nonce,uint48 deadline)"
    );

    LicenseManager internal immutable licenses;
    address internal immutable operator;
    uint256 internal immutable modelId;
    uint256[] internal keys;
    uint256[] public ids;
    mapping(uint256 licenceId => uint256) public bought;
    mapping(uint256 licenceId => uint256) public spent;
    mapping(uint256 licenceId => uint256) public ownerKey;

    constructor(LicenseManager licenses_, address operator_, uint256 modelId_) {
        licenses = licenses_;
        operator = operator_;
        modelId = modelId_;
        for (uint256 i = 1; i <= 3; ++i) keys.push(0xA000 + i);
        vm.deal(address(this), 1e30);
    }

    function purchase(uint256 keySeed, uint256 offerSeed) external {
        uint256 key = keys[keySeed % keys.length];
        uint256 offerId = (offerSeed % 2) + 1;
        (uint256 termsId, , , ) = licenses.offer(modelId, offerId);
        ILicenseManager.Terms memory t = licenses.terms(termsId);
        uint256 id = licenses.purchase{value: t.price}(modelId, offerId, vm.addr(key), t.price);
        ids.push(id);
        bought[id] = t.credits;
        ownerKey[id] = key;
    }

    function renew(uint256 idSeed) external {
        if (ids.length == 0) return;
        uint256 id = ids[idSeed % ids.length];
        ILicenseManager.Licence memory lic = licenses.licence(id);
        (uint256 termsId, , , ) = licenses.offer(modelId, lic.offerId);
        ILicenseManager.Terms memory t = licenses.terms(termsId);
        licenses.renew{value: t.price}(id, t.price);
        if (lic.metered) bought[id] += t.credits;
    }

    function consume(uint256 idSeed, uint256 amount, uint256 warp) external {
        if (ids.length == 0) return;
        vm.warp(block.timestamp + (warp % 3 days));
        uint256 id = ids[idSeed % ids.length];
        ILicenseManager.Licence memory lic = licenses.licence(id);
        if (lic.expiry != 0 && lic.expiry <= block.timestamp) return;
        amount = lic.metered ? bound(amount, 0, lic.credits) : bound(amount, 0, 1e6);
        ILicenseManager.UsageReceipt[] memory receipts = new ILicenseManager.UsageReceipt[](1);
        uint48 deadline = uint48(block.timestamp + 1 hours);
        bytes32 digest = _digest(id, uint64(amount), lic.nonce, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey[id], digest);
        receipts[0] = ILicenseManager.UsageReceipt(id, uint64(amount), lic.nonce, deadline, abi.encodePacked(r, s, v));
        vm.prank(operator);
        licenses.settleUsage(receipts);
        if (lic.metered) spent[id] += amount;
    }

    function count() external view returns (uint256) {
        return ids.length;
    }

    function _digest(uint256 id, uint64 amount, uint32 nonce, uint48 deadline) private view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifying, , ) = licenses.eip712Domain();
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifying
            )
        );
        return
            keccak256(
                abi.encodePacked(
                    "\x19\x01",
                    domain,
                    keccak256(abi.encode(RECEIPT_TYPEHASH, id, amount, nonce, deadline))
                )
            );
    }
}

contract LicenseManagerInvariantTest is ProtocolFixture {
    address internal constant OPERATOR = address(0x0BE7A702);
    LicenceHandler internal handler;

    function setUp() public {
        _deployProtocol();
        address treasury = address(timelock);
        vm.startPrank(treasury);
        licenses.addOffer(modelId, _terms(0.01 ether, 7 days, 500));
        licenses.addOffer(modelId, _terms(0.05 ether, 0, 0)); // perpetual, unmetered
        licenses.setOperator(modelId, OPERATOR);
        vm.stopPrank();
        handler = new LicenceHandler(licenses, OPERATOR, modelId);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Credits never exceed what was bought and always equal bought - spent (so never "negative").
    function invariant_creditsEqualBoughtMinusSpent() public view {
        uint256 n = handler.count();
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = handler.ids(i);
            ILicenseManager.Licence memory lic = licenses.licence(id);
            assertLe(lic.credits, handler.bought(id), "credits <= bought");
            assertEq(lic.credits, handler.bought(id) - handler.spent(id), "credits == bought - spent");
        }
    }

    /// @dev Every licence sold is paid for: pending licence revenue is exactly the prices paid.
    function invariant_everyLicencePaidFor() public view {
        assertEq(address(licenses).balance, licenses.pendingRevenue(modelId, address(0)), "ETH held == pending");
    }

    function _terms(
        uint128 price,
        uint48 duration,
        uint64 credits
    ) private pure returns (ILicenseManager.OfferTerms memory t) {
        t.price = price;
        t.duration = duration;
        t.credits = credits;
        t.onSale = true;
        t.termsURI = "ipfs://terms";
        t.termsHash = keccak256("terms");
    }
}
