// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IRaises} from "../interfaces/IRaises.sol";

/**
 * @title RaiseMath
 * @notice The arithmetic of a raise, with no storage of its own: pro rata allocation above the hard cap, the
 * money raised, milestone tranches, the pro rata share of a failed milestone and what a backer may have refunded.
 * Every division rounds down, so what backers and the treasury are owed never exceeds what the raise holds.
 */
library RaiseMath {
    /// @notice Basis points in a whole (tranches sum to it).
    uint256 internal constant BPS = 10_000;

    /// @notice Fractions sold: what was committed, at most the cap.
    function sold(uint256 committed, uint256 cap) internal pure returns (uint256) {
        return Math.min(committed, cap);
    }

    /// @notice Money raised: the fractions sold at the price (what the treasury gets over all tranches).
    function raised(uint256 committed, uint256 cap, uint256 price) internal pure returns (uint256) {
        return Math.min(committed, cap) * price;
    }

    /// @notice Fractions of a backer that committed `fractions` of `committed`: all of them up to the cap,
    /// `floor(fractions * cap / committed)` above it.
    function allocated(uint256 fractions, uint256 committed, uint256 cap) internal pure returns (uint256) {
        if (committed <= cap) return fractions;
        return Math.mulDiv(fractions, cap, committed);
    }

    /// @notice Money refunded to that backer above the cap: `floor(fractions * price * (committed - cap) / committed)`.
    function excess(uint256 fractions, uint256 committed, uint256 cap, uint256 price) internal pure returns (uint256) {
        if (committed <= cap) return 0;
        return Math.mulDiv(fractions * price, committed - cap, committed);
    }

    /// @notice A backer's share of `pool` by committed fractions: `floor(pool * fractions / committed)`.
    function share(uint256 pool, uint256 fractions, uint256 committed) internal pure returns (uint256) {
        if (pool == 0 || committed == 0) return 0;
        return Math.mulDiv(pool, fractions, committed);
    }

    /// @notice How many tranches a raise releases: one when `tranches` is empty.
    function trancheCount(uint16[] storage tranches) internal view returns (uint256) {
        return tranches.length == 0 ? 1 : tranches.length;
    }

    /**
     * @notice What tranche `index` (from 0) releases when `released` is out already: the raised money times the
     * tranches' cumulative basis points up to `index`, rounded down, less what was released. The last tranche
     * releases exactly what is left.
     */
    function trancheAmount(
        uint256 raisedMoney,
        uint16[] storage tranches,
        uint256 index,
        uint256 released
    ) internal view returns (uint256) {
        if (index + 1 >= tranches.length) return raisedMoney - released;
        uint256 cumulative = 0;
        for (uint256 i = 0; i <= index; ++i) cumulative += tranches[i];
        return Math.mulDiv(raisedMoney, cumulative, BPS) - released;
    }

    /**
     * @notice Reverts with `RaisesInvalidTerms(field)` on terms `open` refuses: a zero price, goal or seat count
     * paired with a seat price (or the reverse); a cap below the goal; opening not before closing, or closing not
     * in the future; tranches not empty and not `maxTranches` or fewer positive entries summing to 10,000; an
     * access deadline not after closing; money totals beyond `uint128`; an ERC-20 with no code.
     */
    function checkTerms(IRaises.RaiseTerms calldata t, uint256 maxTranches) internal view {
        if (t.token != address(0) && t.token.code.length == 0) revert IRaises.RaisesInvalidTerms("token");
        if (t.price == 0 || uint256(t.cap) * t.price > type(uint128).max) revert IRaises.RaisesInvalidTerms("price");
        if (t.goal == 0) revert IRaises.RaisesInvalidTerms("goal");
        if (t.cap < t.goal) revert IRaises.RaisesInvalidTerms("cap");
        if (t.opensAt >= t.closesAt) revert IRaises.RaisesInvalidTerms("opensAt");
        if (t.closesAt <= block.timestamp) revert IRaises.RaisesInvalidTerms("closesAt");
        if (!_validTranches(t.tranches, maxTranches)) revert IRaises.RaisesInvalidTerms("tranches");
        if ((t.seatPrice == 0) != (t.seats == 0)) revert IRaises.RaisesInvalidTerms("seats");
        if (t.seats != 0) {
            if (uint256(t.seats) * t.seatPrice > type(uint128).max) revert IRaises.RaisesInvalidTerms("seatPrice");
            if (t.accessDeadline <= t.closesAt) revert IRaises.RaisesInvalidTerms("accessDeadline");
        }
    }

    /**
     * @notice What is refundable to a backer now (all it is owed in money so far, less what it was refunded), and
     * whether that includes its seats' money. Owed: its surplus always; all it paid if the raise failed or was
     * cancelled; after success, its pro rata excess, its share of a failed milestone, and its seats' money once
     * `accessDeadline` passed with the seats undelivered. Before settlement, only the surplus.
     */
    function refundable(
        IRaises.RaiseTerms storage t,
        IRaises.RaiseState storage s,
        IRaises.Backing storage b,
        IRaises.Status current
    ) internal view returns (uint256 amount, bool seatMoney) {
        uint256 owed = b.surplus;
        uint256 seatCost = uint256(b.seats) * t.seatPrice;
        if (current == IRaises.Status.Failed || current == IRaises.Status.Cancelled) {
            owed += uint256(b.fractions) * t.price + seatCost;
            seatMoney = seatCost != 0;
        } else if (current == IRaises.Status.Succeeded) {
            uint256 committed = s.committed;
            owed += excess(b.fractions, committed, t.cap, t.price) + share(s.milestoneRefund, b.fractions, committed);
            if (seatCost != 0 && !b.seatsDelivered && block.timestamp >= t.accessDeadline) {
                owed += seatCost;
                seatMoney = true;
            }
        }
        amount = owed - b.refunded;
    }

    /// @dev Whether `tranches` is empty, or has at most `maxCount` entries, each positive, summing to 10,000.
    function _validTranches(uint16[] calldata tranches, uint256 maxCount) private pure returns (bool) {
        uint256 length = tranches.length;
        if (length == 0) return true;
        if (length > maxCount) return false;
        uint256 sum = 0;
        for (uint256 i = 0; i < length; ++i) {
            if (tranches[i] == 0) return false;
            sum += tranches[i];
        }
        return sum == BPS;
    }
}
