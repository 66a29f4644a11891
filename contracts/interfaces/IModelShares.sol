// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IModelShares
 * @notice Weightshare's fractions: one ERC-1155 id per model. Every balance change updates that model's
 * `ModelVotes` before any receiver hook runs. Errors, events and NatSpec live here; `ModelShares` implements them.
 *
 * Authorities:
 * - protocol admin (`DEFAULT_ADMIN_ROLE`, itself a timelock): upgrades, the votes implementation for new models,
 *   and who holds `MODEL_CREATOR_ROLE`;
 * - model creator (`MODEL_CREATOR_ROLE`, the registry): creates a model and mints its initial fractions, once;
 * - a model's treasury (its timelock): new issuance, metadata URI and ERC-2981 royalty of that model only;
 * - a minter the treasury granted an allowance (a raise): new issuance of that model, up to the allowance. The
 *   treasury can add to a grant but never take it back: only the minter renounces it, so a promise the minter
 *   made (fractions owed to backers) cannot be broken by a later vote.
 */
interface IModelShares {
    /// @notice No model has this id.
    error ModelSharesUnknownModel(uint256 modelId);

    /// @notice `caller` is not the treasury of `modelId`, the only authority for that model's settings.
    error ModelSharesUnauthorizedTreasury(address caller, uint256 modelId);

    /// @notice The treasury of a new model must be a non-zero address.
    error ModelSharesInvalidTreasury(address treasury);

    /// @notice The votes implementation must be a deployed contract.
    error ModelSharesInvalidVotesImplementation(address implementation);

    /// @notice Recipients and amounts of the initial fractions differ in length.
    error ModelSharesInvalidArrayLength(uint256 recipients, uint256 amounts);

    /// @notice Minting would take the supply of `modelId` past what votes can count (`type(uint208).max`).
    error ModelSharesSupplyOverflow(uint256 modelId, uint256 supply, uint256 max);

    /// @notice `minter` may mint `granted` more fractions of `modelId`, fewer than `amount`.
    error ModelSharesMintingExceedsGrant(uint256 modelId, address minter, uint256 amount, uint256 granted);

    /// @notice A minting grant needs a non-zero minter and amount.
    error ModelSharesInvalidGrant(address minter, uint256 amount);

    /// @notice Only the revenue hook (the revenue vault) may switch revenue tracking of a model.
    error ModelSharesUnauthorizedRevenueHook(address caller);

    /// @notice A model was created: its id, its votes token, its treasury and its metadata URI.
    event ModelCreated(uint256 indexed modelId, address indexed votes, address indexed treasury, string uri);

    /// @notice The implementation cloned for the votes of models created from now on changed.
    event VotesImplementationSet(address indexed previous, address indexed current);

    /// @notice The contract told of every balance change of models that track revenue changed.
    event RevenueHookSet(address indexed previous, address indexed current);

    /// @notice Whether balance changes of `modelId` are reported to the revenue hook changed.
    event RevenueTrackingSet(uint256 indexed modelId, bool tracked);

    /// @notice `modelId`'s treasury let `minter` mint `amount` more fractions; `granted` is what it may mint now.
    event MintingGranted(uint256 indexed modelId, address indexed minter, uint256 amount, uint256 granted);

    /// @notice `minter` gave up `amount` of its grant for `modelId`; `granted` is what it may still mint.
    event MintingRenounced(uint256 indexed modelId, address indexed minter, uint256 amount, uint256 granted);

    /// @notice The ERC-2981 royalty of `modelId` changed; `receiver == address(0)` means none.
    event RoyaltySet(uint256 indexed modelId, address indexed receiver, uint96 feeNumerator);

    /**
     * @notice Creates a model: allocates the next id, clones its `ModelVotes` at a deterministic address, and
     * mints the initial fractions. Only `MODEL_CREATOR_ROLE`. After this, only the model's treasury can mint.
     * @param treasury the model's timelock; its fractions carry no votes and it governs the model's settings
     * @param name name of the votes token (also its EIP-712 domain name)
     * @param symbol symbol of the votes token
     * @param uri the model's metadata URI (content-addressed, e.g. `ipfs://...`); may be empty
     * @param recipients who receives the initial fractions
     * @param amounts how many each recipient receives
     * @return modelId the new model's id (ids start at 1)
     * @return votes the model's `ModelVotes` clone
     */
    function createModel(
        address treasury,
        string calldata name,
        string calldata symbol,
        string calldata uri,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) external returns (uint256 modelId, address votes);

    /// @notice Issues `amount` new fractions of `modelId` to `to`. Only that model's treasury.
    function mint(address to, uint256 modelId, uint256 amount, bytes calldata data) external;

    /**
     * @notice Lets `minter` mint up to `amount` more fractions of `modelId` (added to what it may already mint).
     * Only that model's treasury. The treasury cannot reduce a grant: only the minter can (`renounceMinting`).
     */
    function grantMinting(uint256 modelId, address minter, uint256 amount) external;

    /// @notice Mints `amount` fractions of `modelId` to `to` out of the caller's grant, which shrinks by `amount`.
    function mintGranted(address to, uint256 modelId, uint256 amount, bytes calldata data) external;

    /// @notice Gives up `amount` of the caller's grant for `modelId`.
    function renounceMinting(uint256 modelId, uint256 amount) external;

    /// @notice How many fractions of `modelId` `minter` may still mint.
    function mintingGrant(uint256 modelId, address minter) external view returns (uint256);

    /// @notice Sets the metadata URI of `modelId` and emits `URI`. Only that model's treasury.
    function setURI(uint256 modelId, string calldata uri) external;

    /**
     * @notice Sets the ERC-2981 royalty of `modelId`, in basis points of the sale price (denominator 10,000).
     * `receiver == address(0)` removes it. Only that model's treasury.
     */
    function setRoyalty(uint256 modelId, address receiver, uint96 feeNumerator) external;

    /// @notice Sets the implementation cloned for the votes of models created from now on. Protocol admin only.
    /// Existing models keep their votes clone: the protocol admin never changes a model's governance.
    function setVotesImplementation(address implementation) external;

    /// @notice Sets the revenue hook (the revenue vault), told of balance changes before they happen. Protocol
    /// admin only.
    function setRevenueHook(address hook) external;

    /// @notice Starts or stops reporting balance changes of `modelId` to the revenue hook. Only the revenue hook
    /// (it tracks a model once the model accepts a payment token, so models without revenue pay nothing).
    function setRevenueTracking(uint256 modelId, bool tracked) external;

    /// @notice The revenue hook (address(0) when none).
    function revenueHook() external view returns (address);

    /// @notice Whether balance changes of `modelId` are reported to the revenue hook.
    function revenueTracked(uint256 modelId) external view returns (bool);

    /// @notice The `ModelVotes` clone of `modelId` (address(0) for an unknown id).
    function votesOf(uint256 modelId) external view returns (address);

    /// @notice The treasury of `modelId` (address(0) for an unknown id).
    function treasuryOf(uint256 modelId) external view returns (address);

    /// @notice How many models exist; ids run from 1 to `modelCount()`.
    function modelCount() external view returns (uint256);

    /// @notice The implementation cloned for the votes of new models.
    function votesImplementation() external view returns (address);

    /// @notice Where the votes clone of `modelId` with `treasury` is (or will be) deployed.
    function predictVotesAddress(uint256 modelId, address treasury) external view returns (address);
}
