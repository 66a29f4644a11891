// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IRaises} from "../interfaces/IRaises.sol";
import {CallbackToken, ICallbackTokenHooks} from "./tokens/CallbackToken.sol";

/**
 * @dev HOSTILE TEST COUNTERPART. A contract backer of a raise (it accepts the terms through ERC-1271) that re-enters
 * the raises contract from whichever hook it is told to: its ETH `receive` (refunds), its ERC-1155 receiver hook
 * (claimed fractions), or a `CallbackToken`'s ERC-777-style `tokensToSend` / `tokensReceived` (commit, refund).
 * From the hook it refunds, claims or commits again, once per outer call, and records whether the inner call went
 * through and what it returned. It can also refuse every ETH payment.
 */
contract ReentrantBacker is IERC1271, IERC1155Receiver, IERC721Receiver, ICallbackTokenHooks {
    enum Hook {
        None,
        EthReceive,
        Erc1155Received,
        TokensToSend,
        TokensReceived
    }

    enum Action {
        None,
        Refund,
        Claim,
        Commit
    }

    error ReentrantBackerRefusesEth(uint256 amount);

    IRaises public immutable raises;
    uint256 public raiseId;
    Hook public hook;
    Action public action;
    uint64 public reentryFractions;
    uint256 public reentryValue;
    bool public refuseEth;

    uint256 public attempts;
    uint256 public succeeded;
    uint256 public gainedInside;
    bytes public lastError;
    bool private _inside;

    constructor(IRaises raises_) {
        raises = raises_;
    }

    /// @dev What to do from which hook; `fractions` and `value` are those of a re-entrant commit.
    function configure(uint256 raiseId_, Hook hook_, Action action_, uint64 fractions, uint256 value) external {
        (raiseId, hook, action, reentryFractions, reentryValue) = (raiseId_, hook_, action_, fractions, value);
    }

    function setRefuseEth(bool refuse) external {
        refuseEth = refuse;
    }

    function approveToken(IERC20 token, uint256 amount) external {
        token.approve(address(raises), amount);
    }

    function registerHooks(CallbackToken token) external {
        token.registerHooks(true);
    }

    function commit(uint64 fractions, uint32 seats) external payable {
        raises.commit{value: msg.value}(raiseId, fractions, seats, new bytes32[](0), bytes("erc-1271"));
    }

    /// @dev Commits to `otherRaiseId` while its signature hook stays on the configured raise.
    function commitTo(uint256 otherRaiseId, uint64 fractions) external payable {
        raises.commit{value: msg.value}(otherRaiseId, fractions, 0, new bytes32[](0), bytes("erc-1271"));
    }

    function refund(address to) external returns (uint256) {
        return raises.refund(raiseId, to);
    }

    function claim(address to) external returns (uint256) {
        return raises.claimFractions(raiseId, address(this), to);
    }

    /// @dev Signs exactly the terms of the raise it backs.
    function isValidSignature(bytes32 digest, bytes calldata) external view returns (bytes4) {
        return digest == raises.termsDigest(raiseId, address(this)) ? IERC1271.isValidSignature.selector : bytes4(0);
    }

    // Hostile on purpose: this receive is the attack.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (refuseEth) revert ReentrantBackerRefusesEth(msg.value);
        if (hook == Hook.EthReceive) _reenter();
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        if (hook == Hook.Erc1155Received) _reenter();
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external returns (bytes4) {
        if (hook == Hook.Erc1155Received) _reenter();
        return this.onERC1155BatchReceived.selector;
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    function tokensToSend(address, address, address, uint256) external {
        if (hook == Hook.TokensToSend) _reenter();
    }

    function tokensReceived(address, address, address, uint256) external {
        if (hook == Hook.TokensReceived) _reenter();
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    function _reenter() private {
        if (_inside) return;
        _inside = true;
        ++attempts;
        if (action == Action.Refund) {
            try raises.refund(raiseId, address(this)) returns (uint256 amount) {
                _record(amount);
            } catch (bytes memory reason) {
                lastError = reason;
            }
        } else if (action == Action.Claim) {
            try raises.claimFractions(raiseId, address(this), address(this)) returns (uint256 fractions) {
                _record(fractions);
            } catch (bytes memory reason) {
                lastError = reason;
            }
        } else if (action == Action.Commit) {
            bytes32[] memory proof = new bytes32[](0);
            try raises.commit{value: reentryValue}(raiseId, reentryFractions, 0, proof, bytes("erc-1271")) {
                _record(reentryFractions);
            } catch (bytes memory reason) {
                lastError = reason;
            }
        }
        _inside = false;
    }

    function _record(uint256 gained) private {
        ++succeeded;
        gainedInside += gained;
    }
}
