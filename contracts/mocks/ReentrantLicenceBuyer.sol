// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

import {ILicenseManager} from "../interfaces/ILicenseManager.sol";

/**
 * @dev HOSTILE TEST COUNTERPART. Buys licences and tries to buy again from inside `onERC721Received` (mode 1) or
 * from the ETH refund (mode 2), to get a second licence for one payment or to corrupt the counters.
 */
contract ReentrantLicenceBuyer is IERC721Receiver {
    ILicenseManager public immutable licenses;
    uint256 public mode;
    uint256 public modelId;
    uint256 public offerId;
    uint256 public attempts;
    bool public blocked;

    constructor(ILicenseManager licenses_) {
        licenses = licenses_;
    }

    function buy(uint256 mode_, uint256 modelId_, uint256 offerId_, uint256 maxPrice) external payable {
        (mode, modelId, offerId) = (mode_, modelId_, offerId_);
        licenses.purchase{value: msg.value}(modelId_, offerId_, address(this), maxPrice);
    }

    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        if (mode == 1) _reenter();
        return this.onERC721Received.selector;
    }

    // Hostile on purpose: this receive is the attack.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (mode == 2) _reenter();
    }

    function _reenter() private {
        ++attempts;
        try
            licenses.purchase{value: address(this).balance}(modelId, offerId, address(this), type(uint256).max)
        {} catch {
            blocked = true;
        }
    }
}
