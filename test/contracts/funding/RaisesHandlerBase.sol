// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IRaises} from "../../../contracts/interfaces/IRaises.sol";
import {LicenseManager} from "../../../contracts/licensing/LicenseManager.sol";
import {ModelShares} from "../../../contracts/token/ModelShares.sol";
import {Test} from "../utils/Test.sol";

/**
 * @dev The state and helpers of `RaisesHandler`: the raises, models, tokens and backers it drives, the ghosts the
 * invariants compare the contract with (money measured from real balances, fractions from the models' supply),
 * terms generation, commitments and the finders that pick a raise an action applies to.
 */
abstract contract RaisesHandlerBase is Test {
    uint256 public constant BACKERS = 5;
    uint256 public constant MAX_RAISES = 4;
    address public constant ELSEWHERE = address(0xE15E);

    IRaises public immutable raises;
    ModelShares public immutable shares;
    LicenseManager public immutable licenses;
    address[3] internal tokens; // address(0) = ETH
    uint256[3] internal models;
    uint256[BACKERS] internal keys;
    address[BACKERS] public backers;

    uint256[] public raiseIds;
    mapping(uint256 raiseId => uint256) public tokenIndex;

    /// @dev A raise's money as measured from real balances (`treasuryReceived`: what the treasury's own balance
    /// rose by, less than `released` for a fee-on-transfer token), its fractions from the model's supply, and the
    /// price of the offer its seats are delivered from.
    struct RaiseGhost {
        uint256 inflow;
        uint256 refunded;
        uint256 released;
        uint256 paidForSeats;
        uint256 treasuryReceived;
        uint256 minted;
        uint256 offerPrice;
    }

    /// @dev What arrived from a backer and was refunded to it; the fractions it was credited (whole fractions of
    /// what arrived, at most those asked for) and its surplus: what arrived beyond them, plus what its delivered
    /// seats cost under the seat price.
    struct BackerGhost {
        uint256 paid;
        uint256 refunded;
        uint256 fractions;
        uint256 surplus;
    }

    mapping(uint256 raiseId => RaiseGhost) internal _ghost;
    mapping(uint256 raiseId => mapping(uint256 backer => BackerGhost)) internal _backerGhost;

    /// @dev The first check inside an action that failed (a revert in a handler call is discarded by the fuzzer,
    /// so the handler records instead of asserting), and how many times each action did something.
    string public failure;
    mapping(string action => uint256) public done;

    constructor(
        IRaises raises_,
        ModelShares shares_,
        LicenseManager licenses_,
        address[3] memory tokens_,
        uint256[3] memory models_
    ) {
        (raises, shares, licenses, tokens, models) = (raises_, shares_, licenses_, tokens_, models_);
        for (uint256 k = 0; k < BACKERS; ++k) {
            keys[k] = 0xB0C0 + k;
            address backer = vm.addr(keys[k]);
            backers[k] = backer;
            vm.deal(backer, 1e30);
            for (uint256 t = 1; t < 3; ++t) {
                IMintableToken(tokens_[t]).mint(backer, 1e36);
                vm.prank(backer);
                IERC20(tokens_[t]).approve(address(raises_), type(uint256).max);
            }
        }
    }

    // --- views for the invariants ---------------------------------------------------------------------------

    function raiseCount() external view returns (uint256) {
        return raiseIds.length;
    }

    function ghost(uint256 raiseId) external view returns (RaiseGhost memory) {
        return _ghost[raiseId];
    }

    function backerGhost(uint256 raiseId, uint256 k) external view returns (BackerGhost memory) {
        return _backerGhost[raiseId][k];
    }

    // --- the spec's arithmetic, for the invariants ---------------------------------------------------------

    /// @dev What `raiseId` owes backer `k` by the spec's formulas: refundable now, and held for it (not settled, or
    /// its seats awaiting delivery); and the rounding dust its share may leave.
    function owedTo(
        uint256 raiseId,
        uint256 k,
        IRaises.RaiseTerms memory t,
        IRaises.RaiseState memory st,
        IRaises.Status s
    ) public view returns (uint256 refundable, uint256 held, uint256 dust) {
        IRaises.Backing memory b = raises.backing(raiseId, backers[k]);
        uint256 u = _backerGhost[raiseId][k].fractions;
        uint256 seatMoney = uint256(b.seats) * t.seatPrice;
        uint256 due = _backerGhost[raiseId][k].surplus; // refundable whatever happens
        if (s == IRaises.Status.Failed || s == IRaises.Status.Cancelled) {
            due += u * t.price + seatMoney;
        } else if (s == IRaises.Status.Succeeded) {
            due += excessBySpec(u, st.committed, t.cap, t.price);
            if (st.milestoneFailed) due += (st.milestoneRefund * u) / st.committed;
            if (!b.seatsDelivered) {
                if (block.timestamp >= t.accessDeadline) due += seatMoney;
                else held = seatMoney;
            }
            if (u != 0) dust = (st.committed > t.cap ? 1 : 0) + (st.milestoneFailed ? 1 : 0);
        } else {
            held = u * t.price + seatMoney; // not settled: held for the backer, not refundable yet
        }
        refundable = due - _backerGhost[raiseId][k].refunded;
    }

    /// @dev floor(u * cap / U) above the cap, u at or under it.
    function allocatedBySpec(uint256 u, uint256 committed, uint256 cap) public pure returns (uint256) {
        return committed <= cap ? u : (u * cap) / committed;
    }

    /// @dev floor(u * price * (U - cap) / U) above the cap, 0 at or under it.
    function excessBySpec(uint256 u, uint256 committed, uint256 cap, uint256 price) public pure returns (uint256) {
        return committed <= cap ? 0 : (u * price * (committed - cap)) / committed;
    }

    // --- internal -------------------------------------------------------------------------------------------

    /// @dev Backer `k` commits to fractions (small or up to the cap) and seats, signing the terms the first time.
    function _commit(
        uint256 raiseId,
        IRaises.RaiseTerms memory t,
        uint256 k,
        uint256 fractionsSeed,
        uint256 seatsSeed
    ) internal {
        IRaises.Backing memory b = raises.backing(raiseId, backers[k]);
        uint256 most = t.accountCap == 0 ? t.cap : t.accountCap - b.fractions;
        uint256 fractions = bound(fractionsSeed, 0, fractionsSeed % 2 == 0 ? (most + 3) / 4 : most);
        uint256 seats;
        if (t.seatPrice != 0) seats = bound(seatsSeed, 0, t.seats - raises.raiseState(raiseId).seatsSold);
        if (fractions == 0 && seats == 0) return;
        uint256 cost = fractions * t.price + seats * t.seatPrice;
        bytes memory signature = b.acceptedTerms ? bytes("") : _sign(keys[k], raises.termsDigest(raiseId, backers[k]));
        uint256 before = _balance(t.token, address(raises));
        vm.prank(backers[k]);
        raises.commit{value: t.token == address(0) ? cost : 0}(
            raiseId,
            uint64(fractions),
            uint32(seats),
            new bytes32[](0),
            signature
        );
        uint256 arrived = _balance(t.token, address(raises)) - before;
        if (t.token != tokens[2] && arrived != cost) _fail("full payment did not arrive");
        _recordCommit(raiseId, t, k, b, fractions, seats, arrived);
    }

    /// @dev Ghosts of a commitment: whole fractions of what arrived beyond the seats, at most those asked for; the
    /// rest is surplus. The contract must have credited exactly that.
    function _recordCommit(
        uint256 raiseId,
        IRaises.RaiseTerms memory t,
        uint256 k,
        IRaises.Backing memory b,
        uint256 fractions,
        uint256 seats,
        uint256 arrived
    ) internal {
        _ghost[raiseId].inflow += arrived;
        _backerGhost[raiseId][k].paid += arrived;
        uint256 credited = (arrived - seats * t.seatPrice) / t.price;
        if (credited > fractions) credited = fractions;
        uint256 surplus = arrived - seats * t.seatPrice - credited * t.price;
        _backerGhost[raiseId][k].fractions += credited;
        _backerGhost[raiseId][k].surplus += surplus;
        IRaises.Backing memory a = raises.backing(raiseId, backers[k]);
        if (a.fractions - b.fractions != credited) _fail("fractions credited != whole fractions arrived");
        if (a.surplus - b.surplus != surplus) _fail("surplus credited != rest of what arrived");
        if (a.seats - b.seats != seats) _fail("seats credited != bought");
        if (t.token != tokens[2] && credited != fractions) _fail("full payment not credited in full");
        if (!a.acceptedTerms) _fail("terms not recorded");
        _done("commit");
    }

    function _terms(uint256 t, uint256 seed) internal view returns (IRaises.RaiseTerms memory terms) {
        terms.modelId = models[t];
        terms.token = tokens[t];
        uint256 unit = t == 1 ? 1e4 : 1e15; // a cent of a 6-decimal dollar; a thousandth of ETH or FEE
        terms.price = uint128(bound(_r(seed, 1), 1, 1000) * unit + bound(_r(seed, 2), 0, 7)); // odd prices too
        terms.goal = uint64(bound(_r(seed, 3), 1, 12));
        terms.cap = uint64(terms.goal + bound(_r(seed, 4), 0, _r(seed, 5) % 3 == 0 ? 4 : 50)); // tight caps too
        if (_r(seed, 6) % 4 == 0) terms.accountCap = uint64(bound(_r(seed, 6), 1, terms.cap));
        terms.opensAt = uint48(block.timestamp + bound(_r(seed, 7), 0, 2 hours));
        terms.closesAt = uint48(terms.opensAt + bound(_r(seed, 8), 8 hours, 30 hours));
        terms.termsHash = keccak256(abi.encode("terms", seed));
        terms.termsURI = "ipfs://raise-terms";
        uint256 n = _r(seed, 9) % 4; // 0 (single tranche) to 3 tranches
        terms.tranches = new uint16[](n);
        uint256 left = 10_000;
        for (uint256 i = 0; i + 1 < n; ++i) {
            terms.tranches[i] = uint16(bound(_r(seed, 10 + i), 1, left - (n - 1 - i)));
            left -= terms.tranches[i];
        }
        if (n != 0) terms.tranches[n - 1] = uint16(left);
        if (t != 2 && seed % 5 != 4) {
            // Seats are sold for ETH and the 6-decimal token (a licence purchase refuses a fee-on-transfer token).
            terms.seatPrice = uint128(bound(_r(seed, 14), 1, 100) * unit);
            terms.seats = uint32(bound(_r(seed, 15), 1, 12));
            terms.accessDeadline = uint48(terms.closesAt + bound(_r(seed, 16), 4 hours, 30 hours));
        }
    }

    function _released(uint256 raiseId, address token, address treasury, uint256 before, uint256 tb) internal {
        uint256 gone = before - _balance(token, address(raises));
        _ghost[raiseId].released += gone;
        _ghost[raiseId].treasuryReceived += _balance(token, treasury) - tb;
    }

    function _refundMustPayNothing(uint256 raiseId, address token, uint256 k) internal {
        uint256 before = _balance(token, address(raises));
        vm.prank(backers[k]);
        try raises.refund(raiseId, backers[k]) returns (uint256 amount) {
            if (amount != 0 || _balance(token, address(raises)) != before) _fail("refunded twice");
        } catch {}
    }

    function _claimMustMintNothing(uint256 raiseId, uint256 modelId, address backer) internal {
        uint256 supply = shares.totalSupply(modelId);
        try raises.claimFractions(raiseId, backer, backer) returns (uint256 fractions) {
            if (fractions != 0 || shares.totalSupply(modelId) != supply) _fail("claimed twice or from a failure");
        } catch {}
    }

    /// @dev The first raise from `seed` on (cyclically) that `ok` accepts; 0 if none.
    function _find(
        uint256 seed,
        function(uint256) view returns (bool) ok
    ) internal view returns (uint256 raiseId, IRaises.RaiseTerms memory t) {
        uint256 n = raiseIds.length;
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = raiseIds[((seed % n) + i) % n];
            if (ok(id)) return (id, raises.raise(id));
        }
    }

    /// @dev The first (raise, backer) from the seeds on with money refundable; else the seeds' own pair.
    function _findRefundable(
        uint256 raiseSeed,
        uint256 backerSeed
    ) internal view returns (uint256 raiseId, uint256 k, uint256 refundable) {
        uint256 n = raiseIds.length;
        if (n == 0) return (0, 0, 0);
        for (uint256 i = 0; i < n; ++i) {
            raiseId = raiseIds[((raiseSeed % n) + i) % n];
            for (uint256 j = 0; j < BACKERS; ++j) {
                k = (backerSeed + j) % BACKERS;
                (, refundable) = raises.allocation(raiseId, backers[k]);
                if (refundable != 0) return (raiseId, k, refundable);
            }
        }
        return (raiseIds[raiseSeed % n], backerSeed % BACKERS, 0);
    }

    function _isAny(uint256) internal pure returns (bool) {
        return true;
    }

    function _isOpen(uint256 raiseId) internal view returns (bool) {
        return raises.status(raiseId) == IRaises.Status.Open;
    }

    function _isClosed(uint256 raiseId) internal view returns (bool) {
        return raises.status(raiseId) == IRaises.Status.Closed;
    }

    function _isUnsettled(uint256 raiseId) internal view returns (bool) {
        return !raises.raiseState(raiseId).finalized;
    }

    function _isSucceeded(uint256 raiseId) internal view returns (bool) {
        return raises.status(raiseId) == IRaises.Status.Succeeded;
    }

    function _hasTrancheLeft(uint256 raiseId) internal view returns (bool) {
        if (!_isSucceeded(raiseId)) return false;
        IRaises.RaiseState memory s = raises.raiseState(raiseId);
        uint256 count = raises.raise(raiseId).tranches.length;
        return !s.milestoneFailed && s.tranchesReleased < (count == 0 ? 1 : count);
    }

    function _wantsOffer(uint256 raiseId) internal view returns (bool) {
        IRaises.RaiseTerms memory t = raises.raise(raiseId);
        return
            t.seatPrice != 0 &&
            _isSucceeded(raiseId) &&
            raises.raiseState(raiseId).accessOfferId == 0 &&
            block.timestamp < t.accessDeadline;
    }

    function _hasOffer(uint256 raiseId) internal view returns (bool) {
        return raises.raiseState(raiseId).accessOfferId != 0;
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _balance(address token, address account) internal view returns (uint256) {
        return token == address(0) ? account.balance : IERC20(token).balanceOf(account);
    }

    function _r(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /// @dev Time passes between transactions: up to two hours before each action.
    function _tick(uint256 seed) internal {
        vm.warp(block.timestamp + (_r(seed, 99) % 2 hours));
    }

    function _fail(string memory what) internal {
        if (bytes(failure).length == 0) failure = what;
    }

    function _done(string memory action) internal {
        ++done[action];
    }
}

interface IMintableToken {
    function mint(address to, uint256 amount) external;
}
