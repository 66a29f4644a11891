// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRevenueHook} from "./IRevenueHook.sol";

/**
 * @title IRevenueVault
 * @notice Every payment for a model (licences, usage, royalties, grants) is split, on arrival, between the model's
 * contributors (fixed shares, PaymentSplitter arithmetic), its fraction holders (pro rata, revenue that follows the
 * fractions) and its treasury. A payment into a derivative model first sets aside its parents' shares (see
 * `IModelLineage`), which enter each parent's split when collected. Everything goes out by pull. The model's timelock sets the split, the contributors
 * and the payment tokens; nothing it changes takes revenue already earned from anyone.
 *
 * `address(0)` stands for ETH wherever a token is named.
 */
interface IRevenueVault is IRevenueHook {
    error RevenueVaultUnknownModel(uint256 modelId);
    error RevenueVaultUnauthorizedTimelock(address caller, uint256 modelId);
    error RevenueVaultUnauthorizedShares(address caller);
    error RevenueVaultTokenNotAllowed(uint256 modelId, address token);
    error RevenueVaultTooManyTokens(uint256 modelId, uint256 max);
    error RevenueVaultInvalidSplit(uint256 contributorsBps, uint256 holdersBps, uint256 max);
    error RevenueVaultInvalidContributors(uint256 accounts, uint256 shares, uint256 max);
    error RevenueVaultInvalidContributor(uint256 index, address account, uint256 shares);
    error RevenueVaultInvalidAmount(uint256 amount, uint256 msgValue);
    error RevenueVaultNothingArrived(uint256 modelId, address token);
    error RevenueVaultNothingToRelease(uint256 modelId, address token, address account);
    error RevenueVaultInvalidClaim(uint256 modelIds, uint256 tokens);
    /// @notice `token` is on the model's allow-list: collect it as revenue instead of recovering it.
    error RevenueVaultTokenAllowed(uint256 modelId, address token);
    error RevenueVaultInvalidRecipient(address recipient);
    error RevenueVaultInvalidUnlockWindow(uint256 window, uint256 min, uint256 max);
    /// @notice A derivative's parents are set once, at most four of them.
    error RevenueVaultInvalidParents(uint256 modelId);

    /// @notice Revenue arrived for `modelId` and was split; `amount` is what actually arrived, less what went to
    /// the model's parents (`ParentPaid`) if it is a derivative. `from` is the vault itself when the revenue is what
    /// the model's derivatives set aside for it (`collectFromDerivatives`).
    event Deposited(
        uint256 indexed modelId,
        address indexed token,
        address indexed from,
        uint256 amount,
        uint256 toContributors,
        uint256 toHolders,
        uint256 toTreasury
    );
    event SplitSet(uint256 indexed modelId, uint256 contributorsBps, uint256 holdersBps, uint256 treasuryBps);
    event ContributorsSet(uint256 indexed modelId, uint256 indexed epoch, address[] accounts, uint256[] shares);
    event PaymentTokenSet(uint256 indexed modelId, address indexed token, bool allowed);
    event ContributorReleased(uint256 indexed modelId, address indexed token, address indexed account, uint256 amount);
    event HolderClaimed(uint256 indexed modelId, address indexed token, address indexed account, uint256 amount);
    event TreasuryReleased(uint256 indexed modelId, address indexed token, address indexed treasury, uint256 amount);
    event RoyaltiesCollected(uint256 indexed modelId, address indexed token, uint256 amount);
    /// @notice The holders' revenue in `token` still locked is now `locked`, unlocking linearly until `unlockEnd`.
    event HolderRevenueUnlocking(uint256 indexed modelId, address indexed token, uint256 locked, uint256 unlockEnd);
    /// @notice Holder revenue unlocked while nobody outside the treasury held fractions: it went to the treasury cut.
    event UnlockedToTreasury(uint256 indexed modelId, address indexed token, uint256 amount);
    event UnlockWindowSet(uint256 indexed modelId, uint256 window);
    /// @notice Derivative `modelId` pays each of `parentIds` its share (`bps`) of every payment, before its own split.
    event ParentsSet(uint256 indexed modelId, uint256[] parentIds, uint256[] bps);
    /// @notice `amount` of a payment into derivative `modelId` was set aside for its parent `parentId`; the parent's
    /// own parents' `ParentPaid` follow, and what the parent keeps waits for `collectFromDerivatives`. The
    /// derivative's own `Deposited` carries what was left.
    event ParentPaid(uint256 indexed modelId, uint256 indexed parentId, address indexed token, uint256 amount);

    /// @notice A token not on the allow-list was recovered from the model's royalty receiver to its treasury.
    event TokenRecovered(uint256 indexed modelId, address indexed token, address indexed treasury, uint256 amount);

    /**
     * @notice Pays `amount` of `token` (ETH: `address(0)` with `msg.value == amount`) into `modelId`'s revenue.
     * Anyone may deposit; the token must be on the model's allow-list. Credited by what actually arrived (balance
     * delta), so a fee-on-transfer token is credited net of its fee.
     * @return credited what arrived (a derivative's parents' shares included)
     */
    function deposit(uint256 modelId, address token, uint256 amount) external payable returns (uint256 credited);

    /// @notice Sweeps what the model's royalty receiver holds of `token` into the model's revenue (anyone).
    function collectRoyalties(uint256 modelId, address token) external returns (uint256 collected);

    /**
     * @notice Sends to the model's treasury what its royalty receiver holds of a token that is not on the model's
     * allow-list (a fifth token, or one sent there by mistake), which could otherwise never leave it. Timelock only.
     */
    function recoverToken(uint256 modelId, address token) external returns (uint256 amount);

    /// @notice Contributor revenue of `account` in `token` not yet released.
    function releasable(uint256 modelId, address token, address account) external view returns (uint256);

    /// @notice Pays `account` its contributor revenue in `token` (anyone may trigger it, as in PaymentSplitter).
    function release(uint256 modelId, address token, address account) external returns (uint256 amount);

    /// @notice Pays the caller's contributor revenue in `token` to `recipient` (for contributors that cannot receive).
    function releaseTo(uint256 modelId, address token, address recipient) external returns (uint256 amount);

    /// @notice Holder revenue of `account` in `token` unlocked and not yet claimed (zero for the model's treasury).
    function claimable(uint256 modelId, address token, address account) external view returns (uint256);

    /// @notice Pays the caller its holder revenue of `modelId` in `token`.
    function claim(uint256 modelId, address token) external returns (uint256 amount);

    /// @notice Pays the caller's holder revenue of `modelId` in `token` to `recipient` (for holders that cannot
    /// receive ETH, e.g. some contracts).
    function claimTo(uint256 modelId, address token, address recipient) external returns (uint256 amount);

    /// @notice Claims the caller's holder revenue for each (`modelIds[i]`, `tokens[i]`) pair in one call.
    function claimMany(uint256[] calldata modelIds, address[] calldata tokens) external returns (uint256[] memory);

    /// @notice The treasury's cut of `token` not yet paid to the model's timelock.
    function treasuryReleasable(uint256 modelId, address token) external view returns (uint256);

    /// @notice Pays the treasury's cut of `token` to the model's timelock (anyone may trigger it).
    function releaseTreasury(uint256 modelId, address token) external returns (uint256 amount);

    /// @notice Sets the split of new revenue, in basis points; the treasury gets the rest. Model timelock only.
    function setSplit(uint256 modelId, uint256 contributorsBps, uint256 holdersBps) external;

    /// @notice Replaces the contributors and their shares; what the old ones earned stays releasable. Timelock only.
    function setContributors(uint256 modelId, address[] calldata accounts, uint256[] calldata shares) external;

    /// @notice Allows or disallows deposits in `token` (at most `MAX_PAYMENT_TOKENS` per model). Timelock only.
    function setPaymentToken(uint256 modelId, address token, bool allowed) external;

    /// @notice Sets how long the holders' cut of each payment takes to unlock, within [1 hour, 365 days] (default
    /// 7 days). Timelock only. Applies to payments from now on; what is unlocking keeps its schedule.
    function setUnlockWindow(uint256 modelId, uint256 window) external;

    /**
     * @notice Names the parents of derivative `modelId` and their shares (basis points) of every payment into it,
     * once. Lineage registry only (`LINEAGE_ROLE`), which checks the licences, caps and cycles.
     */
    function setParents(uint256 modelId, uint256[] calldata parentIds, uint256[] calldata bps) external;

    /**
     * @notice Splits what `modelId`'s derivatives set aside for it in `token` since the last collection (anyone may
     * call it; its holders' cut then unlocks over the window, like any payment). In a token the model does not take,
     * its treasury gets it whole. Reverts with `RevenueVaultNothingArrived` when there is nothing.
     */
    function collectFromDerivatives(uint256 modelId, address token) external returns (uint256 amount);

    /// @notice Everything `modelId`'s derivatives ever set aside for it in `token`, and what is still to collect.
    function fromDerivatives(uint256 modelId, address token) external view returns (uint256 total, uint256 pending);

    /// @notice Holder revenue in `token` still locked, when it will all have unlocked, and the model's window.
    function unlocking(
        uint256 modelId,
        address token
    ) external view returns (uint256 locked, uint256 unlockEnd, uint256 window);

    /// @notice The address that receives `modelId`'s ERC-2981 royalties: deployed, and pinned for later upgrades, when
    /// the model first allows a payment token (or on first collection).
    function royaltyReceiverOf(uint256 modelId) external view returns (address);

    /// @notice The model's split in basis points.
    function splitOf(
        uint256 modelId
    ) external view returns (uint256 contributorsBps, uint256 holdersBps, uint256 treasuryBps);

    /// @notice The model's current contributors and their shares.
    function contributorsOf(uint256 modelId) external view returns (address[] memory accounts, uint256[] memory shares);

    /// @notice Tokens whose holder revenue follows the model's fractions (allowed now or earlier).
    function paymentTokensOf(uint256 modelId) external view returns (address[] memory tokens, bool[] memory allowed);

    /// @notice Everything ever split for `modelId` in `token` (after its parents' shares; what its derivatives set
    /// aside counts once collected): summed over a lineage with what is still to collect, everything paid in.
    function totalDeposited(uint256 modelId, address token) external view returns (uint256);
}
