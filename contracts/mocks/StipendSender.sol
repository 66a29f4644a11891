// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev TEST COUNTERPART. Pays with Solidity's `transfer` (2,300 gas), as some marketplaces pay royalties.
contract StipendSender {
    function send(address payable to) external payable {
        to.transfer(msg.value);
    }
}
