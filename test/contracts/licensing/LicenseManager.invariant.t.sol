// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {LicenseManager} from "../../../contracts/licensing/LicenseManager.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Test} from "../utils/Test.sol";

/// @dev Fuzzed purchases and renewals across several licences; ghosts count credits bought and prices paid.
/// (Metered usage has its own invariant suite: test/contracts/usage/UsageMeter.invariant.t.sol.)
contract LicenceHandler is Test {
    LicenseManager internal immutable licenses;
    uint256 internal immutable modelId;
    uint256[] internal keys;
    uint256[] public ids;
    mapping(uint256 licenceId => uint256) public bought;
    mapping(uint256 licenceId => uint256) public ownerKey;
    uint256 public paid;

    constructor(LicenseManager licenses_, uint256 modelId_) {
        licenses = licenses_;
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
        paid += t.price;
    }

    function renew(uint256 idSeed) external {
        if (ids.length == 0) return;
        uint256 id = ids[idSeed % ids.length];
        ILicenseManager.Licence memory lic = licenses.licence(id);
        (uint256 termsId, , , ) = licenses.offer(modelId, lic.offerId);
        ILicenseManager.Terms memory t = licenses.terms(termsId);
        if (lic.expiry == 0 && !lic.metered) return; // renewing it would give nothing: refused
        licenses.renew{value: t.price}(id, t.price);
        if (lic.metered) bought[id] += t.credits;
        paid += t.price;
    }

    function count() external view returns (uint256) {
        return ids.length;
    }

    receive() external payable {}
}

contract LicenseManagerInvariantTest is ProtocolFixture {
    LicenceHandler internal handler;

    function setUp() public {
        _deployProtocol();
        address treasury = address(timelock);
        vm.startPrank(treasury);
        licenses.addOffer(modelId, _terms(0.01 ether, 7 days, 500));
        licenses.addOffer(modelId, _terms(0.05 ether, 0, 0)); // perpetual, unmetered
        vault.setPaymentToken(modelId, address(0), true);
        vm.stopPrank();
        handler = new LicenceHandler(licenses, modelId);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Credits equal what was bought and renewed (nothing spends them here).
    function invariant_creditsEqualBought() public view {
        uint256 n = handler.count();
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = handler.ids(i);
            assertEq(licenses.licence(id).credits, handler.bought(id), "credits == bought");
        }
    }

    /// @dev Every licence sold is paid for, and every payment reached the model's revenue in its own transaction:
    /// the licence manager holds nothing and the vault credited exactly the prices paid.
    function invariant_everyPaymentCreditedAtOnce() public view {
        assertEq(address(licenses).balance, 0, "nothing waits in the licence manager");
        assertEq(licenses.pendingRevenue(modelId, address(0)), 0, "nothing pending");
        assertEq(vault.totalDeposited(modelId, address(0)), handler.paid(), "vault credited == prices paid");
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
