// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IFractionSales} from "../../../contracts/interfaces/IFractionSales.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {EthRejectingFractionBuyer} from "../../../contracts/mocks/EthRejectingFractionBuyer.sol";
import {ReentrantFractionBuyer} from "../../../contracts/mocks/ReentrantFractionBuyer.sol";
import {FractionSalesFixture} from "./FractionSalesFixture.sol";

/// @dev Hostile buyers and callers against FractionSales: re-entry from the buyer's receive and receiver hook,
/// a buyer that refuses ETH, callers that are not the treasury, and a sale reaching for another model's fractions.
contract FractionSalesHostileTest is FractionSalesFixture {
    uint256 internal saleId;
    ReentrantFractionBuyer internal hostile;

    function setUp() public {
        _deploySales();
        saleId = _open(_fixed(ETH, 0.01 ether, 100));
        hostile = new ReentrantFractionBuyer(sales);
        vm.deal(address(this), 10 ether);
    }

    // ----- re-entry -----

    function test_receiverHook_buyingAgain_isRefused() public {
        hostile.setReentry(ReentrantFractionBuyer.Reentry.Buy);
        hostile.buy{value: 0.1 ether}(saleId, 10, 0.01 ether); // exact: no refund, only the hook re-enters
        assertEq(hostile.attempts(), 1, "the hook tried once");
        assertEq(hostile.succeeded(), 0, "and failed");
        assertEq(keccak256(hostile.errors(0)), keccak256(_reentered()), "refused by the guard");
        assertEq(_fractions(address(hostile)), 10, "only what it paid for");
        assertEq(treasury.balance, 0.1 ether, "treasury paid once");
        _assertSaleState(saleId, 10, 0.1 ether, false);
    }

    function test_excessRefund_buyingAgain_isRefused() public {
        hostile.setReentry(ReentrantFractionBuyer.Reentry.Buy);
        hostile.buy{value: 1 ether}(saleId, 10, 0.01 ether); // 0.9 ETH comes back to its receive, then the hook
        assertEq(hostile.attempts(), 2, "refund and hook both tried");
        assertEq(hostile.succeeded(), 0, "neither got in");
        assertEq(keccak256(hostile.errors(0)), keccak256(_reentered()), "refund re-entry refused");
        assertEq(keccak256(hostile.errors(1)), keccak256(_reentered()), "hook re-entry refused");
        assertEq(address(hostile).balance, 0.9 ether, "excess returned");
        assertEq(_fractions(address(hostile)), 10, "only what it paid for");
        assertEq(address(sales).balance, 0, "nothing held");
        _assertSaleState(saleId, 10, 0.1 ether, false);
    }

    function test_receiverHook_stopping_isRefused() public {
        hostile.setReentry(ReentrantFractionBuyer.Reentry.Stop);
        hostile.buy{value: 0.1 ether}(saleId, 10, 0.01 ether);
        assertEq(hostile.attempts(), 1, "the hook tried to stop");
        assertEq(keccak256(hostile.errors(0)), keccak256(_reentered()), "refused by the guard");
        _assertSaleState(saleId, 10, 0.1 ether, false);
        vm.expectRevert(
            abi.encodeWithSelector(IFractionSales.FractionSalesUnauthorizedTreasury.selector, address(hostile), modelId)
        );
        vm.prank(address(hostile));
        sales.stop(saleId); // and outside the hook it is not the treasury
    }

    // ----- a buyer that refuses ETH -----

    function test_buyerRefusingExcess_onlyHurtsItself() public {
        EthRejectingFractionBuyer refuser = new EthRejectingFractionBuyer(sales);
        Snapshot memory before = _snap();
        vm.expectRevert(
            abi.encodeWithSelector(EthRejectingFractionBuyer.EthRejectingFractionBuyerRefuses.selector, 0.9 ether)
        );
        refuser.buy{value: 1 ether}(saleId, 10, 0.01 ether, DAVE);
        _assertUnchanged(before);
        assertEq(_fractions(DAVE), 0, "nothing bought");
        _assertSaleState(saleId, 0, 0, false);

        vm.prank(CAROL);
        sales.buy{value: 1 ether}(saleId, 10, 0.01 ether, CAROL); // others are not blocked
        refuser.buy{value: 0.1 ether}(saleId, 10, 0.01 ether, DAVE); // and the exact cost works for it
        assertEq(_fractions(DAVE), 10, "bought at the exact cost");
        _assertSaleState(saleId, 20, 0.2 ether, false);
    }

    // ----- only the treasury -----

    function test_nonTreasury_cannotOpenOrStop() public {
        (uint256 otherModel, ) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        address otherTreasury = registry.model(otherModel).timelock;
        address[5] memory callers = [CAROL, ALICE, address(governor), address(this), otherTreasury];
        for (uint256 i = 0; i < callers.length; ++i) {
            bytes memory err = abi.encodeWithSelector(
                IFractionSales.FractionSalesUnauthorizedTreasury.selector,
                callers[i],
                modelId
            );
            Snapshot memory before = _snap();
            vm.expectRevert(err);
            vm.prank(callers[i]);
            sales.open(_fixed(ETH, 1, 1));
            vm.expectRevert(err);
            vm.prank(callers[i]);
            sales.stop(saleId);
            _assertUnchanged(before);
        }
        _assertSaleState(saleId, 0, 0, false);
    }

    // ----- one model's sale, another model's fractions -----

    /// @dev The treasury of model A also holds (and has approved) fractions of model B, and B's own treasury has
    /// approved the sale contract too. A sale of A moves only A's fractions out of A's treasury: when those run
    /// out, buying stops, and A's treasury cannot open a sale of B.
    function test_saleOfOneModel_neverMovesAnotherModelsFractions() public {
        (uint256 modelB, IModelRegistry.ModelRecord memory b) = registry.registerModel(
            _registration(_pair(ALICE, BOB))
        );
        vm.prank(ALICE);
        shares.safeTransferFrom(ALICE, treasury, modelB, 50, "");
        vm.startPrank(b.timelock);
        shares.mint(b.timelock, modelB, 500, "");
        shares.setApprovalForAll(address(sales), true);
        vm.stopPrank();
        uint256 big = _open(_fixed(ETH, 1 gwei, uint64(TREASURY_FRACTIONS + 500)));

        vm.prank(CAROL);
        sales.buy{value: 1000 gwei}(big, uint64(TREASURY_FRACTIONS), 1 gwei, CAROL);
        assertEq(_fractions(treasury), 0, "A's treasury sold all its A fractions");
        vm.expectRevert(abi.encodeWithSelector(IFractionSales.FractionSalesTreasuryShort.selector, big, 1, 0));
        vm.prank(CAROL);
        sales.buy{value: 1 gwei}(big, 1, 1 gwei, CAROL);

        assertEq(shares.balanceOf(treasury, modelB), 50, "B fractions in A's treasury untouched");
        assertEq(shares.balanceOf(b.timelock, modelB), 500, "B's treasury untouched");
        assertEq(shares.balanceOf(CAROL, modelB), 0, "the buyer got no B fractions");

        IFractionSales.SaleTerms memory ofB = _fixed(ETH, 1, 50);
        ofB.modelId = modelB;
        vm.expectRevert(
            abi.encodeWithSelector(IFractionSales.FractionSalesUnauthorizedTreasury.selector, treasury, modelB)
        );
        vm.prank(treasury);
        sales.open(ofB);
    }

    function _reentered() private pure returns (bytes memory) {
        return abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
    }
}
