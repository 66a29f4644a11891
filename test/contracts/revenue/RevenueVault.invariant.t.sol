// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {FeeOnTransferToken} from "../../../contracts/mocks/tokens/FeeOnTransferToken.sol";
import {TestToken} from "../../../contracts/mocks/tokens/TestToken.sol";
import {ModelShares} from "../../../contracts/token/ModelShares.sol";
import {RevenueVault} from "../../../contracts/revenue/RevenueVault.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Test} from "../utils/Test.sol";

/**
 * @dev Drives the revenue vault over 2 models, 5 holders/contributors, ETH and three ERC-20s (18 decimals with a
 * 1% transfer fee, 6 decimals, 2 decimals). Ghosts are measured from the vault's real balance changes.
 */
contract VaultHandler is Test {
    uint256 internal constant MODELS = 2;
    RevenueVault internal immutable vault;
    ModelShares internal immutable shares;
    address[] internal actors;
    address[] internal tokens; // address(0) = ETH
    address[MODELS + 1] internal treasuries;

    mapping(uint256 modelId => mapping(address token => uint256)) public ghostIn;
    mapping(uint256 modelId => mapping(address token => uint256)) public ghostOut;
    bool public accrualMovedByTransfer;
    bool public claimedTwice;
    uint256 public calls;

    constructor(RevenueVault vault_, ModelShares shares_, address[] memory actors_, address[] memory tokens_) {
        vault = vault_;
        shares = shares_;
        actors = actors_;
        tokens = tokens_;
        for (uint256 id = 1; id <= MODELS; ++id) treasuries[id] = shares.treasuryOf(id);
        for (uint256 i = 1; i < tokens_.length; ++i) {
            TestToken(tokens_[i]).mint(address(this), 1e40);
            IERC20(tokens_[i]).approve(address(vault_), type(uint256).max);
        }
        vm.deal(address(this), 1e40);
    }

    // --- actions --------------------------------------------------------------------------------------------

    function deposit(uint256 modelSeed, uint256 tokenSeed, uint256 amount) external {
        uint256 id = _model(modelSeed);
        address token = tokens[tokenSeed % tokens.length];
        amount = bound(amount, 1, 1e24); // includes 1 wei
        uint256 before = _vaultBalance(token);
        if (token == address(0)) vault.deposit{value: amount}(id, token, amount);
        else vault.deposit(id, token, amount);
        ghostIn[id][token] += _vaultBalance(token) - before;
        ++calls;
    }

    function transfer(uint256 modelSeed, uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        uint256 id = _model(modelSeed);
        address from = _party(id, fromSeed);
        address to = _party(id, toSeed);
        amount = bound(amount, 0, shares.balanceOf(from, id));
        uint256[] memory beforeFrom = _claimables(id, from);
        uint256[] memory beforeTo = _claimables(id, to);
        vm.prank(from);
        shares.safeTransferFrom(from, to, id, amount, "");
        _checkUnchanged(beforeFrom, _claimables(id, from));
        _checkUnchanged(beforeTo, _claimables(id, to));
        ++calls;
    }

    function batchTransfer(uint256 fromSeed, uint256 toSeed, uint256 a, uint256 b) external {
        address from = actors[fromSeed % actors.length];
        address to = actors[toSeed % actors.length];
        uint256[] memory ids = new uint256[](3);
        uint256[] memory values = new uint256[](3);
        (ids[0], ids[1], ids[2]) = (1, 2, 1);
        values[0] = bound(a, 0, shares.balanceOf(from, 1));
        values[1] = bound(b, 0, shares.balanceOf(from, 2));
        values[2] = shares.balanceOf(from, 1) - values[0];
        vm.prank(from);
        shares.safeBatchTransferFrom(from, to, ids, values, "");
        ++calls;
    }

    function claim(uint256 modelSeed, uint256 tokenSeed, uint256 actorSeed) external {
        uint256 id = _model(modelSeed);
        address token = tokens[tokenSeed % tokens.length];
        address actor = actors[actorSeed % actors.length];
        if (vault.claimable(id, token, actor) == 0) return;
        uint256 before = _vaultBalance(token);
        vm.prank(actor);
        vault.claim(id, token);
        ghostOut[id][token] += before - _vaultBalance(token);
        if (vault.claimable(id, token, actor) != 0) claimedTwice = true;
        ++calls;
    }

    function release(uint256 modelSeed, uint256 tokenSeed, uint256 actorSeed) external {
        uint256 id = _model(modelSeed);
        address token = tokens[tokenSeed % tokens.length];
        address actor = actors[actorSeed % actors.length];
        if (vault.releasable(id, token, actor) == 0) return;
        uint256 before = _vaultBalance(token);
        vault.release(id, token, actor);
        ghostOut[id][token] += before - _vaultBalance(token);
        if (vault.releasable(id, token, actor) != 0) claimedTwice = true;
        ++calls;
    }

    function releaseTreasury(uint256 modelSeed, uint256 tokenSeed) external {
        uint256 id = _model(modelSeed);
        address token = tokens[tokenSeed % tokens.length];
        if (vault.treasuryReleasable(id, token) == 0) return;
        uint256 before = _vaultBalance(token);
        vault.releaseTreasury(id, token);
        ghostOut[id][token] += before - _vaultBalance(token);
        ++calls;
    }

    function setContributors(uint256 modelSeed, uint256 mask, uint256 sharesSeed) external {
        uint256 id = _model(modelSeed);
        mask = bound(mask, 0, 31);
        uint256 count;
        for (uint256 i = 0; i < actors.length; ++i) if (mask & (1 << i) != 0) ++count;
        address[] memory accounts = new address[](count);
        uint256[] memory weights = new uint256[](count);
        uint256 k;
        for (uint256 i = 0; i < actors.length; ++i) {
            if (mask & (1 << i) == 0) continue;
            accounts[k] = actors[i];
            weights[k++] = bound(uint256(keccak256(abi.encode(sharesSeed, i))), 1, 1000);
        }
        vm.prank(treasuries[id]);
        vault.setContributors(id, accounts, weights);
        ++calls;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
        ++calls;
    }

    function setSplit(uint256 modelSeed, uint256 c, uint256 h) external {
        uint256 id = _model(modelSeed);
        c = bound(c, 0, 10_000);
        h = bound(h, 0, 10_000 - c);
        vm.prank(treasuries[id]);
        vault.setSplit(id, c, h);
        ++calls;
    }

    // --- views for the invariants ---------------------------------------------------------------------------

    function actorList() external view returns (address[] memory) {
        return actors;
    }

    function tokenList() external view returns (address[] memory) {
        return tokens;
    }

    // --- internal -------------------------------------------------------------------------------------------

    function _claimables(uint256 id, address account) private view returns (uint256[] memory values) {
        values = new uint256[](tokens.length);
        for (uint256 i = 0; i < tokens.length; ++i) values[i] = vault.claimable(id, tokens[i], account);
    }

    function _checkUnchanged(uint256[] memory a, uint256[] memory b) private {
        for (uint256 i = 0; i < a.length; ++i) if (a[i] != b[i]) accrualMovedByTransfer = true;
    }

    function _vaultBalance(address token) private view returns (uint256) {
        return token == address(0) ? address(vault).balance : IERC20(token).balanceOf(address(vault));
    }

    function _model(uint256 seed) private pure returns (uint256) {
        return (seed % MODELS) + 1;
    }

    /// @dev One of the 5 actors, or (one time in six) the model's treasury.
    function _party(uint256 id, uint256 seed) private view returns (address) {
        uint256 pick = seed % (actors.length + 1);
        return pick == actors.length ? treasuries[id] : actors[pick];
    }

    receive() external payable {}
}

contract RevenueVaultInvariantTest is ProtocolFixture {
    /// @dev Rounding a holder may be owed but not yet paid: < 1 wei per holder and per contributor, + the carry.
    uint256 internal constant DUST_BOUND = 11;

    VaultHandler internal handler;
    address[] internal tokenAddresses;

    function setUp() public {
        _deployProtocol();
        registry.registerModel(_registration(_five()));
        tokenAddresses.push(address(0));
        tokenAddresses.push(address(new FeeOnTransferToken(100)));
        tokenAddresses.push(address(new TestToken("Six", "SIX", 6)));
        tokenAddresses.push(address(new TestToken("Two", "TWO", 2)));
        for (uint256 id = 1; id <= 2; ++id) {
            address treasury = shares.treasuryOf(id);
            vm.startPrank(treasury);
            for (uint256 i = 0; i < tokenAddresses.length; ++i) vault.setPaymentToken(id, tokenAddresses[i], true);
            vault.setSplit(id, 2500, 5000);
            vm.stopPrank();
            // Give every actor fractions of model 1 too (it starts with ALICE and BOB only).
            if (id == 1) {
                vm.startPrank(treasury);
                shares.mint(CAROL, 1, 100, "");
                shares.mint(DAVE, 1, 100, "");
                shares.mint(ERIN, 1, 100, "");
                vm.stopPrank();
            }
        }
        handler = new VaultHandler(vault, shares, _five(), tokenAddresses);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev For every model and token: paid + still owed never exceeds what arrived, and misses it by dust only.
    function invariant_nothingLostNothingCreated() public view {
        address[] memory actors = handler.actorList();
        for (uint256 id = 1; id <= 2; ++id) {
            for (uint256 t = 0; t < tokenAddresses.length; ++t) {
                address token = tokenAddresses[t];
                uint256 owed = _owed(id, token, actors);
                uint256 arrived = handler.ghostIn(id, token);
                uint256 paid = handler.ghostOut(id, token);
                assertEq(vault.totalDeposited(id, token), arrived, "credited == what arrived");
                assertLe(paid + owed, arrived, "paid + owed <= deposited");
                assertLe(arrived - paid - owed, DUST_BOUND, "deposited - (paid + owed) <= dust bound");
            }
        }
    }

    /// @dev The vault's real balance of each token covers everything owed for every model.
    function invariant_balanceCoversEverythingOwed() public view {
        address[] memory actors = handler.actorList();
        for (uint256 t = 0; t < tokenAddresses.length; ++t) {
            address token = tokenAddresses[t];
            uint256 owed = _owed(1, token, actors) + _owed(2, token, actors);
            uint256 balance = token == address(0) ? address(vault).balance : IERC20(token).balanceOf(address(vault));
            assertLe(owed, balance, "vault balance >= owed");
        }
    }

    /// @dev A transfer never changed either party's accrued revenue; nothing was ever claimable twice.
    function invariant_transfersMoveOnlyFutureRevenue() public view {
        assertTrue(!handler.accrualMovedByTransfer(), "a transfer changed an accrued amount");
        assertTrue(!handler.claimedTwice(), "something stayed claimable after being claimed");
    }

    function _owed(uint256 id, address token, address[] memory actors) private view returns (uint256 owed) {
        (uint256 locked, , ) = vault.unlocking(id, token); // holders' revenue still unlocking
        owed = vault.treasuryReleasable(id, token) + locked;
        for (uint256 i = 0; i < actors.length; ++i) {
            owed += vault.claimable(id, token, actors[i]) + vault.releasable(id, token, actors[i]);
        }
    }
}
