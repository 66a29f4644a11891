// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/**
 * @title IModelVotes
 * @notice The votes of one model: an ERC-20-shaped, non-transferable EIP-5805 token that mirrors the balances of
 * that model's id in `ModelShares`. Tally and other indexers read it exactly like OpenZeppelin's `ERC20Votes`:
 * `Transfer`, `DelegateChanged` and `DelegateVotesChanged` are emitted from this address, with OZ's signatures.
 *
 * Rules every integrator can rely on:
 * - The clock is `block.timestamp` (`CLOCK_MODE() == "mode=timestamp"`).
 * - A holder who never chose a delegate votes with their own fractions: the first receipt self-delegates.
 *   An explicit `delegate(address(0))` is an opt-out and is respected on later receipts.
 * - Fractions held by the model's treasury carry no votes and are not part of `getPastTotalSupply`.
 * - Fractions move only through `ModelShares`; `transfer`, `transferFrom` and `approve` revert.
 */
interface IModelVotes is IERC5805, IERC20Metadata {
    /// @notice Fractions move through `ModelShares`, never through the votes token.
    error ModelVotesNonTransferable();

    /// @notice Only the `ModelShares` contract that created this clone may report balance changes.
    error ModelVotesUnauthorizedShares(address caller);

    /// @notice The implementation behind the clones holds no model and cannot be used directly.
    error ModelVotesNotAClone();

    /**
     * @notice A delegation signature whose signer holds no fractions of this model. A signature made for another
     * chain or another model's votes recovers to an unrelated address, so this is how such a signature is refused
     * instead of silently delegating nothing. Holders without fractions delegate with `delegate`.
     */
    error ModelVotesSignerHoldsNoFractions(address signer);

    /// @notice A lookup at or after the current clock (same error as OpenZeppelin `Votes`).
    error ERC5805FutureLookup(uint256 timepoint, uint48 clock);

    /// @notice Sets the token's name and symbol (also the EIP-712 domain name). Called once, by `ModelShares`,
    /// in the transaction that creates the clone.
    function initialize(string calldata name_, string calldata symbol_) external;

    /**
     * @notice Reports a balance change of this model's fractions. Called by `ModelShares` after balances
     * changed and before any receiver hook runs. `from == address(0)` is a mint, `to == address(0)` a burn.
     * Emits the mirror `Transfer` and moves votes between the parties' delegates.
     */
    function onSharesMoved(address from, address to, uint256 amount) external;

    /// @notice The `ModelShares` contract whose id this token mirrors.
    function shares() external view returns (address);

    /// @notice The model id this token mirrors.
    function modelId() external view returns (uint256);

    /// @notice The model's treasury (its timelock): its fractions carry no votes.
    function treasury() external view returns (address);

    /// @notice Whether `account` ever chose a delegate itself (including an explicit opt-out to address(0)).
    function hasChosenDelegate(address account) external view returns (bool);

    /// @notice The current votable supply: fractions of this model outside its treasury.
    function votableSupply() external view returns (uint256);

    /// @notice Number of vote checkpoints of `account`.
    function numCheckpoints(address account) external view returns (uint32);

    /// @notice The `pos`-th vote checkpoint of `account`.
    function checkpoints(address account, uint32 pos) external view returns (Checkpoints.Checkpoint208 memory);
}
