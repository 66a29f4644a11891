// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IUsageMeter} from "../../../contracts/interfaces/IUsageMeter.sol";
import {LicenseManager} from "../../../contracts/licensing/LicenseManager.sol";
import {RevocableWallet} from "../../../contracts/mocks/RevocableWallet.sol";
import {UsageMeter} from "../../../contracts/usage/UsageMeter.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Test} from "../utils/Test.sol";

/**
 * @dev An honest gateway and hostile licensees over metered licences: purchases, renewals, receipts honoured while
 * the licence is live, transfers between EOAs and ERC-1271 wallets, wallets revoking every signature, expiry, and
 * settlement of any honoured receipt at any time before its deadline. Ghosts count credits bought and spent.
 */
contract MeterHandler is Test {
    struct Honoured {
        uint256 id;
        address signer;
        uint64 cap;
        uint48 deadline;
        bytes signature; // empty for a wallet: the gateway recorded it on chain when it accepted it
    }

    LicenseManager internal immutable licenses;
    UsageMeter internal immutable meter;
    address internal immutable operator;
    uint256 internal immutable modelId;
    uint256[] internal keys;
    address[] internal holders; // 3 EOAs, then 2 wallets
    Honoured[] internal honoured;
    uint256[] public ids;
    mapping(uint256 licenceId => uint256) public bought;
    mapping(uint256 licenceId => uint256) public served;
    mapping(uint256 licenceId => uint48) internal lastDeadline;
    mapping(address holder => uint256) internal keyOf;
    uint256 public totalBought;
    uint256 public totalSpent;
    bool public honouredReceiptFailed;
    bytes public failure;

    constructor(LicenseManager licenses_, UsageMeter meter_, address operator_, uint256 modelId_) {
        licenses = licenses_;
        meter = meter_;
        operator = operator_;
        modelId = modelId_;
        for (uint256 i = 1; i <= 3; ++i) {
            keys.push(0xA000 + i);
            holders.push(vm.addr(0xA000 + i));
            keyOf[vm.addr(0xA000 + i)] = 0xA000 + i;
        }
        holders.push(address(new RevocableWallet(address(this))));
        holders.push(address(new RevocableWallet(address(this))));
        vm.deal(address(this), 1e30);
    }

    function purchase(uint256 holderSeed, uint256 offerSeed) external {
        uint256 offerId = (offerSeed % 2) + 1;
        ILicenseManager.Terms memory t = _terms(offerId);
        uint256 id = licenses.purchase{value: t.price}(modelId, offerId, holders[holderSeed % holders.length], t.price);
        ids.push(id);
        bought[id] = t.credits;
        totalBought += t.credits;
    }

    function renew(uint256 idSeed) external {
        if (ids.length == 0) return;
        uint256 id = ids[idSeed % ids.length];
        ILicenseManager.Terms memory t = _terms(licenses.licence(id).offerId);
        licenses.renew{value: t.price}(id, t.price);
        bought[id] += t.credits;
        totalBought += t.credits;
    }

    /// @dev The gateway serves the licence's owner while the licence is live, against a receipt for a new total.
    function use(uint256 idSeed, uint256 extra, uint256 validFor) external {
        if (ids.length == 0) return;
        uint256 id = ids[idSeed % ids.length];
        if (!licenses.isLive(id)) return;
        ILicenseManager.Licence memory lic = licenses.licence(id);
        uint256 settled = meter.usageOf(id).settled;
        uint256 unsettled = served[id] > settled ? served[id] - settled : 0;
        if (unsettled >= lic.credits) return; // never serves beyond the credits left minus what is unsettled
        uint64 cap = uint64(served[id] + bound(extra, 1, lic.credits - unsettled));
        uint48 deadline = uint48(block.timestamp + bound(validFor, 1, meter.RECEIPT_WINDOW()));
        if (deadline < lastDeadline[id]) deadline = lastDeadline[id];
        address owner = licenses.ownerOf(id);
        bytes32 digest = meter.receiptDigest(id, cap, deadline);
        bytes memory signature;
        if (keyOf[owner] != 0) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(keyOf[owner], digest);
            signature = abi.encodePacked(r, s, v);
        } else {
            RevocableWallet(owner).approve(digest);
            // A contract wallet's receipt is recorded on chain before it is honoured (charging nothing yet).
            _settle(IUsageMeter.Receipt(id, owner, cap, deadline, uint64(settled), hex"01"), false);
        }
        honoured.push(Honoured(id, owner, cap, deadline, signature));
        served[id] = cap;
        lastDeadline[id] = deadline;
    }

    function transfer(uint256 idSeed, uint256 toSeed) external {
        if (ids.length == 0) return;
        uint256 id = ids[idSeed % ids.length];
        address owner = licenses.ownerOf(id);
        address to = holders[toSeed % holders.length];
        if (keyOf[owner] != 0) {
            vm.prank(owner);
            licenses.transferFrom(owner, to, id);
        } else {
            RevocableWallet(owner).transferLicence(IERC721(address(licenses)), to, id);
        }
    }

    function revoke(uint256 walletSeed) external {
        RevocableWallet(holders[3 + (walletSeed % 2)]).revokeAll();
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    /// @dev Settles any honoured receipt still before its deadline, up to its cap: it must never fail.
    function settle(uint256 seed) external {
        if (honoured.length == 0) return;
        Honoured memory h = honoured[seed % honoured.length];
        if (block.timestamp > h.deadline) return;
        _settle(IUsageMeter.Receipt(h.id, h.signer, h.cap, h.deadline, h.cap, h.signature), true);
    }

    function count() external view returns (uint256) {
        return ids.length;
    }

    function _settle(IUsageMeter.Receipt memory receipt, bool honouredOne) private {
        IUsageMeter.Receipt[] memory batch = new IUsageMeter.Receipt[](1);
        batch[0] = receipt;
        uint256 before = licenses.licence(receipt.licenceId).credits;
        vm.prank(operator);
        try meter.settle(batch) {
            totalSpent += before - licenses.licence(receipt.licenceId).credits;
        } catch (bytes memory reason) {
            if (honouredOne) {
                honouredReceiptFailed = true;
                failure = reason;
            }
        }
    }

    function _terms(uint256 offerId) private view returns (ILicenseManager.Terms memory) {
        (uint256 termsId, , , ) = licenses.offer(modelId, offerId);
        return licenses.terms(termsId);
    }

    receive() external payable {}
}

contract UsageMeterInvariantTest is ProtocolFixture {
    address internal constant OPERATOR = address(0x0BE7A702);
    MeterHandler internal handler;

    function setUp() public {
        _deployProtocol();
        vm.startPrank(address(timelock));
        licenses.addOffer(modelId, _terms(0.01 ether, 2 days, 500)); // expires, metered
        licenses.addOffer(modelId, _terms(0.05 ether, 0, 300)); // perpetual, metered
        meter.setOperator(modelId, OPERATOR);
        vm.stopPrank();
        handler = new MeterHandler(licenses, meter, OPERATOR, modelId);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Credits spent never exceed credits bought plus renewed, licence by licence and in total.
    function invariant_spentNeverExceedsBought() public view {
        uint256 n = handler.count();
        uint256 left;
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = handler.ids(i);
            uint256 credits = licenses.licence(id).credits;
            assertLe(credits, handler.bought(id), "credits <= bought");
            assertLe(meter.usageOf(id).settled, handler.bought(id), "settled <= bought");
            assertEq(credits + meter.usageOf(id).settled, handler.bought(id), "credits + settled == bought");
            left += credits;
        }
        assertEq(left + handler.totalSpent(), handler.totalBought(), "left + spent == bought");
    }

    /// @dev Every receipt the gateway honoured stayed settleable until its deadline, across transfers, expiry and
    /// ERC-1271 revocations.
    function invariant_honouredReceiptsStaySettleable() public view {
        assertTrue(!handler.honouredReceiptFailed(), "an honoured receipt could not be settled before its deadline");
    }

    function _terms(
        uint128 price,
        uint48 duration,
        uint64 credits
    ) private pure returns (ILicenseManager.OfferTerms memory t) {
        t.price = price;
        t.duration = duration;
        t.credits = credits;
        t.transferable = true;
        t.onSale = true;
        t.termsURI = "ipfs://terms";
        t.termsHash = keccak256("terms");
    }
}
