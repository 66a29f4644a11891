// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";

/**
 * @dev Finding 1 of the adversarial review: revenue earned before you held could be taken with borrowed fractions.
 * Each scenario failed on the code before the fix (licence revenue waited in LicenseManager until `flushRevenue`,
 * royalties until `collectRoyalties`, and every payment was split over whoever held at that moment) and passes now:
 * licence payments are credited at purchase and the holders' cut unlocks over the model's window.
 */
contract RevenueVaultTimingTest is ProtocolFixture {
    address internal constant POOL = address(0x9001);
    address internal constant ATTACKER = address(0xBAD);
    address internal constant ETH = address(0);

    function setUp() public {
        _deployProtocol();
        vm.startPrank(address(timelock));
        vault.setPaymentToken(modelId, ETH, true);
        vault.setSplit(modelId, 0, 10_000); // everything to holders: the clearest case
        shares.mint(POOL, modelId, 1800, ""); // the pool holds 90% of the votable fractions
        licenses.addOffer(modelId, _offer(1 ether));
        vm.stopPrank();
        vm.deal(address(this), 100 ether);
        vm.deal(ATTACKER, 1 ether);
    }

    /// @dev 10 ETH of licences over a month, then the pool's fractions borrowed for one transaction: nothing earned.
    function test_flashBorrowedFractions_earnNothingOfLicenceRevenue() public {
        for (uint256 i = 0; i < 10; ++i) {
            licenses.purchase{value: 1 ether}(modelId, 1, address(this), 1 ether);
            vm.warp(block.timestamp + 3 days);
        }
        uint256 gained = _borrowClaimRepay();
        assertEq(gained, 0, "a one-transaction holder earns nothing");
        // Everything is owed to those who held while it unlocked: the pool 90%, Alice and Bob 5% each.
        vm.warp(block.timestamp + 30 days);
        assertLe(9 ether - vault.claimable(modelId, ETH, POOL), 1, "pool keeps its 90% (to the wei)");
        assertLe(0.5 ether - vault.claimable(modelId, ETH, ALICE), 1, "alice 5% (to the wei)");
        assertEq(vault.claimable(modelId, ETH, ATTACKER), 0, "attacker 0");
    }

    /// @dev Royalties that sat in the receiver for months: buying fractions, collecting and claiming in one
    /// transaction earns nothing.
    function test_buyerOfFractions_cannotCollectEarlierRoyalties() public {
        address receiver = vault.royaltyReceiverOf(modelId);
        (bool ok, ) = receiver.call{value: 10 ether}("");
        assertTrue(ok, "royalty paid");
        vm.warp(block.timestamp + 90 days);
        vm.prank(POOL);
        shares.safeTransferFrom(POOL, ATTACKER, modelId, 1800, ""); // the attacker buys the pool's fractions
        vm.startPrank(ATTACKER);
        vault.collectRoyalties(modelId, ETH);
        assertEq(vault.claimable(modelId, ETH, ATTACKER), 0, "nothing claimable in the same transaction");
        shares.safeTransferFrom(ATTACKER, POOL, modelId, 1800, "");
        vm.stopPrank();
        vm.warp(block.timestamp + 30 days);
        assertEq(vault.claimable(modelId, ETH, ATTACKER), 0, "sold back at once: nothing earned");
        assertLe(9 ether - vault.claimable(modelId, ETH, POOL), 1, "the pool, which held, earns its share");
    }

    /// @dev Buying right before a deposit and selling two blocks later earns at most the part of the window held.
    function testFuzz_depositFrontRun_earnsOnlyTimeHeld(uint256 heldSeconds, uint96 amount) public {
        heldSeconds = bound(heldSeconds, 0, 7 days);
        uint256 value = bound(amount, 1 ether, 50 ether);
        vm.prank(POOL);
        shares.safeTransferFrom(POOL, ATTACKER, modelId, 1800, "");
        vault.deposit{value: value}(modelId, ETH, value);
        vm.warp(block.timestamp + heldSeconds);
        vm.prank(ATTACKER);
        shares.safeTransferFrom(ATTACKER, POOL, modelId, 1800, "");
        uint256 earned = vault.claimable(modelId, ETH, ATTACKER);
        // 90% of what unlocked while it held, rounded down; the window is the 7-day default.
        assertLe(earned, (value * 9 * heldSeconds) / (10 * 7 days), "earned <= its share of the time held");
        vm.warp(block.timestamp + 7 days);
        uint256 total = vault.claimable(modelId, ETH, ATTACKER) + vault.claimable(modelId, ETH, POOL);
        total += vault.claimable(modelId, ETH, ALICE) + vault.claimable(modelId, ETH, BOB);
        assertLe(value - total, 3, "all of it reached holders (dust: < 1 wei per holder)");
    }

    /// @dev A holder that cannot receive ETH claims to another address; the claim moves only its own revenue.
    function test_claimTo_paysAnotherAddress() public {
        vault.deposit{value: 2 ether}(modelId, ETH, 2 ether);
        vm.warp(block.timestamp + 7 days);
        uint256 owed = vault.claimable(modelId, ETH, ALICE);
        uint256 before = address(0xCAFE).balance;
        vm.prank(ALICE);
        vault.claimTo(modelId, ETH, address(0xCAFE));
        assertEq(address(0xCAFE).balance - before, owed, "paid to the recipient");
        assertEq(vault.claimable(modelId, ETH, ALICE), 0, "nothing claimable twice");
    }

    function _borrowClaimRepay() private returns (uint256 gained) {
        uint256 before = ATTACKER.balance;
        vm.prank(POOL);
        shares.safeTransferFrom(POOL, ATTACKER, modelId, 1800, "");
        vm.startPrank(ATTACKER);
        // Whatever licence revenue still waits to be split is flushed while the attacker holds (V1: 10 ETH).
        if (licenses.pendingRevenue(modelId, ETH) != 0) licenses.flushRevenue(modelId, ETH);
        if (vault.claimable(modelId, ETH, ATTACKER) != 0) vault.claim(modelId, ETH);
        shares.safeTransferFrom(ATTACKER, POOL, modelId, 1800, "");
        vm.stopPrank();
        gained = ATTACKER.balance - before + vault.claimable(modelId, ETH, ATTACKER);
    }

    function _offer(uint128 price) private pure returns (ILicenseManager.OfferTerms memory t) {
        t.price = price;
        t.duration = 30 days;
        t.onSale = true;
        t.transferable = true;
        t.termsURI = "ipfs://terms";
        t.termsHash = keccak256("terms");
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return this.onERC721Received.selector;
    }
}
