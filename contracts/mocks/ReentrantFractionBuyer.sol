// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IFractionSales} from "../interfaces/IFractionSales.sol";

/**
 * @dev HOSTILE TEST COUNTERPART. Buys fractions from `FractionSales` for itself and, when paid back excess ETH
 * (`receive`) or handed the fractions (`onERC1155Received`), tries to re-enter the sale: buy again or stop it.
 * Each failed attempt's revert data is recorded, and the outer buy goes on, so a test sees both what the
 * re-entry got and what the first buy did.
 */
contract ReentrantFractionBuyer is IERC1155Receiver {
    enum Reentry {
        None,
        Buy,
        Stop
    }

    IFractionSales public immutable sales;
    Reentry public reentry;
    uint256 public saleId;
    uint256 public attempts;
    uint256 public succeeded;
    bytes[] public errors;

    constructor(IFractionSales sales_) {
        sales = sales_;
    }

    function setReentry(Reentry reentry_) external {
        reentry = reentry_;
    }

    function buy(uint256 saleId_, uint64 amount, uint256 maxPrice) external payable returns (uint256) {
        saleId = saleId_;
        return sales.buy{value: msg.value}(saleId_, amount, maxPrice, address(this));
    }

    function errorCount() external view returns (uint256) {
        return errors.length;
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        _reenter();
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external returns (bytes4) {
        _reenter();
        return this.onERC1155BatchReceived.selector;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    // Hostile on purpose: re-entering from the excess refund is the attack.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (msg.sender == address(sales)) _reenter();
    }

    function _reenter() private {
        if (reentry == Reentry.None) return;
        ++attempts;
        if (reentry == Reentry.Buy) {
            try sales.buy{value: address(this).balance}(saleId, 1, type(uint256).max, address(this)) {
                ++succeeded;
            } catch (bytes memory reason) {
                errors.push(reason);
            }
        } else {
            try sales.stop(saleId) {
                ++succeeded;
            } catch (bytes memory reason) {
                errors.push(reason);
            }
        }
    }
}
