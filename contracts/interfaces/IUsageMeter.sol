// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IUsageMeter
 * @notice Metered usage of licences, settled in batches by each model's operator (its gateway) with cumulative
 * receipts signed by licensees.
 *
 * A receipt is an EIP-712 signature over `(licenceId, cap, deadline)`: "this licence may be charged up to a running
 * total of `cap` credits, until `deadline`". The running total belongs to the licence, not to its owner, and each
 * receipt supersedes the earlier ones: settling charges `total - settled` for a `total` the operator chooses up to
 * the cap, so a batch costs one receipt per licence however many calls it covers, nothing is ever charged twice,
 * and a licensee can sign ahead of use (capped mode) or sign exact totals call by call.
 *
 * A receipt's deadline may be at most `RECEIPT_WINDOW` (1 day) ahead when it is settled, and it is valid if its
 * signer held the licence, live, at most `RECEIPT_WINDOW` before that deadline:
 * the current owner, for deadlines up to `RECEIPT_WINDOW` after the licence's expiry (any, if perpetual); an
 * earlier owner, for deadlines up to `RECEIPT_WINDOW` after it transferred the licence away (or after the expiry,
 * if sooner). A receipt the licensee signed (with a deadline at most `RECEIPT_WINDOW` ahead) while it held a
 * live licence therefore stays settleable until its deadline, whatever happens to the licence afterwards. The cap
 * and deadline of the widest receipt verified for a licence (the highest cap still in force) are kept, so a later
 * settlement up to that cap needs no signature: a contract wallet that revokes its ERC-1271 signature cannot undo a
 * receipt already verified. A gateway that serves a contract wallet therefore records each receipt on chain when
 * it accepts it (a settlement charging nothing), with deadlines that never move backwards.
 */
interface IUsageMeter {
    /// @notice A signed (or, with an empty signature, already verified) authorisation, and the total to charge.
    struct Receipt {
        uint256 licenceId;
        address signer;
        uint64 cap;
        uint48 deadline;
        uint64 total;
        bytes signature;
    }

    /// @notice What has been settled of a licence, and the last authorisation verified for it: one storage slot.
    struct Usage {
        uint64 settled;
        uint64 cap;
        uint48 capDeadline;
    }

    error UsageMeterUnknownModel(uint256 modelId);
    error UsageMeterUnauthorizedTimelock(address caller, uint256 modelId);
    error UsageMeterNotOperator(address caller, uint256 modelId);
    /// @notice Receipt `index` expired at `deadline`.
    error UsageMeterReceiptExpired(uint256 index, uint256 deadline);
    /// @notice Receipt `index`'s deadline is later than `latest` (at most RECEIPT_WINDOW from now).
    error UsageMeterDeadlineTooFar(uint256 index, uint256 deadline, uint256 latest);
    /// @notice Receipt `index` has no signature and no earlier receipt of its licence was verified.
    error UsageMeterNoAuthorisation(uint256 index, uint256 licenceId);
    /// @notice Receipt `index` charges up to `total`, above the `cap` its signer authorised.
    error UsageMeterAboveCap(uint256 index, uint256 total, uint256 cap);
    /// @notice Receipt `index`'s deadline is later than `latest`: its signer did not hold the licence live then.
    error UsageMeterSignerNotHolder(uint256 index, address signer, uint256 deadline, uint256 latest);
    /// @notice Receipt `index` does not carry a valid signature of `signer`.
    error UsageMeterBadSignature(uint256 index, uint256 licenceId, address signer);

    event OperatorSet(uint256 indexed modelId, address indexed operator);
    /// @notice `charged` credits of `licenceId` were spent; its running total settled is now `settled`. `signer` is
    /// who signed the receipt, or address(0) when it reused the authorisation kept for the licence.
    event UsageSettled(
        uint256 indexed licenceId,
        address indexed signer,
        uint256 cap,
        uint256 settled,
        uint256 charged,
        uint256 creditsLeft
    );

    /// @notice How long after a signer stops holding a live licence its receipts' deadlines may run.
    function RECEIPT_WINDOW() external view returns (uint256);

    /// @notice Names the model's operator, the only address that may settle its licences' usage. Timelock only.
    function setOperator(uint256 modelId, address operator) external;

    /**
     * @notice Settles usage: for each receipt, charges its licence up to `total` (at most its cap), i.e.
     * `total - settled` credits, or what is left if fewer (the rest stays chargeable after a renewal). The
     * operator of every receipt's model only. Reverts, moving nothing, on the first invalid receipt (named by
     * index). A receipt with `total` at or below what is settled charges nothing and records its authorisation.
     */
    function settle(Receipt[] calldata receipts) external;

    /// @notice The model's operator.
    function operatorOf(uint256 modelId) external view returns (address);

    /// @notice What has been settled of `licenceId`, and the last authorisation verified for it.
    function usageOf(uint256 licenceId) external view returns (Usage memory);

    /// @notice The EIP-712 digest a licensee signs to authorise `cap` credits of `licenceId` until `deadline`.
    function receiptDigest(uint256 licenceId, uint256 cap, uint256 deadline) external view returns (bytes32);

    /// @notice The licence contract whose credits this meter spends.
    function licenses() external view returns (address);
}
