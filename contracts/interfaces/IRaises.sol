// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IRaises
 * @notice Presales (crowdfunds) of a registered model's fractions, and optionally of licences to it, for ETH or an
 * ERC-20. A model's treasury opens a raise by vote; backers commit between `opensAt` and `closesAt`. At closing the
 * raise has succeeded if at least `goal` fractions were committed, and failed otherwise.
 *
 * Money rules (each is an invariant test):
 * - committed money = refunded + released to the treasury + paid for licences + still held, per raise, always;
 * - nobody can move committed money before success: there is no admin, no upgrade, and the treasury can only
 *   cancel (which makes everything refundable) or, after success, release tranches or fail a milestone;
 * - a failed or cancelled raise refunds every backer exactly what arrived from it, forever, by pull;
 * - above `cap` fractions, each backer gets `floor(committed * cap / total)` fractions and a refund of
 *   `floor(money * (total - cap) / total)`; the treasury gets exactly `cap * price`. Rounding leaves at most 1 wei
 *   per backer in the contract, and a backer pays at most one fraction's price for the part of a fraction it
 *   does not receive;
 * - fractions are minted (out of the treasury's minting grant to this contract) only when claimed, so they vote
 *   and earn from the moment they exist, like any other fractions; the treasury cannot withdraw the grant.
 *
 * `address(0)` stands for ETH wherever a token is named. Amounts of fractions are whole fractions.
 */
interface IRaises {
    /// @notice What a raise is opened with. Fixed for its life.
    struct RaiseTerms {
        /// @dev The model whose fractions are sold; `msg.sender` of `open` must be its treasury.
        uint256 modelId;
        /// @dev The payment token; `address(0)` for ETH. Credited by what arrived (fee-on-transfer tokens).
        address token;
        /// @dev Price of one fraction, in the token's smallest unit.
        uint128 price;
        /// @dev Soft cap: the raise succeeds if at least this many fractions are committed by `closesAt`.
        uint64 goal;
        /// @dev Hard cap: at most this many fractions are sold; commitments above it are filled pro rata.
        uint64 cap;
        /// @dev Most fractions one account may commit; 0 for no limit.
        uint64 accountCap;
        /// @dev Commitments are accepted from `opensAt` (inclusive) until `closesAt` (exclusive).
        uint48 opensAt;
        uint48 closesAt;
        /// @dev Root of an OpenZeppelin `MerkleProof` tree of allowed backers (leaf:
        /// `keccak256(bytes.concat(keccak256(abi.encode(account))))`); zero for anyone.
        bytes32 allowlistRoot;
        /// @dev Hash and URI of the terms each backer signs (EIP-712 `AcceptTerms`, ECDSA or ERC-1271).
        bytes32 termsHash;
        string termsURI;
        /// @dev Milestone tranches in basis points of the money raised, summing to 10,000; empty for a single
        /// tranche. The first is released when the raise is finalised, each later one by the treasury (a vote).
        uint16[] tranches;
        /// @dev Access presale: price of one licence seat (0: no access presale), how many seats are for sale, and
        /// by when the treasury must name the offer the seats are delivered from; after it undelivered seats are
        /// refundable.
        uint128 seatPrice;
        uint32 seats;
        uint48 accessDeadline;
    }

    /// @notice Where a raise stands. `Closed` is transient: after `closesAt` and before anyone calls `finalize`.
    enum Status {
        Pending,
        Open,
        Closed,
        Succeeded,
        Failed,
        Cancelled
    }

    /// @notice What a raise holds, as totals.
    struct RaiseState {
        /// @dev Fractions committed (before pro rata).
        uint64 committed;
        /// @dev Seats sold.
        uint32 seatsSold;
        /// @dev Set by `finalize` (success or failure) or by `cancel`.
        bool finalized;
        bool cancelled;
        /// @dev Tranches released so far; a failed milestone stops further releases.
        uint8 tranchesReleased;
        bool milestoneFailed;
        /// @dev The offer seats are delivered from (0 until named).
        uint32 accessOfferId;
        /// @dev Money released to the treasury so far.
        uint256 released;
        /// @dev What a failed milestone left to refund, shared pro rata by committed fractions.
        uint256 milestoneRefund;
    }

    /// @notice What one backer holds in a raise.
    struct Backing {
        /// @dev Fractions committed and seats bought.
        uint64 fractions;
        uint32 seats;
        /// @dev Whether the backer signed the raise's terms.
        bool acceptedTerms;
        /// @dev Whether its fractions were minted, and whether its seats were delivered as licences.
        bool claimed;
        bool seatsDelivered;
        /// @dev Whether its seats' money was refunded (after `accessDeadline`, undelivered): they are no longer
        /// delivered. Whichever comes first, delivery or that refund, wins.
        bool seatsRefunded;
        /// @dev Money always refundable: what arrived beyond whole fractions (fee-on-transfer rounding), and what
        /// its delivered seats cost less than `seatPrice`.
        uint128 surplus;
        /// @dev Money refunded to it so far.
        uint256 refunded;
    }

    error RaisesUnknownRaise(uint256 raiseId);
    error RaisesUnknownModel(uint256 modelId);
    error RaisesUnauthorizedTreasury(address caller, uint256 modelId);
    /// @notice `field` of the raise terms is out of range (e.g. `cap` below `goal`, tranches not summing to 10,000).
    error RaisesInvalidTerms(string field);
    /// @notice The treasury's minting grant to this contract covers `granted` fractions, `needed` are promised.
    error RaisesGrantTooSmall(uint256 modelId, uint256 granted, uint256 needed);
    error RaisesNotOpen(uint256 raiseId, Status status);
    error RaisesWrongStatus(uint256 raiseId, Status status);
    error RaisesNothingCommitted(uint256 raiseId);
    error RaisesAccountCapExceeded(uint256 raiseId, address account, uint256 fractions, uint256 accountCap);
    error RaisesSeatsSoldOut(uint256 raiseId, uint256 requested, uint256 left);
    error RaisesNotAllowed(uint256 raiseId, address account);
    error RaisesTermsNotAccepted(uint256 raiseId, address account);
    /// @notice ETH sent differs from the cost, or ETH was sent to an ERC-20 raise.
    error RaisesWrongPayment(uint256 expected, uint256 sent);
    /// @notice Less arrived than the seats cost (a fee-on-transfer token).
    error RaisesUnderpaid(uint256 expected, uint256 arrived);
    error RaisesNothingToRefund(uint256 raiseId, address account);
    error RaisesNothingToClaim(uint256 raiseId, address account);
    error RaisesInvalidRecipient(address recipient);
    error RaisesNoTrancheLeft(uint256 raiseId);
    /// @notice The offer cannot deliver the raise's seats: its `field` (token or price) does not match the raise.
    error RaisesOfferMismatch(uint256 raiseId, uint256 offerId, string field);
    error RaisesAccessDeadlinePassed(uint256 raiseId, uint256 deadline);
    error RaisesNoAccessOffer(uint256 raiseId);
    /// @notice The raise sells no seats (`seats` is 0), so it has no access offer.
    error RaisesNoAccessPresale(uint256 raiseId);
    /// @notice The access offer was named already (it is named once; the treasury can update the offer itself).
    error RaisesAccessOfferAlreadySet(uint256 raiseId, uint256 offerId);
    /// @notice `account` would hold `seats` seats, more than one account may buy (`max`, which bounds delivery).
    error RaisesTooManySeats(uint256 raiseId, address account, uint256 seats, uint256 max);
    /// @notice `backer` has no seats left to deliver (none bought, already delivered, or refunded).
    error RaisesNoSeatsToDeliver(uint256 raiseId, address backer);

    /// @notice A raise was opened; `terms` is everything an indexer needs.
    event RaiseOpened(uint256 indexed raiseId, uint256 indexed modelId, address indexed token, RaiseTerms terms);
    /// @notice `backer` signed the raise's terms (`termsHash`).
    event TermsAccepted(uint256 indexed raiseId, address indexed backer, bytes32 termsHash);
    /// @notice `backer` committed `fractions` and bought `seats`; `paid` arrived, of which `surplus` is refundable.
    event Committed(
        uint256 indexed raiseId,
        address indexed backer,
        uint256 fractions,
        uint256 seats,
        uint256 paid,
        uint256 surplus
    );
    /// @notice The raise closed and was settled: `sold` fractions for `raised` money if it succeeded.
    event RaiseFinalized(uint256 indexed raiseId, bool succeeded, uint256 committed, uint256 sold, uint256 raised);
    event RaiseCancelled(uint256 indexed raiseId);
    event TrancheReleased(uint256 indexed raiseId, uint256 indexed index, address indexed treasury, uint256 amount);
    /// @notice The treasury voted the current milestone failed: `refundable` is shared by the backers pro rata.
    event MilestoneFailed(uint256 indexed raiseId, uint256 indexed index, uint256 refundable);
    event Refunded(uint256 indexed raiseId, address indexed backer, address indexed to, uint256 amount);
    event FractionsClaimed(uint256 indexed raiseId, address indexed backer, address indexed to, uint256 fractions);
    event AccessOfferSet(uint256 indexed raiseId, uint256 indexed offerId);
    event SeatsDelivered(uint256 indexed raiseId, address indexed backer, uint256[] licenceIds, uint256 paid);

    /**
     * @notice Opens a raise. Only the treasury of `terms.modelId`, which must first have granted this contract
     * minting of at least `cap` fractions beyond what its other raises of that model promise.
     */
    function open(RaiseTerms calldata terms) external returns (uint256 raiseId);

    /**
     * @notice Commits to `fractions` fractions and `seats` licence seats. ETH: `msg.value` must be exactly
     * `fractions * price + seats * seatPrice`. ERC-20: that amount is pulled and what arrived is credited (whole
     * fractions; the rest is refundable surplus). `proof` is the allow-list proof (empty when open to anyone);
     * `signature` signs the terms (EIP-712 `AcceptTerms`), needed on the first commitment only.
     */
    function commit(
        uint256 raiseId,
        uint64 fractions,
        uint32 seats,
        bytes32[] calldata proof,
        bytes calldata signature
    ) external payable;

    /// @notice Settles a closed raise (anyone): on success releases the first tranche to the treasury.
    function finalize(uint256 raiseId) external;

    /// @notice Cancels a raise that is not finalised: everything committed becomes refundable. Treasury only.
    function cancel(uint256 raiseId) external;

    /// @notice Releases the next milestone tranche to the treasury. Treasury only (a vote), after success.
    function releaseTranche(uint256 raiseId) external;

    /// @notice Declares the current milestone failed: what is not released becomes refundable pro rata. Treasury.
    function failMilestone(uint256 raiseId) external;

    /// @notice Names the offer seats are delivered from (its token must be the raise's and its price at most
    /// `seatPrice`). Treasury only, after success and before `accessDeadline`.
    function setAccessOffer(uint256 raiseId, uint256 offerId) external;

    /// @notice Sends the caller what is refundable to it now, to `to` (a backer that cannot receive ETH names
    /// another address).
    function refund(uint256 raiseId, address to) external returns (uint256 amount);

    /// @notice Mints `backer`'s fractions of a successful raise to `to`. Anyone may claim for a backer (to the
    /// backer itself); only the backer may name another `to`.
    function claimFractions(uint256 raiseId, address backer, address to) external returns (uint256 fractions);

    /// @notice Buys `backer`'s seats from the named offer, as licences to `backer` (anyone may call). Any difference
    /// between `seatPrice` and the offer's price becomes refundable to the backer.
    function deliverSeats(uint256 raiseId, address backer) external returns (uint256[] memory licenceIds);

    /// @notice The terms of `raiseId`.
    function raise(uint256 raiseId) external view returns (RaiseTerms memory);

    /// @notice The totals of `raiseId`.
    function raiseState(uint256 raiseId) external view returns (RaiseState memory);

    /// @notice Where `raiseId` stands now.
    function status(uint256 raiseId) external view returns (Status);

    /// @notice What `backer` committed and received in `raiseId`.
    function backing(uint256 raiseId, address backer) external view returns (Backing memory);

    /**
     * @notice What `backer` gets from `raiseId` as things stand: fractions it can claim (or has claimed) and
     * money refundable to it now.
     */
    function allocation(uint256 raiseId, address backer) external view returns (uint256 fractions, uint256 refundable);

    /// @notice The EIP-712 digest `backer` signs to accept the terms of `raiseId`.
    function termsDigest(uint256 raiseId, address backer) external view returns (bytes32);

    /**
     * @notice The money of `raiseId` as running totals, in its token: what arrived from backers (`inflow`), was
     * refunded, was released to the treasury and was paid to the licence manager for seats. What the raise still
     * holds is `inflow - refunded - released - paidForSeats`.
     */
    function accounts(
        uint256 raiseId
    ) external view returns (uint256 inflow, uint256 refunded, uint256 released, uint256 paidForSeats);

    /// @notice Fractions of `modelId` promised by raises not yet settled (what the minting grant must cover).
    function reserved(uint256 modelId) external view returns (uint256);

    /// @notice How many raises exist; ids run from 1.
    function raiseCount() external view returns (uint256);
}
