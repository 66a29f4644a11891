// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IModelShares} from "../interfaces/IModelShares.sol";
import {IModelVotes} from "../interfaces/IModelVotes.sol";
import {IRevenueHook} from "../interfaces/IRevenueHook.sol";
import {IRevenueVault} from "../interfaces/IRevenueVault.sol";
import {RoyaltyReceiver} from "./RoyaltyReceiver.sol";

/**
 * @title RevenueVault
 * @notice Splits every payment for a model between its contributors, its fraction holders and its treasury, and
 * pays each out by pull. See `IRevenueVault`.
 * @dev Money arithmetic, exact by construction:
 * - Holders (ERC-1726/ERC-2222 "dividend corrections"): `holderAcc` is revenue per fraction scaled by PRECISION.
 *   The holders' cut of a payment is not added to it at once: it is locked and unlocked linearly over the model's
 *   unlock window (profit unlocking as in Yearn V3 vaults; a new payment moves the end of the window to the
 *   amount-weighted average of the old end and now + window, so a payment delays earlier revenue only in
 *   proportion to its size). Every
 *   balance change, deposit and claim first unlocks what is due (`_unlock`), adding `(due * PRECISION + carry) /
 *   base` to `holderAcc` and keeping the remainder as `carry`, so no wei of holder revenue is ever dropped. An
 *   account therefore earns a payment only in proportion to the part of the window it held through: fractions
 *   borrowed for one transaction earn nothing of revenue that arrived before. Before fractions move, `ModelShares`
 *   calls `beforeSharesMoved`, which shifts `amount * holderAcc` of corrections from `to` to `from`: each party's
 *   entitlement is unchanged by the move.
 *   An account is entitled to `(balance * holderAcc + correction) / PRECISION - withdrawn`; the floor remainder
 *   (< 1 wei) stays with the account for its next claim. The base is the model's votable supply, so the treasury's
 *   fractions earn nothing (the treasury has its own cut); what unlocks while nobody outside the treasury holds
 *   fractions goes to the treasury cut.
 * - Contributors (PaymentSplitter): `received * shares / totalShares - released`, per epoch. Replacing the
 *   contributors closes the epoch: what each old contributor was owed becomes a credit it can still release, and
 *   the closed epoch's rounding dust (< 1 wei per contributor) goes to the treasury cut.
 * - The treasury cut takes every other wei (the bps remainder), so `deposited == toContributors + toHolders +
 *   toTreasury` holds for every deposit.
 * - A payment into a derivative first sets aside `floor(amount * bps / BPS)` for each parent, of which the parent's
 *   own parents take their shares at once (recursively, up a lineage the lineage registry keeps acyclic and
 *   bounded); the derivative's split takes the rest, so nothing is lost and the dust of the floors stays with the
 *   child. What a parent keeps waits in `fromDerivatives` and enters its split when anyone calls
 *   `collectFromDerivatives` (as royalties do), so a payment costs each ancestor one storage write, not a split.
 * UUPS proxy with ERC-7201 storage; upgrades by the protocol admin only.
 */
contract RevenueVault is
    Initializable,
    AccessControlUpgradeable,
    UUPSUpgradeable,
    ReentrancyGuardTransient,
    IRevenueVault
{
    using SafeERC20 for IERC20;

    /// @notice Basis points denominator.
    uint256 public constant BPS = 10_000;
    /// @notice Scale of holder revenue per fraction.
    uint256 public constant PRECISION = 1e18;
    /// @notice Payment tokens per model (ETH counts as one): each adds work to every fraction transfer.
    uint256 public constant MAX_PAYMENT_TOKENS = 4;
    /// @notice Contributors per model: replacing them settles each one.
    uint256 public constant MAX_CONTRIBUTORS = 32;
    /// @notice The lineage registry's role: it names each derivative's parents, once.
    bytes32 public constant LINEAGE_ROLE = keccak256("LINEAGE_ROLE");
    /// @dev Parents per derivative (four 64-bit entries fill the packed slot); ids below 2^48.
    uint256 private constant MAX_PARENTS = 4;
    /// @notice Unlock window of a model whose DAO never set one.
    uint256 public constant DEFAULT_UNLOCK_WINDOW = 7 days;
    /// @notice Bounds of the unlock window a DAO may set.
    uint256 public constant MIN_UNLOCK_WINDOW = 1 hours;
    uint256 public constant MAX_UNLOCK_WINDOW = 365 days;

    /// @dev Revenue state of one payment token of one model.
    struct TokenState {
        uint256 holderAcc;
        uint256 holderCarry;
        uint256 treasuryOwed;
        uint256 contributorReceived;
        uint256 deposited;
        bool allowed;
        // Holder revenue still unlocking (appended in V2; shares the slot of `allowed`).
        uint128 locked;
        uint48 unlockedAt;
        uint48 unlockEnd;
        // Appended in V3: what derivatives set aside for this model (cumulative), and how much of it has entered
        // its split (`collectFromDerivatives`).
        uint128 fromDerivatives;
        uint128 fromDerivativesCollected;
    }

    /// @dev One model. The first slot (treasury, split, epoch, token count) is all the transfer hook reads first.
    struct Model {
        address treasury;
        uint16 contributorsBps;
        uint16 holdersBps;
        uint32 epoch;
        uint8 tokenCount;
        address[MAX_PAYMENT_TOKENS] tokens;
        address[] contributors;
        uint256 totalShares;
        mapping(address token => TokenState) token;
        mapping(uint32 epoch => mapping(address account => uint256)) contributorShares;
        mapping(uint32 epoch => mapping(address token => mapping(address account => uint256))) contributorReleased;
        mapping(address token => mapping(address account => uint256)) contributorCredit;
        mapping(address token => mapping(address account => int256)) holderCorrection;
        mapping(address token => mapping(address account => uint256)) holderWithdrawn;
        uint32 unlockWindow; // appended in V2; 0 = DEFAULT_UNLOCK_WINDOW
        // Appended in V2: the royalty receiver once deployed (a later implementation may compile the receiver to
        // other bytecode, and so predict another address; the deployed one must stay this model's).
        address royaltyReceiver;
        // Appended in V3: the parents this derivative pays before its own split (set once, by the lineage registry),
        // packed in one slot so a payment into any model reads its lineage with one load: up to four 64-bit
        // entries, lowest first, each `parentId << 16 | bps`; a zero entry ends the list.
        uint256 parents;
    }

    /// @custom:storage-location erc7201:weightshare.storage.RevenueVault
    struct RevenueVaultStorage {
        IModelShares shares; // V1: now the immutable SHARES
        address royaltyReceiverImplementation; // V1: receivers are now full contracts the vault deploys
        mapping(uint256 modelId => Model) models;
    }

    // keccak256(abi.encode(uint256(keccak256("weightshare.storage.RevenueVault")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REVENUE_VAULT_STORAGE_LOCATION =
        0xda05afcf5f639d79bbcb24e49b76db86807e3b56bd82b9e71455d64320537e00;

    error RevenueVaultUnexpectedEth(address from);

    /// @notice The `ModelShares` proxy whose models this vault serves (an immutable of the implementation: the
    /// transfer hook checks its caller without a storage read).
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IModelShares public immutable SHARES;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IModelShares shares_) {
        SHARES = shares_;
        _disableInitializers();
    }

    /**
     * @notice Initialises the proxy (set this vault as the revenue hook of `SHARES` afterwards).
     * @param admin the protocol admin (a timelock): upgrades only
     */
    function initialize(address admin) external initializer {
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @dev ETH arrives only from a royalty receiver swept inside one of the vault's own calls.
    receive() external payable {
        if (!_reentrancyGuardEntered()) revert RevenueVaultUnexpectedEth(msg.sender);
    }

    // ---------------------------------------------------------------------------------------------------------
    // In
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRevenueVault
    function deposit(
        uint256 modelId,
        address token,
        uint256 amount
    ) external payable nonReentrant returns (uint256 credited) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        if (!m.token[token].allowed) revert RevenueVaultTokenNotAllowed(modelId, token);
        if (token == address(0)) {
            if (msg.value != amount) revert RevenueVaultInvalidAmount(amount, msg.value);
            credited = amount;
        } else {
            if (msg.value != 0) revert RevenueVaultInvalidAmount(amount, msg.value);
            uint256 before = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
            credited = IERC20(token).balanceOf(address(this)) - before;
        }
        if (credited == 0) revert RevenueVaultNothingArrived(modelId, token);
        _credit(m, modelId, token, credited, msg.sender);
    }

    /// @inheritdoc IRevenueVault
    function collectRoyalties(uint256 modelId, address token) external nonReentrant returns (uint256 collected) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        if (!m.token[token].allowed) revert RevenueVaultTokenNotAllowed(modelId, token);
        collected = _sweepIn(m, modelId, token);
        emit RoyaltiesCollected(modelId, token, collected);
    }

    /// @inheritdoc IRevenueVault
    function recoverToken(uint256 modelId, address token) external nonReentrant returns (uint256 amount) {
        Model storage m = _onlyTimelock(modelId);
        if (m.token[token].allowed) revert RevenueVaultTokenAllowed(modelId, token);
        // A derivative's royalties pay its parents in any token: through the vault (its treasury's cut, then).
        amount =
            m.parents != 0
                ? _sweepIn(m, modelId, token)
                : RoyaltyReceiver(payable(_deployedReceiver(modelId))).sweep(token, m.treasury);
        if (amount == 0) revert RevenueVaultNothingArrived(modelId, token);
        emit TokenRecovered(modelId, token, m.treasury, amount);
    }

    /// @inheritdoc IRevenueHook
    function beforeSharesMoved(uint256 modelId, address from, address to, uint256 amount) external {
        if (msg.sender != address(SHARES)) revert RevenueVaultUnauthorizedShares(msg.sender);
        Model storage m = _getRevenueVaultStorage().models[modelId];
        address treasury = m.treasury;
        uint256 count = m.tokenCount;
        for (uint256 i = 0; i < count; ++i) {
            address token = m.tokens[i];
            TokenState storage ts = m.token[token];
            // Revenue unlocked so far is shared by the holders before this move; the rest follows the fractions.
            if (ts.locked != 0) _unlock(modelId, token, ts);
            uint256 acc = ts.holderAcc;
            if (acc == 0) continue; // nothing distributed yet: every correction would be zero
            int256 delta = SafeCast.toInt256(amount * acc);
            if (from != address(0) && from != treasury) m.holderCorrection[token][from] += delta;
            if (to != address(0) && to != treasury) m.holderCorrection[token][to] -= delta;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Out (pull)
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRevenueVault
    function release(uint256 modelId, address token, address account) external nonReentrant returns (uint256 amount) {
        return _release(modelId, token, account, account);
    }

    /// @inheritdoc IRevenueVault
    function releaseTo(uint256 modelId, address token, address recipient) external nonReentrant returns (uint256) {
        if (recipient == address(0)) revert RevenueVaultInvalidRecipient(recipient);
        return _release(modelId, token, msg.sender, recipient);
    }

    /// @inheritdoc IRevenueVault
    function claim(uint256 modelId, address token) external nonReentrant returns (uint256 amount) {
        amount = _claim(modelId, token, msg.sender, msg.sender);
        if (amount == 0) revert RevenueVaultNothingToRelease(modelId, token, msg.sender);
    }

    /// @inheritdoc IRevenueVault
    function claimTo(uint256 modelId, address token, address recipient) external nonReentrant returns (uint256 amount) {
        if (recipient == address(0)) revert RevenueVaultInvalidRecipient(recipient);
        amount = _claim(modelId, token, msg.sender, recipient);
        if (amount == 0) revert RevenueVaultNothingToRelease(modelId, token, msg.sender);
    }

    /// @inheritdoc IRevenueVault
    function claimMany(
        uint256[] calldata modelIds,
        address[] calldata tokens
    ) external nonReentrant returns (uint256[] memory amounts) {
        if (modelIds.length != tokens.length) revert RevenueVaultInvalidClaim(modelIds.length, tokens.length);
        amounts = new uint256[](modelIds.length);
        for (uint256 i = 0; i < modelIds.length; ++i) {
            amounts[i] = _claim(modelIds[i], tokens[i], msg.sender, msg.sender);
        }
    }

    /// @inheritdoc IRevenueVault
    function releaseTreasury(uint256 modelId, address token) external nonReentrant returns (uint256 amount) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        TokenState storage ts = m.token[token];
        if (ts.locked != 0) _unlock(modelId, token, ts);
        amount = ts.treasuryOwed;
        if (amount == 0) revert RevenueVaultNothingToRelease(modelId, token, m.treasury);
        ts.treasuryOwed = 0;
        emit TreasuryReleased(modelId, token, m.treasury, amount);
        _pay(token, m.treasury, amount);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Governed by the model's timelock
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRevenueVault
    function setSplit(uint256 modelId, uint256 contributorsBps, uint256 holdersBps) external {
        Model storage m = _onlyTimelock(modelId);
        if (contributorsBps + holdersBps > BPS) revert RevenueVaultInvalidSplit(contributorsBps, holdersBps, BPS);
        m.contributorsBps = uint16(contributorsBps);
        m.holdersBps = uint16(holdersBps);
        emit SplitSet(modelId, contributorsBps, holdersBps, BPS - contributorsBps - holdersBps);
    }

    /// @inheritdoc IRevenueVault
    function setContributors(uint256 modelId, address[] calldata accounts, uint256[] calldata shares_) external {
        Model storage m = _onlyTimelock(modelId);
        if (accounts.length != shares_.length || accounts.length > MAX_CONTRIBUTORS) {
            revert RevenueVaultInvalidContributors(accounts.length, shares_.length, MAX_CONTRIBUTORS);
        }
        _closeEpoch(m);
        uint32 epoch = ++m.epoch;
        uint256 total;
        for (uint256 i = 0; i < accounts.length; ++i) {
            address account = accounts[i];
            if (account == address(0) || shares_[i] == 0 || m.contributorShares[epoch][account] != 0) {
                revert RevenueVaultInvalidContributor(i, account, shares_[i]);
            }
            m.contributorShares[epoch][account] = shares_[i];
            total += shares_[i];
        }
        m.contributors = accounts;
        m.totalShares = total;
        emit ContributorsSet(modelId, epoch, accounts, shares_);
    }

    /// @inheritdoc IRevenueVault
    function setPaymentToken(uint256 modelId, address token, bool allowed) external {
        Model storage m = _onlyTimelock(modelId);
        TokenState storage ts = m.token[token];
        if (ts.locked != 0) _unlock(modelId, token, ts); // what has unlocked no longer counts as locked
        (bool listed, uint256 index) = _indexOf(m, token);
        if (allowed && !listed) {
            if (m.tokenCount == MAX_PAYMENT_TOKENS) revert RevenueVaultTooManyTokens(modelId, MAX_PAYMENT_TOKENS);
            m.tokens[m.tokenCount++] = token;
            if (m.tokenCount == 1) {
                SHARES.setRevenueTracking(modelId, true);
                _deployedReceiver(modelId); // pinned now: marketplaces may pay it before anyone collects
            }
        } else if (!allowed && listed && ts.holderAcc == 0 && ts.locked == 0 && ts.contributorReceived == 0) {
            // Nothing of it follows the fractions or the current contributors (it never paid holders or
            // contributors, e.g. a token that never earned): it leaves the list and stops costing transfers gas.
            // What the treasury or earlier contributors are owed in it stays releasable. A token that did pay
            // holders keeps following the fractions.
            uint8 last = m.tokenCount - 1;
            m.tokens[index] = m.tokens[last];
            m.tokens[last] = address(0);
            m.tokenCount = last;
            if (last == 0) SHARES.setRevenueTracking(modelId, false);
        }
        ts.allowed = allowed;
        emit PaymentTokenSet(modelId, token, allowed);
    }

    /// @inheritdoc IRevenueVault
    function setUnlockWindow(uint256 modelId, uint256 window) external {
        Model storage m = _onlyTimelock(modelId);
        if (window < MIN_UNLOCK_WINDOW || window > MAX_UNLOCK_WINDOW) {
            revert RevenueVaultInvalidUnlockWindow(window, MIN_UNLOCK_WINDOW, MAX_UNLOCK_WINDOW);
        }
        m.unlockWindow = uint32(window);
        emit UnlockWindowSet(modelId, window);
    }

    /// @inheritdoc IRevenueVault
    function setParents(
        uint256 modelId,
        uint256[] calldata parentIds,
        uint256[] calldata bps
    ) external onlyRole(LINEAGE_ROLE) {
        RevenueVaultStorage storage $ = _getRevenueVaultStorage();
        Model storage m = $.models[modelId];
        uint256 count = parentIds.length;
        // The lineage registry checks the rest (existing models, shares within the cap, no cycles); a `bps` shorter
        // than `parentIds` reverts on reading it.
        if (m.parents != 0 || count > MAX_PARENTS) revert RevenueVaultInvalidParents(modelId);
        uint256 packed;
        for (uint256 i = 0; i < count; ++i) {
            uint256 parentId = parentIds[i];
            Model storage parent = $.models[parentId];
            // A parent may never have called the vault: its treasury must be known before it is owed anything.
            if (parent.treasury == address(0)) parent.treasury = SHARES.treasuryOf(parentId);
            packed |= ((uint256(uint48(parentId)) << 16) | uint16(bps[i])) << (64 * i);
        }
        m.parents = packed;
        emit ParentsSet(modelId, parentIds, bps);
    }

    /// @inheritdoc IRevenueVault
    function collectFromDerivatives(uint256 modelId, address token) external nonReentrant returns (uint256 amount) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        TokenState storage ts = m.token[token];
        unchecked {
            amount = uint128(ts.fromDerivatives - ts.fromDerivativesCollected);
        }
        if (amount == 0) revert RevenueVaultNothingArrived(modelId, token);
        ts.fromDerivativesCollected = ts.fromDerivatives;
        _split(m, modelId, ts, token, amount, address(this));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRevenueVault
    function releasable(uint256 modelId, address token, address account) external view returns (uint256) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        return m.contributorCredit[token][account] + _pendingContribution(m, token, account);
    }

    /// @inheritdoc IRevenueVault
    function claimable(uint256 modelId, address token, address account) public view returns (uint256) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        if (account == m.treasury || m.treasury == address(0)) return 0;
        TokenState storage ts = m.token[token];
        (uint256 acc, , , ) = _unlocked(modelId, ts);
        uint256 balance = IERC1155(address(SHARES)).balanceOf(account, modelId);
        int256 scaled = SafeCast.toInt256(balance * acc) + m.holderCorrection[token][account];
        return SafeCast.toUint256(scaled) / PRECISION - m.holderWithdrawn[token][account];
    }

    /// @inheritdoc IRevenueVault
    function treasuryReleasable(uint256 modelId, address token) external view returns (uint256) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        (, , uint256 toTreasury, ) = _unlocked(modelId, m.token[token]);
        return m.token[token].treasuryOwed + toTreasury;
    }

    /// @inheritdoc IRevenueVault
    function unlocking(
        uint256 modelId,
        address token
    ) external view returns (uint256 locked, uint256 unlockEnd, uint256 window) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        TokenState storage ts = m.token[token];
        (, , , uint256 stillLocked) = _unlocked(modelId, ts);
        return (stillLocked, stillLocked == 0 ? 0 : ts.unlockEnd, _window(m));
    }

    /// @inheritdoc IRevenueVault
    function royaltyReceiverOf(uint256 modelId) public view returns (address) {
        address deployed = _getRevenueVaultStorage().models[modelId].royaltyReceiver;
        if (deployed != address(0)) return deployed;
        return Create2.computeAddress(bytes32(modelId), keccak256(type(RoyaltyReceiver).creationCode));
    }
    /// @inheritdoc IRevenueVault
    function splitOf(
        uint256 modelId
    ) external view returns (uint256 contributorsBps, uint256 holdersBps, uint256 treasuryBps) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        return (m.contributorsBps, m.holdersBps, BPS - m.contributorsBps - m.holdersBps);
    }

    /// @inheritdoc IRevenueVault
    function contributorsOf(
        uint256 modelId
    ) external view returns (address[] memory accounts, uint256[] memory shares_) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        accounts = m.contributors;
        shares_ = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) shares_[i] = m.contributorShares[m.epoch][accounts[i]];
    }

    /// @inheritdoc IRevenueVault
    function paymentTokensOf(uint256 modelId) external view returns (address[] memory tokens, bool[] memory allowed) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        tokens = new address[](m.tokenCount);
        allowed = new bool[](m.tokenCount);
        for (uint256 i = 0; i < tokens.length; ++i) {
            tokens[i] = m.tokens[i];
            allowed[i] = m.token[tokens[i]].allowed;
        }
    }

    /// @inheritdoc IRevenueVault
    function fromDerivatives(uint256 modelId, address token) external view returns (uint256 total, uint256 pending) {
        TokenState storage ts = _getRevenueVaultStorage().models[modelId].token[token];
        unchecked {
            return (ts.fromDerivatives, uint128(ts.fromDerivatives - ts.fromDerivativesCollected));
        }
    }

    /// @inheritdoc IRevenueVault
    function totalDeposited(uint256 modelId, address token) external view returns (uint256) {
        return _getRevenueVaultStorage().models[modelId].token[token].deposited;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Credits `amount` to a model: its parents' shares are set aside for them first, and the rest is split
    /// (all of it to the treasury's cut in a token the model does not take: see `_split`).
    function _credit(Model storage m, uint256 modelId, address token, uint256 amount, address from) private {
        uint256 parents = m.parents;
        uint256 credited = parents == 0 ? amount : amount - _payParents(parents, modelId, token, amount);
        _split(m, modelId, m.token[token], token, credited, from);
    }

    /// @dev Sets aside for each parent in `parents` (packed, see `Model.parents`) of `childId` its share of `amount`:
    /// the part its own parents take is passed on up the lineage (recursively; the lineage registry keeps it acyclic
    /// and bounded), and the rest waits in `fromDerivatives` until collected into the parent's split.
    /// @return paid everything that left the child
    function _payParents(
        uint256 parents,
        uint256 childId,
        address token,
        uint256 amount
    ) private returns (uint256 paid) {
        mapping(uint256 => Model) storage models = _getRevenueVaultStorage().models;
        for (; parents != 0; parents >>= 64) {
            uint256 cut = (amount * uint16(parents)) / BPS;
            if (cut == 0) continue;
            uint256 parentId = uint48(parents >> 16);
            paid += cut;
            emit ParentPaid(childId, parentId, token, cut);
            Model storage parent = models[parentId];
            uint256 grand = parent.parents;
            uint256 kept = grand == 0 ? cut : cut - _payParents(grand, parentId, token, cut);
            // Wraps rather than reverts: only a token minted past 2^128 units could wrap it, and a parent must not
            // be able to stop its derivatives' payments with one.
            unchecked {
                parent.token[token].fromDerivatives += uint128(kept);
            }
        }
    }

    /// @dev Splits what arrived. Contributors and the treasury are credited at once; the holders' cut starts
    /// unlocking now, over the model's window, so only those who hold while it unlocks earn it.
    function _split(
        Model storage m,
        uint256 modelId,
        TokenState storage ts,
        address token,
        uint256 credited,
        address from
    ) private {
        // A token the model does not take (only what a derivative set aside for it, or a derivative's recovered
        // royalties, bring one): its holders cannot be paid in it, and contributors' epochs close only over taken
        // tokens, so its treasury takes it whole.
        bool taken = ts.allowed;
        uint256 toContributors = !taken || m.totalShares == 0 ? 0 : (credited * m.contributorsBps) / BPS;
        uint256 toHolders = taken ? (credited * m.holdersBps) / BPS : 0;
        if (toHolders != 0) {
            uint256 locked = ts.locked;
            if (locked != 0) locked = _unlock(modelId, token, ts);
            uint256 end = ts.unlockEnd;
            uint256 remaining = end > block.timestamp ? end - block.timestamp : 0;
            uint256 total = locked + toHolders;
            // The new end: the amount-weighted average of the old end and now + window.
            uint256 duration = (locked * remaining + toHolders * _window(m)) / total;
            ts.locked = SafeCast.toUint128(total);
            ts.unlockedAt = uint48(block.timestamp);
            ts.unlockEnd = uint48(block.timestamp + (duration == 0 ? 1 : duration));
            emit HolderRevenueUnlocking(modelId, token, total, ts.unlockEnd);
        }
        uint256 toTreasury = credited - toContributors - toHolders;
        ts.contributorReceived += toContributors;
        ts.treasuryOwed += toTreasury;
        ts.deposited += credited;
        emit Deposited(modelId, token, from, credited, toContributors, toHolders, toTreasury);
    }

    /// @dev Moves what is due of the locked holder revenue into `holderAcc` (or, with no holders, to the treasury).
    /// Callers skip it when nothing is locked: the check inline saves an internal call on every transfer.
    /// @return locked what stays locked
    function _unlock(uint256 modelId, address token, TokenState storage ts) private returns (uint256) {
        (uint256 acc, uint256 carry, uint256 toTreasury, uint256 locked) = _unlocked(modelId, ts);
        if (locked == ts.locked) return locked; // nothing due yet: the schedule stays as it is
        ts.holderAcc = acc;
        ts.holderCarry = carry;
        ts.treasuryOwed += toTreasury;
        ts.locked = uint128(locked);
        ts.unlockedAt = uint48(block.timestamp);
        if (toTreasury != 0) emit UnlockedToTreasury(modelId, token, toTreasury);
        return locked;
    }

    /// @dev The holder accumulator as it stands now: what has unlocked since the last update is shared over the
    /// votable supply (or goes to the treasury if there is none). Exact: the remainder is carried.
    function _unlocked(
        uint256 modelId,
        TokenState storage ts
    ) private view returns (uint256 acc, uint256 carry, uint256 toTreasury, uint256 locked) {
        acc = ts.holderAcc;
        carry = ts.holderCarry;
        locked = ts.locked;
        uint256 last = ts.unlockedAt;
        if (locked == 0 || block.timestamp <= last) return (acc, carry, 0, locked);
        uint256 end = ts.unlockEnd;
        uint256 due = block.timestamp >= end ? locked : (locked * (block.timestamp - last)) / (end - last);
        if (due == 0) return (acc, carry, 0, locked);
        locked -= due;
        uint256 base = IModelVotes(SHARES.votesOf(modelId)).votableSupply();
        if (base == 0) return (acc, carry, due, locked); // nobody outside the treasury holds: the treasury takes it
        uint256 scaled = due * PRECISION + carry;
        acc += scaled / base;
        carry = scaled % base;
    }

    function _window(Model storage m) private view returns (uint256) {
        uint256 window = m.unlockWindow;
        return window == 0 ? DEFAULT_UNLOCK_WINDOW : window;
    }

    function _claim(uint256 modelId, address token, address account, address to) private returns (uint256 amount) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        TokenState storage ts = m.token[token];
        if (ts.locked != 0) _unlock(modelId, token, ts);
        amount = claimable(modelId, token, account);
        if (amount == 0) return 0;
        m.holderWithdrawn[token][account] += amount;
        emit HolderClaimed(modelId, token, account, amount);
        _pay(token, to, amount);
    }

    function _release(uint256 modelId, address token, address account, address to) private returns (uint256 amount) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        uint256 credit = m.contributorCredit[token][account];
        uint256 pending = _pendingContribution(m, token, account);
        amount = credit + pending;
        if (amount == 0) revert RevenueVaultNothingToRelease(modelId, token, account);
        if (credit != 0) m.contributorCredit[token][account] = 0;
        if (pending != 0) m.contributorReleased[m.epoch][token][account] += pending;
        emit ContributorReleased(modelId, token, account, amount);
        _pay(token, to, amount);
    }

    /// @dev Sweeps the model's royalty receiver's `token` into the vault and credits what arrived.
    function _sweepIn(Model storage m, uint256 modelId, address token) private returns (uint256 collected) {
        address receiver = _deployedReceiver(modelId);
        uint256 before = _balanceOf(token);
        RoyaltyReceiver(payable(receiver)).sweep(token, address(this));
        collected = _balanceOf(token) - before;
        if (collected == 0) revert RevenueVaultNothingArrived(modelId, token);
        _credit(m, modelId, token, collected, receiver);
    }

    /// @dev The model's royalty receiver, deployed on first use.
    function _deployedReceiver(uint256 modelId) private returns (address receiver) {
        Model storage m = _getRevenueVaultStorage().models[modelId];
        receiver = m.royaltyReceiver;
        if (receiver != address(0)) return receiver;
        receiver = royaltyReceiverOf(modelId);
        if (receiver.code.length == 0) new RoyaltyReceiver{salt: bytes32(modelId)}();
        m.royaltyReceiver = receiver;
    }
    function _pendingContribution(Model storage m, address token, address account) private view returns (uint256) {
        uint256 total = m.totalShares;
        if (total == 0) return 0;
        uint32 epoch = m.epoch;
        uint256 entitled = (m.token[token].contributorReceived * m.contributorShares[epoch][account]) / total;
        return entitled - m.contributorReleased[epoch][token][account];
    }

    /// @dev Turns what each current contributor is owed into a credit and sends the epoch's dust to the treasury.
    function _closeEpoch(Model storage m) private {
        uint256 total = m.totalShares;
        uint32 epoch = m.epoch;
        address[] storage accounts = m.contributors;
        for (uint256 t = 0; t < m.tokenCount; ++t) {
            address token = m.tokens[t];
            TokenState storage ts = m.token[token];
            uint256 received = ts.contributorReceived;
            if (received == 0) continue;
            uint256 distributed;
            for (uint256 i = 0; i < accounts.length; ++i) {
                address account = accounts[i];
                uint256 entitled = (received * m.contributorShares[epoch][account]) / total;
                distributed += entitled;
                uint256 owed = entitled - m.contributorReleased[epoch][token][account];
                if (owed != 0) m.contributorCredit[token][account] += owed;
            }
            ts.treasuryOwed += received - distributed;
            ts.contributorReceived = 0;
        }
    }

    function _onlyTimelock(uint256 modelId) private returns (Model storage m) {
        address treasury = SHARES.treasuryOf(modelId);
        if (treasury == address(0)) revert RevenueVaultUnknownModel(modelId);
        if (msg.sender != treasury) revert RevenueVaultUnauthorizedTimelock(msg.sender, modelId);
        m = _getRevenueVaultStorage().models[modelId];
        if (m.treasury == address(0)) m.treasury = treasury;
    }

    function _indexOf(Model storage m, address token) private view returns (bool found, uint256 index) {
        for (uint256 i = 0; i < m.tokenCount; ++i) {
            if (m.tokens[i] == token) return (true, i);
        }
        return (false, 0);
    }

    function _pay(address token, address to, uint256 amount) private {
        if (token == address(0)) Address.sendValue(payable(to), amount);
        else IERC20(token).safeTransfer(to, amount);
    }

    function _balanceOf(address token) private view returns (uint256) {
        return token == address(0) ? address(this).balance : IERC20(token).balanceOf(address(this));
    }

    /// @dev Upgrades are authorised by the protocol admin only.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _getRevenueVaultStorage() private pure returns (RevenueVaultStorage storage $) {
        assembly {
            $.slot := REVENUE_VAULT_STORAGE_LOCATION
        }
    }
}
