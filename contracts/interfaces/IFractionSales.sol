// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IFractionSales
 * @notice Primary sales of a model's treasury fractions, opened and stopped by the model's vote, at a fixed price
 * or a price falling linearly from `startPrice` to `endPrice` over the sale. Buying is one call with a price guard:
 * payment goes straight to the treasury and the fractions straight from the treasury to the buyer, so unsold
 * fractions never leave the treasury (where they carry no votes and earn nothing) and no money is ever held here.
 * The treasury lets this contract move its fractions with `setApprovalForAll`; the contract only ever moves the
 * fractions of a sale's model, from that model's treasury, up to what the sale offers.
 *
 * `address(0)` stands for ETH wherever a token is named.
 */
interface IFractionSales {
    /// @notice What a sale is opened with. Fixed for its life.
    struct SaleTerms {
        uint256 modelId;
        /// @dev `address(0)` for ETH. ERC-20 payments must arrive in full (a fee-on-transfer token is refused).
        address token;
        /// @dev Price of one fraction at `startsAt` and at `endsAt`; equal for a fixed price, never rising.
        uint128 startPrice;
        uint128 endPrice;
        /// @dev Fractions for sale.
        uint64 amount;
        uint48 startsAt;
        uint48 endsAt;
    }

    /// @notice What a sale has done.
    struct SaleState {
        uint64 sold;
        bool stopped;
        /// @dev Money that reached the treasury.
        uint256 proceeds;
    }

    error FractionSalesUnknownSale(uint256 saleId);
    error FractionSalesUnknownModel(uint256 modelId);
    error FractionSalesUnauthorizedTreasury(address caller, uint256 modelId);
    /// @notice `field` of the sale terms is out of range.
    error FractionSalesInvalidTerms(string field);
    /// @notice The sale has not started, has ended, or was stopped.
    error FractionSalesNotActive(uint256 saleId, uint256 startsAt, uint256 endsAt, bool stopped);
    error FractionSalesInvalidAmount(uint256 amount);
    error FractionSalesSoldOut(uint256 saleId, uint256 requested, uint256 left);
    error FractionSalesPriceAboveMax(uint256 price, uint256 maxPrice);
    /// @notice ETH sent is below the cost, or ETH was sent to an ERC-20 sale.
    error FractionSalesWrongPayment(uint256 expected, uint256 sent);
    error FractionSalesUnderpaid(address token, uint256 expected, uint256 arrived);
    error FractionSalesInvalidRecipient(address recipient);
    /// @notice The model's treasury holds `balance` fractions, fewer than the `requested` being bought.
    error FractionSalesTreasuryShort(uint256 saleId, uint256 requested, uint256 balance);

    event SaleOpened(uint256 indexed saleId, uint256 indexed modelId, address indexed token, SaleTerms terms);
    event FractionsBought(
        uint256 indexed saleId,
        address indexed buyer,
        address indexed to,
        uint256 amount,
        uint256 price,
        uint256 paid
    );
    event SaleStopped(uint256 indexed saleId, uint256 sold);

    /// @notice Opens a sale of the treasury's fractions. Only the treasury of `terms.modelId`.
    function open(SaleTerms calldata terms) external returns (uint256 saleId);

    /// @notice Stops a sale. Only the model's treasury.
    function stop(uint256 saleId) external;

    /**
     * @notice Buys `amount` fractions for `to` at the current price, if it is at most `maxPrice` per fraction.
     * ETH: send at least `amount * maxPrice`; the excess is returned to the caller. ERC-20: the cost is pulled
     * from the caller straight to the treasury.
     * @return cost what was paid
     */
    function buy(uint256 saleId, uint64 amount, uint256 maxPrice, address to) external payable returns (uint256 cost);

    /// @notice The price of one fraction of `saleId` now (as `buy` would charge in this block).
    function currentPrice(uint256 saleId) external view returns (uint256);

    function sale(uint256 saleId) external view returns (SaleTerms memory);

    function saleState(uint256 saleId) external view returns (SaleState memory);

    /// @notice How many sales exist; ids run from 1.
    function saleCount() external view returns (uint256);
}
