// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IFractionSales} from "../interfaces/IFractionSales.sol";
import {IModelShares} from "../interfaces/IModelShares.sol";

/**
 * @title FractionSales
 * @notice Primary sales of a model's treasury fractions. See `IFractionSales`.
 * @dev Not upgradeable and without an admin: the only authority over a sale is its model's treasury (the model's
 * timelock, i.e. its vote), which opens and stops it. The contract holds nothing between calls: a buy pays the
 * treasury and moves fractions from the treasury to the buyer in the same call. The treasury approves this
 * contract with `setApprovalForAll`; every transfer is of `terms.modelId` from `treasuryOf(terms.modelId)`, and
 * a model's treasury never changes, so no sale can move another model's fractions or another account's.
 *
 * The descending price is rounded up (in the seller's favour): the drop since `startsAt` is rounded down.
 */
contract FractionSales is ReentrancyGuardTransient, IFractionSales {
    using SafeERC20 for IERC20;

    /// @notice The fractions sold here.
    IModelShares public immutable SHARES;

    uint256 private _saleCount;
    mapping(uint256 saleId => SaleTerms) private _terms;
    mapping(uint256 saleId => SaleState) private _state;

    /// @param shares the protocol's `ModelShares`
    constructor(IModelShares shares) {
        SHARES = shares;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The treasury
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IFractionSales
    function open(SaleTerms calldata terms) external nonReentrant returns (uint256 saleId) {
        address treasury = SHARES.treasuryOf(terms.modelId);
        if (treasury == address(0)) revert FractionSalesUnknownModel(terms.modelId);
        if (msg.sender != treasury) revert FractionSalesUnauthorizedTreasury(msg.sender, terms.modelId);
        if (terms.token != address(0) && terms.token.code.length == 0) revert FractionSalesInvalidTerms("token");
        if (terms.amount == 0) revert FractionSalesInvalidTerms("amount");
        if (terms.endPrice == 0) revert FractionSalesInvalidTerms("endPrice");
        if (terms.startPrice < terms.endPrice) revert FractionSalesInvalidTerms("startPrice");
        if (terms.startsAt >= terms.endsAt) revert FractionSalesInvalidTerms("startsAt");
        if (terms.endsAt <= block.timestamp) revert FractionSalesInvalidTerms("endsAt");
        saleId = ++_saleCount;
        _terms[saleId] = terms;
        emit SaleOpened(saleId, terms.modelId, terms.token, terms);
    }

    /// @inheritdoc IFractionSales
    /// @dev A sale that has not started or has ended can be stopped too (a queued vote may execute late); a
    /// stopped sale cannot be stopped again (`FractionSalesNotActive` with `stopped == true`).
    function stop(uint256 saleId) external nonReentrant {
        SaleTerms storage terms = _sale(saleId);
        SaleState storage state = _state[saleId];
        if (msg.sender != SHARES.treasuryOf(terms.modelId)) {
            revert FractionSalesUnauthorizedTreasury(msg.sender, terms.modelId);
        }
        if (state.stopped) revert FractionSalesNotActive(saleId, terms.startsAt, terms.endsAt, true);
        state.stopped = true;
        emit SaleStopped(saleId, state.sold);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Buyers
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IFractionSales
    /// @dev ETH: `msg.value` must cover the cost at the current price (sending `amount * maxPrice` always does);
    /// the excess goes back to the caller, so a caller that cannot receive ETH must send the exact cost. The
    /// fractions move last, so the receiver hook of `to` runs after every payment (and cannot re-enter).
    function buy(
        uint256 saleId,
        uint64 amount,
        uint256 maxPrice,
        address to
    ) external payable nonReentrant returns (uint256 cost) {
        SaleTerms storage terms = _sale(saleId);
        if (amount == 0) revert FractionSalesInvalidAmount(amount);
        if (to == address(0)) revert FractionSalesInvalidRecipient(to);
        (uint256 price, address treasury) = _quote(saleId, terms, amount, maxPrice);
        cost = price * amount;
        address token = terms.token;
        if (token == address(0) ? msg.value < cost : msg.value != 0) {
            revert FractionSalesWrongPayment(token == address(0) ? cost : 0, msg.value);
        }

        SaleState storage state = _state[saleId];
        state.sold += amount;
        state.proceeds += cost;
        emit FractionsBought(saleId, msg.sender, to, amount, price, cost);

        _pay(token, treasury, cost);
        IERC1155(address(SHARES)).safeTransferFrom(treasury, to, terms.modelId, amount, "");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IFractionSales
    /// @dev `startPrice` before the sale starts, `endPrice` from its end on.
    function currentPrice(uint256 saleId) external view returns (uint256) {
        return _priceAt(_sale(saleId), block.timestamp);
    }

    /// @inheritdoc IFractionSales
    function sale(uint256 saleId) external view returns (SaleTerms memory) {
        return _sale(saleId);
    }

    /// @inheritdoc IFractionSales
    function saleState(uint256 saleId) external view returns (SaleState memory) {
        _sale(saleId);
        return _state[saleId];
    }

    /// @inheritdoc IFractionSales
    function saleCount() external view returns (uint256) {
        return _saleCount;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /// @dev The price `amount` fractions of an active sale sell at now, at most `maxPrice`, and the treasury that
    /// holds them.
    function _quote(
        uint256 saleId,
        SaleTerms storage terms,
        uint64 amount,
        uint256 maxPrice
    ) private view returns (uint256 price, address treasury) {
        SaleState storage state = _state[saleId];
        if (state.stopped || block.timestamp < terms.startsAt || block.timestamp >= terms.endsAt) {
            revert FractionSalesNotActive(saleId, terms.startsAt, terms.endsAt, state.stopped);
        }
        uint256 left = terms.amount - state.sold;
        if (amount > left) revert FractionSalesSoldOut(saleId, amount, left);
        price = _priceAt(terms, block.timestamp);
        if (price > maxPrice) revert FractionSalesPriceAboveMax(price, maxPrice);
        treasury = SHARES.treasuryOf(terms.modelId);
        uint256 held = IERC1155(address(SHARES)).balanceOf(treasury, terms.modelId);
        if (held < amount) revert FractionSalesTreasuryShort(saleId, amount, held);
    }

    /// @dev Moves `cost` from the caller to `treasury`: ETH out of `msg.value` (the excess back to the caller), an
    /// ERC-20 by `transferFrom`, which must arrive in full.
    function _pay(address token, address treasury, uint256 cost) private {
        if (token == address(0)) {
            Address.sendValue(payable(treasury), cost);
            if (msg.value > cost) Address.sendValue(payable(msg.sender), msg.value - cost);
        } else {
            uint256 before = IERC20(token).balanceOf(treasury);
            IERC20(token).safeTransferFrom(msg.sender, treasury, cost);
            uint256 arrived = IERC20(token).balanceOf(treasury) - before;
            if (arrived != cost) revert FractionSalesUnderpaid(token, cost, arrived);
        }
    }

    function _sale(uint256 saleId) private view returns (SaleTerms storage terms) {
        if (saleId == 0 || saleId > _saleCount) revert FractionSalesUnknownSale(saleId);
        return _terms[saleId];
    }

    /// @dev Linear from `startPrice` at `startsAt` to `endPrice` at `endsAt`; the drop is rounded down, so the
    /// price is rounded up. `startsAt < endsAt` always holds for an open sale.
    function _priceAt(SaleTerms storage terms, uint256 time) private view returns (uint256) {
        uint256 startPrice = terms.startPrice;
        uint256 endPrice = terms.endPrice;
        if (time <= terms.startsAt || startPrice == endPrice) return startPrice;
        if (time >= terms.endsAt) return endPrice;
        uint256 drop = ((startPrice - endPrice) * (time - terms.startsAt)) / (terms.endsAt - terms.startsAt);
        return startPrice - drop;
    }
}
