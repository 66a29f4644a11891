// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {LicenseManager} from "../../../contracts/licensing/LicenseManager.sol";
import {TestToken} from "../../../contracts/mocks/tokens/TestToken.sol";
import {RevenueVault} from "../../../contracts/revenue/RevenueVault.sol";
import {ModelShares} from "../../../contracts/token/ModelShares.sol";
import {Test} from "../utils/Test.sol";

/**
 * @dev Drives the money of one lineage (models by index: 0 G, 1 P <- G, 2 P2, 3 C <- (P, P2), 4 S <- P) in ETH
 * and one ERC-20: deposits, licence purchases, royalties paid to receivers and collected, parents collecting what
 * their derivatives set aside, holder claims, contributor and treasury releases, fraction transfers and time.
 * Money in is measured from the vault's real balance; money out from what its recipients received. The handler
 * keeps its own copy of the lineage (given, not read from the contracts) and passes every payment up it with the
 * vault's floor formula, so the invariants compare the vault with an independent computation.
 */
contract LineageHandler is Test {
    uint256 public constant MODELS = 5;
    uint256 public constant TOKENS = 2; // 0: ETH, 1: the ERC-20
    uint256 internal constant BPS = 10_000;

    RevenueVault internal immutable vault;
    LicenseManager internal immutable licenses;
    ModelShares internal immutable shares;
    address[TOKENS] internal tokens;
    uint256[MODELS] public models;
    address[] internal actors;

    /// @dev A derivative's parents (model indices) and shares, as registered.
    mapping(uint256 child => uint256[]) internal parentsOf;
    mapping(uint256 child => uint256[]) internal bpsOf;
    mapping(uint256 m => mapping(uint256 t => bool)) internal takes;

    /// @dev Everything paid into the lineage, by token. Per model: what its derivatives should have set aside for it
    /// (`fromDerivatives` total), what it collected of that, and what it should have split (its totalDeposited:
    /// what it kept of payments into it, and what it collected).
    uint256[TOKENS] public moneyIn;
    uint256[TOKENS] public moneyOut;
    mapping(uint256 m => mapping(uint256 t => uint256)) public setAside;
    mapping(uint256 m => mapping(uint256 t => uint256)) public collected;
    mapping(uint256 m => mapping(uint256 t => uint256)) public split;
    mapping(uint256 m => mapping(uint256 t => uint256)) public paidOut;
    /// @dev Per parent link (child, i-th parent, token): what was paid into the child, the parent's floored cuts,
    /// and how many payments crossed the link.
    struct Link {
        uint256 paidIn;
        uint256 cut;
        uint256 payments;
    }
    mapping(uint256 child => mapping(uint256 i => mapping(uint256 t => Link))) public links;
    mapping(bytes32 action => uint256) public done;

    constructor(
        RevenueVault vault_,
        LicenseManager licenses_,
        ModelShares shares_,
        address erc20,
        uint256[MODELS] memory models_,
        address[] memory actors_,
        uint256[] memory lineage, // triples: child index, parent index, bps
        bool[MODELS] memory takesToken
    ) {
        (vault, licenses, shares, models, actors) = (vault_, licenses_, shares_, models_, actors_);
        tokens = [address(0), erc20];
        for (uint256 k = 0; k < lineage.length; k += 3) {
            parentsOf[lineage[k]].push(lineage[k + 1]);
            bpsOf[lineage[k]].push(lineage[k + 2]);
        }
        for (uint256 m = 0; m < MODELS; ++m) {
            (takes[m][0], takes[m][1]) = (true, takesToken[m]);
            // What was paid in before the handler (the licences the lineage was registered with).
            for (uint256 t = 0; t < TOKENS; ++t) {
                split[m][t] = vault.totalDeposited(models[m], tokens[t]);
                (uint256 total, uint256 pending) = vault.fromDerivatives(models[m], tokens[t]);
                (setAside[m][t], collected[m][t]) = (total, total - pending);
                moneyIn[t] += split[m][t] + pending;
            }
        }
        TestToken(erc20).mint(address(this), 1e40);
        IERC20(erc20).approve(address(vault_), type(uint256).max);
        IERC20(erc20).approve(address(licenses_), type(uint256).max);
        vm.deal(address(this), 1e40);
    }

    // --- money in -------------------------------------------------------------------------------------------

    function deposit(uint256 modelSeed, uint256 tokenSeed, uint256 amount) external {
        (uint256 m, uint256 t) = (modelSeed % MODELS, tokenSeed % TOKENS);
        if (!takes[m][t]) return;
        amount = bound(amount, 1, 1e24);
        uint256 before = _vaultBalance(t);
        vault.deposit{value: t == 0 ? amount : 0}(models[m], tokens[t], amount);
        _paidIn(m, t, _vaultBalance(t) - before);
        _done("deposit");
    }

    function buyLicence(uint256 modelSeed, uint256 offerSeed, uint256 buyerSeed) external {
        uint256 m = modelSeed % MODELS;
        uint256 offerId = (offerSeed % licenses.offerCount(models[m])) + 1;
        (uint256 termsId, , , ) = licenses.offer(models[m], offerId);
        ILicenseManager.Terms memory terms = licenses.terms(termsId);
        uint256 t = terms.paymentToken == address(0) ? 0 : 1;
        uint256 before = _vaultBalance(t);
        address buyer = actors[buyerSeed % actors.length];
        licenses.purchase{value: t == 0 ? terms.price : 0}(models[m], offerId, buyer, terms.price);
        assertEq(_vaultBalance(t) - before, terms.price, "the price reached the vault in the purchase");
        _paidIn(m, t, terms.price);
        _done("buy");
    }

    /// @dev Pays a royalty to the model's receiver; it counts as money in only once collected.
    function payRoyalty(uint256 modelSeed, uint256 tokenSeed, uint256 amount) external {
        (uint256 m, uint256 t) = (modelSeed % MODELS, tokenSeed % TOKENS);
        amount = bound(amount, 1, 1e22);
        address receiver = vault.royaltyReceiverOf(models[m]);
        if (t == 0) {
            (bool ok, ) = payable(receiver).call{value: amount}("");
            assertTrue(ok, "receiver takes ETH");
        } else {
            IERC20(tokens[t]).transfer(receiver, amount);
        }
        _done("royalty");
    }

    function collectRoyalties(uint256 modelSeed, uint256 tokenSeed) external {
        (uint256 m, uint256 t) = (modelSeed % MODELS, tokenSeed % TOKENS);
        if (!takes[m][t] || _balance(t, vault.royaltyReceiverOf(models[m])) == 0) return;
        uint256 before = _vaultBalance(t);
        uint256 got = vault.collectRoyalties(models[m], tokens[t]);
        assertEq(_vaultBalance(t) - before, got, "collected == what arrived");
        _paidIn(m, t, got);
        _done("collect");
    }

    /// @dev Anyone collects what derivatives set aside for a model: exactly what the handler says is waiting.
    function collectFromDerivatives(uint256 modelSeed, uint256 tokenSeed) external {
        (uint256 m, uint256 t) = (modelSeed % MODELS, tokenSeed % TOKENS);
        uint256 waiting = setAside[m][t] - collected[m][t];
        if (waiting == 0) return;
        uint256 before = _vaultBalance(t);
        assertEq(vault.collectFromDerivatives(models[m], tokens[t]), waiting, "collects what was set aside");
        assertEq(_vaultBalance(t), before, "collecting moves no money");
        collected[m][t] += waiting;
        split[m][t] += waiting;
        _done("collectFromDerivatives");
    }

    // --- money out ------------------------------------------------------------------------------------------

    function claim(uint256 modelSeed, uint256 tokenSeed, uint256 actorSeed) external {
        (uint256 m, uint256 t) = (modelSeed % MODELS, tokenSeed % TOKENS);
        address actor = actors[actorSeed % actors.length];
        if (vault.claimable(models[m], tokens[t], actor) == 0) return;
        uint256 before = _balance(t, actor);
        vm.prank(actor);
        vault.claim(models[m], tokens[t]);
        _paidOut(m, t, _balance(t, actor) - before);
        _done("claim");
    }

    function release(uint256 modelSeed, uint256 tokenSeed, uint256 actorSeed) external {
        (uint256 m, uint256 t) = (modelSeed % MODELS, tokenSeed % TOKENS);
        address actor = actors[actorSeed % actors.length];
        if (vault.releasable(models[m], tokens[t], actor) == 0) return;
        uint256 before = _balance(t, actor);
        vault.release(models[m], tokens[t], actor);
        _paidOut(m, t, _balance(t, actor) - before);
        _done("release");
    }

    function releaseTreasury(uint256 modelSeed, uint256 tokenSeed) external {
        (uint256 m, uint256 t) = (modelSeed % MODELS, tokenSeed % TOKENS);
        if (vault.treasuryReleasable(models[m], tokens[t]) == 0) return;
        address treasury = shares.treasuryOf(models[m]);
        uint256 before = _balance(t, treasury);
        vault.releaseTreasury(models[m], tokens[t]);
        _paidOut(m, t, _balance(t, treasury) - before);
        _done("releaseTreasury");
    }

    // --- holders and time -----------------------------------------------------------------------------------

    function transfer(uint256 modelSeed, uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        uint256 id = models[modelSeed % MODELS];
        address from = actors[fromSeed % actors.length];
        address to = actors[toSeed % actors.length];
        amount = bound(amount, 0, shares.balanceOf(from, id));
        vm.prank(from);
        shares.safeTransferFrom(from, to, id, amount, "");
        _done("transfer");
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
        _done("warp");
    }

    // --- views for the invariants ---------------------------------------------------------------------------

    function actorList() external view returns (address[] memory) {
        return actors;
    }

    function token(uint256 t) external view returns (address) {
        return tokens[t];
    }

    function parentCount(uint256 child) external view returns (uint256) {
        return parentsOf[child].length;
    }

    function link(uint256 child, uint256 i) external view returns (uint256 parent, uint256 bps) {
        return (parentsOf[child][i], bpsOf[child][i]);
    }

    // --- internal -------------------------------------------------------------------------------------------

    /// @dev A payment into model `m`: it splits what its parents leave it at once.
    function _paidIn(uint256 m, uint256 t, uint256 amount) private {
        moneyIn[t] += amount;
        split[m][t] += _keep(m, t, amount);
    }

    /// @dev The vault's rule, computed independently: of `amount` reaching model `m`, each parent takes
    /// floor(amount * bps / BPS), passing its own parents their shares of that in turn, and keeps the rest set aside
    /// until collected.
    /// @return kept what `m` keeps of `amount`
    function _keep(uint256 m, uint256 t, uint256 amount) private returns (uint256 kept) {
        kept = amount;
        uint256[] storage parents = parentsOf[m];
        for (uint256 i = 0; i < parents.length; ++i) {
            uint256 cut = (amount * bpsOf[m][i]) / BPS;
            Link storage link_ = links[m][i][t];
            (link_.paidIn, link_.cut, link_.payments) = (link_.paidIn + amount, link_.cut + cut, link_.payments + 1);
            if (cut == 0) continue;
            kept -= cut;
            setAside[parents[i]][t] += _keep(parents[i], t, cut);
        }
    }

    function _paidOut(uint256 m, uint256 t, uint256 amount) private {
        paidOut[m][t] += amount;
        moneyOut[t] += amount;
    }

    function _done(bytes32 action) private {
        ++done[action];
    }

    function _vaultBalance(uint256 t) private view returns (uint256) {
        return _balance(t, address(vault));
    }

    function _balance(uint256 t, address account) private view returns (uint256) {
        return t == 0 ? account.balance : IERC20(tokens[t]).balanceOf(account);
    }

    receive() external payable {}
}
