// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ModelShares} from "../../../contracts/token/ModelShares.sol";
import {ModelVotes} from "../../../contracts/token/ModelVotes.sol";
import {SharesFixture} from "../utils/SharesFixture.sol";
import {Test} from "../utils/Test.sol";

/// @dev Drives ModelShares over 3 models, 5 holders, each model's treasury and a non-holder delegate.
contract SharesHandler is Test {
    uint256 internal constant MODELS = 3;
    uint256 internal constant MAX_AMOUNT = 1e24;

    ModelShares internal immutable shares;
    address[] internal actors;
    address internal immutable outsider;

    /// @dev Ghost: the votable supply of each model, kept by the handler's own arithmetic.
    mapping(uint256 modelId => uint256) public ghostVotable;
    /// @dev Ghost: votable supply at the end of each timestamp, per model.
    mapping(uint256 modelId => uint256[]) internal historyTime;
    mapping(uint256 modelId => uint256[]) internal historyValue;

    uint256 public calls;

    constructor(ModelShares shares_, address[] memory actors_, address outsider_) {
        shares = shares_;
        actors = actors_;
        outsider = outsider_;
        for (uint256 id = 1; id <= MODELS; ++id) {
            ghostVotable[id] = ModelVotes(shares.votesOf(id)).votableSupply();
            _record(id);
        }
    }

    // --- actions --------------------------------------------------------------------------------------------

    function mint(uint256 modelSeed, uint256 toSeed, uint256 amount, uint256 dt) external {
        _advance(dt);
        uint256 id = _model(modelSeed);
        address to = _party(id, toSeed);
        amount = bound(amount, 0, MAX_AMOUNT);
        vm.prank(shares.treasuryOf(id));
        shares.mint(to, id, amount, "");
        if (to != shares.treasuryOf(id)) ghostVotable[id] += amount;
        _after(id);
    }

    function transfer(uint256 modelSeed, uint256 fromSeed, uint256 toSeed, uint256 amount, uint256 dt) external {
        _advance(dt);
        uint256 id = _model(modelSeed);
        address from = _party(id, fromSeed);
        address to = _party(id, toSeed);
        amount = bound(amount, 0, shares.balanceOf(from, id));
        vm.prank(from);
        shares.safeTransferFrom(from, to, id, amount, "");
        _moveGhost(id, from, to, amount);
        _after(id);
    }

    /// @dev A 3-entry batch whose ids may repeat; each entry is bounded by what is left of `from`'s balance.
    function batchTransfer(
        uint256 fromSeed,
        uint256 toSeed,
        uint256[3] calldata modelSeeds,
        uint256[3] calldata amounts
    ) external {
        address from = actors[fromSeed % actors.length];
        address to = actors[toSeed % actors.length];
        uint256[] memory ids = new uint256[](3);
        uint256[] memory values = new uint256[](3);
        uint256[MODELS + 1] memory spent;
        for (uint256 i = 0; i < 3; ++i) {
            uint256 id = _model(modelSeeds[i]);
            uint256 left = shares.balanceOf(from, id) - spent[id];
            ids[i] = id;
            values[i] = bound(amounts[i], 0, left);
            spent[id] += values[i];
        }
        vm.prank(from);
        shares.safeBatchTransferFrom(from, to, ids, values, "");
        for (uint256 id = 1; id <= MODELS; ++id) _after(id);
    }

    function burn(uint256 modelSeed, uint256 fromSeed, uint256 amount, uint256 dt) external {
        _advance(dt);
        uint256 id = _model(modelSeed);
        address from = _party(id, fromSeed);
        amount = bound(amount, 0, shares.balanceOf(from, id));
        vm.prank(from);
        shares.burn(from, id, amount);
        if (from != shares.treasuryOf(id)) ghostVotable[id] -= amount;
        _after(id);
    }

    function delegate(uint256 modelSeed, uint256 fromSeed, uint256 toSeed, uint256 dt) external {
        _advance(dt);
        uint256 id = _model(modelSeed);
        address from = actors[fromSeed % actors.length];
        uint256 pick = toSeed % (actors.length + 2);
        address delegatee = pick < actors.length ? actors[pick] : (pick == actors.length ? outsider : address(0));
        vm.prank(from);
        ModelVotes(shares.votesOf(id)).delegate(delegatee);
        _after(id);
    }

    // --- views for the invariants ---------------------------------------------------------------------------

    function actorList() external view returns (address[] memory) {
        return actors;
    }

    function historyLength(uint256 id) external view returns (uint256) {
        return historyTime[id].length;
    }

    function historyAt(uint256 id, uint256 i) external view returns (uint256 time, uint256 value) {
        return (historyTime[id][i], historyValue[id][i]);
    }

    // --- internal -------------------------------------------------------------------------------------------

    function _moveGhost(uint256 id, address from, address to, uint256 amount) private {
        address treasury = shares.treasuryOf(id);
        if (from == treasury && to != treasury) ghostVotable[id] += amount;
        if (to == treasury && from != treasury) ghostVotable[id] -= amount;
    }

    function _after(uint256 id) private {
        ++calls;
        _record(id);
    }

    function _record(uint256 id) private {
        uint256 n = historyTime[id].length;
        if (n != 0 && historyTime[id][n - 1] == block.timestamp) {
            historyValue[id][n - 1] = ghostVotable[id];
        } else {
            historyTime[id].push(block.timestamp);
            historyValue[id].push(ghostVotable[id]);
        }
    }

    function _advance(uint256 dt) private {
        dt = dt % 3; // same-timestamp overwrites happen as often as new checkpoints
        if (dt != 0) vm.warp(block.timestamp + dt);
    }

    function _model(uint256 seed) private pure returns (uint256) {
        return (seed % MODELS) + 1;
    }

    /// @dev One of the 5 holders, or (one time in six) the model's treasury.
    function _party(uint256 id, uint256 seed) private view returns (address) {
        uint256 pick = seed % (actors.length + 1);
        return pick == actors.length ? shares.treasuryOf(id) : actors[pick];
    }
}

contract ModelSharesInvariantTest is SharesFixture {
    address internal constant OUTSIDER = address(0x0E75);
    SharesHandler internal handler;
    address[] internal treasuries;

    function setUp() public {
        _deployShares();
        for (uint256 i = 0; i < 3; ++i) {
            address treasury = address(uint160(0x7EA50 + i));
            treasuries.push(treasury);
            _createModel(treasury, _five(), 1000 * (i + 1));
        }
        handler = new SharesHandler(shares, _five(), OUTSIDER);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Every holder of each id is one of the 5 actors or the treasury.
    function invariant_balancesSumToTotalSupply() public view {
        address[] memory actors = handler.actorList();
        for (uint256 id = 1; id <= 3; ++id) {
            uint256 sum = shares.balanceOf(treasuries[id - 1], id);
            for (uint256 i = 0; i < actors.length; ++i) sum += shares.balanceOf(actors[i], id);
            assertEq(sum, shares.totalSupply(id), "sum of balances == totalSupply(id)");
        }
    }

    /// @dev Each delegate holds exactly the fractions delegated to it; those plus undelegated fractions are the
    /// votable supply, which equals the handler's independent ghost.
    function invariant_delegatedVotesEqualVotableSupply() public view {
        address[] memory actors = handler.actorList();
        for (uint256 id = 1; id <= 3; ++id) {
            ModelVotes votes = ModelVotes(shares.votesOf(id));
            uint256 votable = votes.votableSupply();
            assertEq(votable, handler.ghostVotable(id), "votable supply == ghost");
            assertEq(
                votable,
                shares.totalSupply(id) - shares.balanceOf(treasuries[id - 1], id),
                "votable == supply - treasury"
            );
            uint256 votesSum = votes.getVotes(OUTSIDER);
            uint256 undelegated;
            assertEq(votes.getVotes(treasuries[id - 1]), 0, "treasury never votes");
            for (uint256 i = 0; i < actors.length; ++i) {
                votesSum += votes.getVotes(actors[i]);
                if (votes.delegates(actors[i]) == address(0)) undelegated += shares.balanceOf(actors[i], id);
            }
            assertEq(votesSum + undelegated, votable, "sum of delegates' votes == votable supply (less opt-outs)");
            _checkEachDelegate(votes, id, actors);
        }
    }

    /// @dev getPastTotalSupply(t) equals the ghost's votable supply at the end of every past timestamp t.
    function invariant_pastTotalSupplyMatchesHistory() public view {
        for (uint256 id = 1; id <= 3; ++id) {
            ModelVotes votes = ModelVotes(shares.votesOf(id));
            uint256 n = handler.historyLength(id);
            for (uint256 i = 0; i < n; ++i) {
                (uint256 t, uint256 value) = handler.historyAt(id, i);
                if (t >= block.timestamp) continue; // not yet in the past
                assertEq(votes.getPastTotalSupply(t), value, "getPastTotalSupply(t) == history");
            }
        }
    }

    function _checkEachDelegate(ModelVotes votes, uint256 id, address[] memory actors) private view {
        for (uint256 d = 0; d <= actors.length; ++d) {
            address delegatee = d < actors.length ? actors[d] : OUTSIDER;
            uint256 expected;
            for (uint256 i = 0; i < actors.length; ++i) {
                if (votes.delegates(actors[i]) == delegatee) expected += shares.balanceOf(actors[i], id);
            }
            assertEq(votes.getVotes(delegatee), expected, "delegate's votes == fractions delegated to it");
        }
    }
}
