// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {LicenseManager} from "../../../contracts/licensing/LicenseManager.sol";
import {FeeOnTransferToken} from "../../../contracts/mocks/tokens/FeeOnTransferToken.sol";
import {TestToken} from "../../../contracts/mocks/tokens/TestToken.sol";
import {RevenueVault} from "../../../contracts/revenue/RevenueVault.sol";
import {ModelShares} from "../../../contracts/token/ModelShares.sol";
import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {Test} from "../utils/Test.sol";

/**
 * @dev Revenue timing under attack. Two models, ETH and two ERC-20s (one burns 1% of every transfer). Payments of
 * every kind arrive (deposits, licence sales and renewals in ETH and in an ERC-20, royalties collected late) while
 * a flash holder borrows a pool's fractions right before one of them, claims, and repays, in the same transaction
 * or a few blocks later. Ghosts record what each flash episode earned and what unlocked while it held.
 */
contract FlashHandler is Test {
    uint256 internal constant BPS = 10_000;
    address internal constant POOL = address(0x9001);
    address internal constant FLASH = address(0xF1A5);

    RevenueVault internal immutable vault;
    ModelShares internal immutable shares;
    LicenseManager internal immutable licenses;
    address[] internal tokens; // [ETH, fee-on-transfer, 6 decimals]
    address[] public actors;
    uint256[] internal licenceIds;

    mapping(uint256 modelId => mapping(address token => uint256)) public arrived;
    mapping(uint256 modelId => mapping(address token => uint256)) public paidOut;
    bool public instantFlashEarned;
    bool public flashEarnedMoreThanItsShare;
    bool public claimedTwice;
    uint256 public episodes;

    constructor(RevenueVault vault_, ModelShares shares_, LicenseManager licenses_, address[] memory tokens_) {
        vault = vault_;
        shares = shares_;
        licenses = licenses_;
        tokens = tokens_;
        actors.push(address(0xA11CE));
        actors.push(address(0xB0B));
        actors.push(POOL);
        actors.push(FLASH);
        for (uint256 i = 1; i < tokens_.length; ++i) {
            TestToken(tokens_[i]).mint(address(this), 1e40);
            IERC20(tokens_[i]).approve(address(vault_), type(uint256).max);
            IERC20(tokens_[i]).approve(address(licenses_), type(uint256).max);
        }
        vm.deal(address(this), 1e40);
    }

    // --- payments of every kind ---------------------------------------------------------------------------

    function pay(uint256 modelSeed, uint256 tokenSeed, uint256 kind, uint256 amount) public {
        uint256 id = (modelSeed % 2) + 1;
        address token = tokens[tokenSeed % tokens.length];
        amount = bound(amount, 1, 1e22);
        uint256 before = vault.totalDeposited(id, token);
        kind = kind % 4;
        if (kind == 0) {
            if (token == address(0)) vault.deposit{value: amount}(id, token, amount);
            else vault.deposit(id, token, amount);
        } else if (kind == 1 || kind == 2) {
            // A licence sale (offer 1: ETH, offer 2: the 6-decimal token), or a renewal of one sold before.
            uint256 offerId = token == tokens[2] ? 2 : 1;
            ILicenseManager.Terms memory t = _terms(id, offerId);
            if (kind == 2 && licenceIds.length != 0) {
                uint256 licence = licenceIds[amount % licenceIds.length];
                t = _terms(licenses.licence(licence).modelId, licenses.licence(licence).offerId);
                id = licenses.licence(licence).modelId;
                token = t.paymentToken;
                before = vault.totalDeposited(id, token);
                licenses.renew{value: token == address(0) ? t.price : 0}(licence, t.price);
            } else {
                token = t.paymentToken;
                before = vault.totalDeposited(id, token);
                licenceIds.push(
                    licenses.purchase{value: token == address(0) ? t.price : 0}(id, offerId, address(this), t.price)
                );
            }
        } else {
            // A royalty paid to the model's receiver, collected (late or not) by anyone.
            address receiver = vault.royaltyReceiverOf(id);
            if (token == address(0)) {
                (bool ok, ) = receiver.call{value: amount}("");
                require(ok, "royalty");
            } else {
                require(IERC20(token).transfer(receiver, amount), "royalty");
            }
            vault.collectRoyalties(id, token);
        }
        // solhint-disable-next-line reentrancy
        arrived[id][token] += vault.totalDeposited(id, token) - before;
    }

    /// @dev Borrow the pool's fractions right before a payment, claim everything, repay: at once or a bit later.
    function flash(uint256 modelSeed, uint256 tokenSeed, uint256 kind, uint256 amount, uint256 delay) external {
        uint256 id = (modelSeed % 2) + 1;
        uint256 borrowed = shares.balanceOf(POOL, id);
        if (borrowed == 0) return;
        delay = delay % 3 == 0 ? 0 : bound(delay, 1, 60); // same transaction, or up to five blocks later
        uint256 base = _base(id);
        uint256[] memory lockedBefore = new uint256[](tokens.length);
        uint256[] memory arrivedBefore = new uint256[](tokens.length);
        for (uint256 t = 0; t < tokens.length; ++t) {
            (lockedBefore[t], , ) = vault.unlocking(id, tokens[t]);
            arrivedBefore[t] = arrived[id][tokens[t]];
        }
        vm.prank(POOL);
        shares.safeTransferFrom(POOL, FLASH, id, borrowed, "");
        pay(id - 1, tokenSeed, kind, amount);
        vm.warp(block.timestamp + delay);
        for (uint256 t = 0; t < tokens.length; ++t) {
            uint256 earned = _claim(id, t, FLASH);
            if (delay == 0 && earned != 0) instantFlashEarned = true;
            // What unlocked while it held: locked before, plus the holders' cut of what arrived, minus still locked.
            (uint256 lockedAfter, , ) = vault.unlocking(id, tokens[t]);
            uint256 cut = ((arrived[id][tokens[t]] - arrivedBefore[t]) * _holdersBps(id)) / BPS;
            uint256 unlocked = lockedBefore[t] + cut - lockedAfter;
            if (earned * base > borrowed * unlocked + base) flashEarnedMoreThanItsShare = true;
        }
        vm.prank(FLASH);
        shares.safeTransferFrom(FLASH, POOL, id, borrowed, "");
        ++episodes;
    }

    function claim(uint256 modelSeed, uint256 tokenSeed, uint256 actorSeed) external {
        _claim((modelSeed % 2) + 1, tokenSeed % tokens.length, actors[actorSeed % 3]);
    }

    function release(uint256 modelSeed, uint256 tokenSeed, uint256 actorSeed) external {
        uint256 id = (modelSeed % 2) + 1;
        address token = tokens[tokenSeed % tokens.length];
        address actor = actors[actorSeed % 2];
        if (vault.releasable(id, token, actor) == 0) return;
        uint256 before = _balance(token);
        vault.release(id, token, actor);
        paidOut[id][token] += before - _balance(token);
        if (vault.releasable(id, token, actor) != 0) claimedTwice = true;
    }

    function releaseTreasury(uint256 modelSeed, uint256 tokenSeed) external {
        uint256 id = (modelSeed % 2) + 1;
        address token = tokens[tokenSeed % tokens.length];
        if (vault.treasuryReleasable(id, token) == 0) return;
        uint256 before = _balance(token);
        vault.releaseTreasury(id, token);
        paidOut[id][token] += before - _balance(token);
    }

    function transfer(uint256 modelSeed, uint256 fromSeed, uint256 amount) external {
        uint256 id = (modelSeed % 2) + 1;
        address from = actors[fromSeed % 3];
        address to = actors[(fromSeed + 1) % 3];
        amount = bound(amount, 0, shares.balanceOf(from, id));
        vm.prank(from);
        shares.safeTransferFrom(from, to, id, amount, "");
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
    }

    function tokenList() external view returns (address[] memory) {
        return tokens;
    }

    function _claim(uint256 id, uint256 t, address actor) private returns (uint256 earned) {
        address token = tokens[t];
        if (vault.claimable(id, token, actor) == 0) return 0;
        uint256 before = _balance(token);
        vm.prank(actor);
        vault.claim(id, token);
        earned = before - _balance(token);
        paidOut[id][token] += earned;
        if (vault.claimable(id, token, actor) != 0) claimedTwice = true;
    }

    function _terms(uint256 id, uint256 offerId) private view returns (ILicenseManager.Terms memory) {
        (uint256 termsId, , , ) = licenses.offer(id, offerId);
        return licenses.terms(termsId);
    }

    function _base(uint256 id) private view returns (uint256) {
        return shares.totalSupply(id) - shares.balanceOf(shares.treasuryOf(id), id);
    }

    function _holdersBps(uint256 id) private view returns (uint256 bps) {
        (, bps, ) = vault.splitOf(id);
    }

    function _balance(address token) private view returns (uint256) {
        return token == address(0) ? address(vault).balance : IERC20(token).balanceOf(address(vault));
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return this.onERC721Received.selector;
    }

    receive() external payable {}
}

contract RevenueVaultFlashInvariantTest is ProtocolFixture {
    /// @dev What may stay in the vault owed to nobody yet, per model and token: < 1 wei per holder (4), per
    /// contributor (2), and the accumulator's carry (< 1 wei).
    uint256 internal constant DUST_BOUND = 7;
    address internal constant POOL = address(0x9001);
    FlashHandler internal handler;
    address[] internal tokenList;

    function setUp() public {
        _deployProtocol();
        registry.registerModel(_registration(_pair(ALICE, BOB)));
        tokenList.push(address(0));
        tokenList.push(address(new FeeOnTransferToken(100)));
        tokenList.push(address(new TestToken("Six", "SIX", 6)));
        address[] memory contributors = _pair(ALICE, BOB);
        uint256[] memory weights = new uint256[](2);
        (weights[0], weights[1]) = (3, 7);
        for (uint256 id = 1; id <= 2; ++id) {
            vm.startPrank(shares.treasuryOf(id));
            for (uint256 t = 0; t < tokenList.length; ++t) vault.setPaymentToken(id, tokenList[t], true);
            vault.setSplit(id, 2000, 6000);
            vault.setContributors(id, contributors, weights);
            if (id == 2) vault.setUnlockWindow(id, 1 hours); // the shortest window a DAO may choose
            shares.mint(POOL, id, 1800, "");
            licenses.addOffer(id, _offer(0.1 ether, address(0)));
            licenses.addOffer(id, _offer(250e6, tokenList[2]));
            vm.stopPrank();
        }
        handler = new FlashHandler(vault, shares, licenses, tokenList);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Nobody earns revenue that arrived before they held: a flash holder with no time passing earns nothing,
    /// and with time passing at most its share of what unlocked while it held (+1 wei of rounding).
    function invariant_flashHoldersEarnOnlyWhatUnlockedWhileTheyHeld() public view {
        assertTrue(!handler.instantFlashEarned(), "a one-transaction holder earned revenue");
        assertTrue(!handler.flashEarnedMoreThanItsShare(), "a flash holder earned more than its share");
    }

    /// @dev Everything that arrived is paid out, owed to someone, or still unlocking; never more; dust bounded.
    function invariant_everythingDepositedIsOwedOrPaid() public view {
        for (uint256 id = 1; id <= 2; ++id) {
            for (uint256 t = 0; t < tokenList.length; ++t) {
                address token = tokenList[t];
                (uint256 locked, , ) = vault.unlocking(id, token);
                uint256 owed = vault.treasuryReleasable(id, token) + locked;
                for (uint256 a = 0; a < 4; ++a) {
                    address actor = handler.actors(a);
                    owed += vault.claimable(id, token, actor) + vault.releasable(id, token, actor);
                }
                uint256 arrived = handler.arrived(id, token);
                uint256 paid = handler.paidOut(id, token);
                assertEq(vault.totalDeposited(id, token), arrived, "credited == arrived");
                assertLe(paid + owed, arrived, "paid + owed <= arrived");
                assertLe(arrived - paid - owed, DUST_BOUND, "arrived - paid - owed <= dust");
            }
        }
    }

    function invariant_nothingClaimableTwice() public view {
        assertTrue(!handler.claimedTwice(), "something stayed claimable after being paid");
    }

    function _offer(uint128 price, address token) private pure returns (ILicenseManager.OfferTerms memory t) {
        t.price = price;
        t.paymentToken = token;
        t.duration = 30 days;
        t.credits = 100;
        t.onSale = true;
        t.termsURI = "ipfs://terms";
        t.termsHash = keccak256("terms");
    }
}
