// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {IUsageMeter} from "../../../contracts/interfaces/IUsageMeter.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";

/**
 * @dev Finding 2 of the adversarial review: unsettled usage could be spent twice. On the code before the fix
 * (`LicenseManager.settleUsage`, per-call receipts checked against the owner at settlement), A's receipt for all
 * 100 credits became unsettleable once A moved the licence to B, and B could sign nonce 0 again and be served
 * again: 200 units for 100 credits. With cumulative receipts the running total belongs to the licence.
 */
contract UsageMeterTest is ProtocolFixture {
    uint256 internal constant KEY_A = 0xA0;
    uint256 internal constant KEY_B = 0xB0;
    address internal constant OPERATOR = address(0x0BE7);
    address internal a;
    address internal b;
    uint256 internal licenceId;

    function setUp() public {
        _deployProtocol();
        (a, b) = (vm.addr(KEY_A), vm.addr(KEY_B));
        ILicenseManager.OfferTerms memory t;
        (t.price, t.credits, t.transferable, t.onSale) = (1 ether, 100, true, true);
        (t.termsURI, t.termsHash) = ("ipfs://terms", keccak256("terms"));
        vm.startPrank(address(timelock));
        vault.setPaymentToken(modelId, address(0), true);
        licenses.addOffer(modelId, t); // perpetual, 100 credits, transferable
        meter.setOperator(modelId, OPERATOR);
        vm.stopPrank();
        vm.deal(a, 10 ether);
        vm.prank(a);
        licenceId = licenses.purchase{value: 1 ether}(modelId, 1, a, 1 ether);
    }

    function test_receiptSignedBeforeTransfer_staysSettleable_andNothingIsSpentTwice() public {
        IUsageMeter.Receipt memory fromA = _receipt(KEY_A, 100, block.timestamp + 1 hours, 100);
        vm.prank(a); // A is served 100 units, then hands the licence to its second wallet B
        licenses.transferFrom(a, b, licenceId);
        _settle(fromA); // still settleable: A signed it while it held the licence
        assertEq(licenses.licence(licenceId).credits, 0, "100 credits spent once");
        // B signs a receipt for "the first 100" again: the running total is the licence's, so it charges nothing.
        _settle(_receipt(KEY_B, 100, block.timestamp + 1 hours, 100));
        assertEq(meter.usageOf(licenceId).settled, 100, "settled once");
        assertTrue(!licenses.isLive(licenceId), "and B has nothing left to be served with");
    }

    function test_previousOwner_cannotAuthoriseAfterItsWindow() public {
        vm.prank(a);
        licenses.transferFrom(a, b, licenceId);
        vm.warp(block.timestamp + 2 days);
        IUsageMeter.Receipt memory late = _receipt(KEY_A, 50, block.timestamp + 1 hours, 50);
        IUsageMeter.Receipt[] memory batch = new IUsageMeter.Receipt[](1);
        batch[0] = late;
        uint256 window = meter.RECEIPT_WINDOW();
        vm.prank(OPERATOR);
        vm.expectRevert(
            abi.encodeWithSelector(
                IUsageMeter.UsageMeterSignerNotHolder.selector,
                0,
                a,
                late.deadline,
                block.timestamp - 2 days + window
            )
        );
        meter.settle(batch);
        assertEq(licenses.licence(licenceId).credits, 100, "B's credits untouched");
    }

    /// @dev A far deadline would let an owner's authorisation (kept for signature-less settlement) outlive a sale.
    function test_receiptWithDeadlineBeyondTheWindow_refused() public {
        uint256 far = block.timestamp + 365 days;
        IUsageMeter.Receipt[] memory batch = new IUsageMeter.Receipt[](1);
        batch[0] = _receipt(KEY_A, 10, far, 10);
        uint256 latest = block.timestamp + meter.RECEIPT_WINDOW();
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(IUsageMeter.UsageMeterDeadlineTooFar.selector, 0, far, latest));
        meter.settle(batch);
    }

    /// @dev The authorisation kept for a licence ends with its deadline: at most a day after a sale.
    function test_keptAuthorisation_endsWithinTheWindowAfterASale() public {
        _settle(_receipt(KEY_A, 60, block.timestamp + 1 days, 10));
        vm.prank(a);
        licenses.transferFrom(a, b, licenceId);
        IUsageMeter.Receipt memory unsigned = IUsageMeter.Receipt(licenceId, address(0), 0, 0, 60, "");
        vm.warp(block.timestamp + 1 days + 1);
        IUsageMeter.Receipt[] memory batch = new IUsageMeter.Receipt[](1);
        batch[0] = unsigned;
        vm.prank(OPERATOR);
        vm.expectRevert(abi.encodeWithSelector(IUsageMeter.UsageMeterReceiptExpired.selector, 0, block.timestamp - 1));
        meter.settle(batch);
        assertEq(licenses.licence(licenceId).credits, 90, "only what A authorised and was charged");
    }

    function _receipt(
        uint256 key,
        uint64 cap,
        uint256 deadline,
        uint64 total
    ) private view returns (IUsageMeter.Receipt memory r) {
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(key, meter.receiptDigest(licenceId, cap, deadline));
        r = IUsageMeter.Receipt(licenceId, vm.addr(key), cap, uint48(deadline), total, abi.encodePacked(rr, s, v));
    }

    function _settle(IUsageMeter.Receipt memory r) private {
        IUsageMeter.Receipt[] memory batch = new IUsageMeter.Receipt[](1);
        batch[0] = r;
        vm.prank(OPERATOR);
        meter.settle(batch);
    }
}
