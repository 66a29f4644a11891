// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IRevenueVault} from "../interfaces/IRevenueVault.sol";

/**
 * @dev HOSTILE TEST COUNTERPART. A holder/contributor that misbehaves when paid:
 * mode 0 accepts; 1 reverts; 2 burns all gas; 3 re-enters the vault (claim, release or claimMany) from `receive`;
 * and, as an ERC-1155 receiver, it claims from inside `onERC1155Received` to see what it can get mid-transfer.
 */
contract HostilePayee is IERC1155Receiver {
    IRevenueVault public immutable vault;
    uint256 public mode;
    uint256 public modelId;
    uint256 public reentryAttempts;
    bool public reentryBlocked;
    uint256 public claimedInHook;

    error HostilePayeeRefuses();

    constructor(IRevenueVault vault_) {
        vault = vault_;
    }

    function configure(uint256 mode_, uint256 modelId_) external {
        mode = mode_;
        modelId = modelId_;
    }

    function claim(address token) external returns (uint256) {
        return vault.claim(modelId, token);
    }

    // Hostile on purpose: this receive is the attack.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (mode == 1) revert HostilePayeeRefuses();
        if (mode == 2) {
            while (true) {} // burn everything forwarded
        }
        if (mode == 3) {
            ++reentryAttempts;
            try vault.claim(modelId, address(0)) {} catch {
                reentryBlocked = true;
            }
            try vault.release(modelId, address(0), address(this)) {} catch {
                reentryBlocked = true;
            }
        }
    }

    function onERC1155Received(address, address, uint256 id, uint256, bytes calldata) external returns (bytes4) {
        if (mode == 4) {
            try vault.claim(id, address(0)) returns (uint256 amount) {
                claimedInHook = amount;
            } catch {
                claimedInHook = 0;
            }
        }
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external pure returns (bytes4) {
        return this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}
