// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

import {IModelVotes} from "../interfaces/IModelVotes.sol";

/**
 * @title ModelVotes
 * @notice One model's votes, deployed by `ModelShares` as an ERC-1167 clone whose immutable arguments are
 * `abi.encode(shares, treasury, modelId)`. Behaves towards Tally, wallets and OZ `Governor` exactly like
 * OpenZeppelin's `ERC20Votes` (same events, errors, EIP-712 `Delegation` type and lookups), but its balances are
 * the model id's balances in `ModelShares`, which reports every change through {onSharesMoved}.
 * @dev Vote arithmetic reuses OZ's audited `Checkpoints.Trace208`. The contract keeps no balances of its own.
 */
contract ModelVotes is Initializable, EIP712Upgradeable, NoncesUpgradeable, IModelVotes {
    using Checkpoints for Checkpoints.Trace208;

    /// @notice EIP-712 type of a delegation signature, identical to OpenZeppelin `Votes`.
    bytes32 public constant DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegatee,uint256 nonce,uint256 expiry)"
    );

    /// @dev A holder's delegate, and whether the holder ever chose it (an explicit address(0) is an opt-out).
    struct Delegation {
        address delegatee;
        bool chosen;
    }

    /// @custom:storage-location erc7201:weightshare.storage.ModelVotes
    struct ModelVotesStorage {
        string name;
        string symbol;
        mapping(address account => Delegation) delegation;
        mapping(address delegatee => Checkpoints.Trace208) delegateCheckpoints;
        Checkpoints.Trace208 totalCheckpoints;
    }

    // keccak256(abi.encode(uint256(keccak256("weightshare.storage.ModelVotes")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MODEL_VOTES_STORAGE_LOCATION =
        0x8e7539a2e2bb71bba555614b6a8cf648bce780e58d50b40134b3c5101f245f00;

    /// @dev The implementation's own address: every function that needs a model refuses to run on it.
    address private immutable _self = address(this);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc IModelVotes
    function initialize(string calldata name_, string calldata symbol_) external initializer {
        (address shares_, , ) = _args();
        if (msg.sender != shares_) revert ModelVotesUnauthorizedShares(msg.sender);
        __EIP712_init(name_, "1");
        __Nonces_init();
        ModelVotesStorage storage $ = _getModelVotesStorage();
        $.name = name_;
        $.symbol = symbol_;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Balance changes, reported by ModelShares
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IModelVotes
    function onSharesMoved(address from, address to, uint256 amount) external {
        (address shares_, address treasury_, ) = _args();
        if (msg.sender != shares_) revert ModelVotesUnauthorizedShares(msg.sender);
        // The treasury's fractions carry no votes: for vote accounting, and in the ERC-20 view Tally rebuilds the
        // supply from, the treasury is the same as outside the supply.
        if (from == treasury_) from = address(0);
        if (to == treasury_) to = address(0);
        if (from == address(0) && to == address(0)) return;
        emit Transfer(from, to, amount);
        if (amount == 0) return;
        _transferVotingUnits(from, to, amount);
    }

    // ---------------------------------------------------------------------------------------------------------
    // EIP-5805 / IVotes
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IVotes
    function delegate(address delegatee) external {
        _delegate(msg.sender, delegatee);
    }

    /**
     * @inheritdoc IVotes
     * @dev Same EIP-712 `Delegation` type and nonce rules as OpenZeppelin `Votes`; additionally refuses a signer
     * that holds no fractions of this model (`ModelVotesSignerHoldsNoFractions`), which is what a signature for
     * another chain or another model recovers to.
     */
    function delegateBySig(address delegatee, uint256 nonce, uint256 expiry, uint8 v, bytes32 r, bytes32 s) external {
        if (block.timestamp > expiry) revert VotesExpiredSignature(expiry);
        address signer = ECDSA.recover(
            _hashTypedDataV4(keccak256(abi.encode(DELEGATION_TYPEHASH, delegatee, nonce, expiry))),
            v,
            r,
            s
        );
        if (_votingUnits(signer) == 0) revert ModelVotesSignerHoldsNoFractions(signer);
        _useCheckedNonce(signer, nonce);
        _delegate(signer, delegatee);
    }

    /// @inheritdoc IVotes
    function delegates(address account) external view returns (address) {
        return _getModelVotesStorage().delegation[account].delegatee;
    }

    /// @inheritdoc IModelVotes
    function hasChosenDelegate(address account) external view returns (bool) {
        return _getModelVotesStorage().delegation[account].chosen;
    }

    /// @inheritdoc IVotes
    function getVotes(address account) external view returns (uint256) {
        return _getModelVotesStorage().delegateCheckpoints[account].latest();
    }

    /// @inheritdoc IVotes
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        return _getModelVotesStorage().delegateCheckpoints[account].upperLookupRecent(_validateTimepoint(timepoint));
    }

    /**
     * @inheritdoc IVotes
     * @dev The votable supply: fractions of this model outside its treasury. Quorum is a fraction of this.
     */
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        return _getModelVotesStorage().totalCheckpoints.upperLookupRecent(_validateTimepoint(timepoint));
    }

    /// @inheritdoc IModelVotes
    function votableSupply() external view returns (uint256) {
        return _getModelVotesStorage().totalCheckpoints.latest();
    }

    /// @inheritdoc IModelVotes
    function numCheckpoints(address account) external view returns (uint32) {
        return SafeCast.toUint32(_getModelVotesStorage().delegateCheckpoints[account].length());
    }

    /// @inheritdoc IModelVotes
    function checkpoints(address account, uint32 pos) external view returns (Checkpoints.Checkpoint208 memory) {
        return _getModelVotesStorage().delegateCheckpoints[account].at(pos);
    }

    /// @inheritdoc IERC6372
    function clock() public view returns (uint48) {
        return Time.timestamp();
    }

    /// @inheritdoc IERC6372
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }

    // ---------------------------------------------------------------------------------------------------------
    // ERC-20 shape (read-only mirror of the model id)
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IERC20Metadata
    function name() external view returns (string memory) {
        return _getModelVotesStorage().name;
    }

    /// @inheritdoc IERC20Metadata
    function symbol() external view returns (string memory) {
        return _getModelVotesStorage().symbol;
    }

    /// @inheritdoc IERC20Metadata
    /// @dev Fractions are whole units, as in ERC-1155.
    function decimals() external pure returns (uint8) {
        return 0;
    }

    /**
     * @inheritdoc IERC20
     * @dev The votable supply: the model's fractions outside its treasury, i.e. what the `Transfer` events add up to
     * (the treasury's fractions appear as not minted) and the quorum base.
     */
    function totalSupply() external view returns (uint256) {
        return _getModelVotesStorage().totalCheckpoints.latest();
    }

    /// @inheritdoc IERC20
    /// @dev The account's fractions of this model; 0 for the treasury, whose fractions carry no votes.
    function balanceOf(address account) public view returns (uint256) {
        return _votingUnits(account);
    }

    /// @inheritdoc IERC20
    function allowance(address, address) external pure returns (uint256) {
        return 0;
    }

    /// @notice Always reverts: fractions move through `ModelShares`.
    function transfer(address, uint256) external pure returns (bool) {
        revert ModelVotesNonTransferable();
    }

    /// @notice Always reverts: fractions move through `ModelShares`.
    function transferFrom(address, address, uint256) external pure returns (bool) {
        revert ModelVotesNonTransferable();
    }

    /// @notice Always reverts: fractions move through `ModelShares`.
    function approve(address, uint256) external pure returns (bool) {
        revert ModelVotesNonTransferable();
    }

    /// @inheritdoc IModelVotes
    function shares() external view returns (address shares_) {
        (shares_, , ) = _args();
    }

    /// @inheritdoc IModelVotes
    function treasury() external view returns (address treasury_) {
        (, treasury_, ) = _args();
    }

    /// @inheritdoc IModelVotes
    function modelId() external view returns (uint256 modelId_) {
        (, , modelId_) = _args();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Moves voting units; `address(0)` stands for "outside the votable supply" (mint, burn, treasury).
    function _transferVotingUnits(address from, address to, uint256 amount) private {
        ModelVotesStorage storage $ = _getModelVotesStorage();
        if (from == address(0)) {
            if (to == address(0)) return;
            _push($.totalCheckpoints, _add, SafeCast.toUint208(amount));
        } else if (to == address(0)) {
            _push($.totalCheckpoints, _subtract, SafeCast.toUint208(amount));
        }
        address fromDelegate = from == address(0) ? address(0) : $.delegation[from].delegatee;
        address toDelegate;
        if (to != address(0)) {
            Delegation storage d = $.delegation[to];
            toDelegate = d.delegatee;
            if (toDelegate == address(0) && !d.chosen) {
                // First receipt of a holder who never chose: self-delegate, exactly as if they had called delegate(to).
                d.delegatee = to;
                toDelegate = to;
                emit DelegateChanged(to, address(0), to);
            }
        }
        _moveDelegateVotes(fromDelegate, toDelegate, amount);
    }

    function _delegate(address account, address delegatee) private {
        Delegation storage d = _getModelVotesStorage().delegation[account];
        address oldDelegate = d.delegatee;
        d.delegatee = delegatee;
        d.chosen = true;
        emit DelegateChanged(account, oldDelegate, delegatee);
        _moveDelegateVotes(oldDelegate, delegatee, _votingUnits(account));
    }

    function _moveDelegateVotes(address from, address to, uint256 amount) private {
        if (from == to || amount == 0) return;
        ModelVotesStorage storage $ = _getModelVotesStorage();
        uint208 delta = SafeCast.toUint208(amount);
        if (from != address(0)) {
            (uint256 oldValue, uint256 newValue) = _push($.delegateCheckpoints[from], _subtract, delta);
            emit DelegateVotesChanged(from, oldValue, newValue);
        }
        if (to != address(0)) {
            (uint256 oldValue, uint256 newValue) = _push($.delegateCheckpoints[to], _add, delta);
            emit DelegateVotesChanged(to, oldValue, newValue);
        }
    }

    function _votingUnits(address account) private view returns (uint256) {
        (address shares_, address treasury_, uint256 modelId_) = _args();
        if (account == treasury_) return 0;
        return IERC1155(shares_).balanceOf(account, modelId_);
    }

    function _push(
        Checkpoints.Trace208 storage store,
        function(uint208, uint208) view returns (uint208) op,
        uint208 delta
    ) private returns (uint208 oldValue, uint208 newValue) {
        return store.push(clock(), op(store.latest(), delta));
    }

    function _validateTimepoint(uint256 timepoint) private view returns (uint48) {
        uint48 currentTimepoint = clock();
        if (timepoint >= currentTimepoint) revert ERC5805FutureLookup(timepoint, currentTimepoint);
        return SafeCast.toUint48(timepoint);
    }

    /// @dev The clone's immutable arguments. Reverts on the implementation itself, which has none.
    function _args() private view returns (address shares_, address treasury_, uint256 modelId_) {
        if (address(this) == _self) revert ModelVotesNotAClone();
        return abi.decode(Clones.fetchCloneArgs(address(this)), (address, address, uint256));
    }

    function _add(uint208 a, uint208 b) private pure returns (uint208) {
        return a + b;
    }

    function _subtract(uint208 a, uint208 b) private pure returns (uint208) {
        return a - b;
    }

    function _getModelVotesStorage() private pure returns (ModelVotesStorage storage $) {
        assembly {
            $.slot := MODEL_VOTES_STORAGE_LOCATION
        }
    }
}
