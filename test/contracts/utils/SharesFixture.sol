// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

import {ModelShares} from "../../../contracts/token/ModelShares.sol";
import {ModelVotes} from "../../../contracts/token/ModelVotes.sol";
import {Test} from "./Test.sol";

/// @dev Deploys the real ModelShares behind a real ERC1967 proxy; the test contract is admin and model creator.
abstract contract SharesFixture is Test {
    ModelShares internal shares;
    ModelVotes internal votesImpl;

    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant CAROL = address(0xCA201);
    address internal constant DAVE = address(0xDA7E);
    address internal constant ERIN = address(0xE217);

    function _deployShares() internal {
        vm.warp(1_700_000_000);
        votesImpl = new ModelVotes();
        ModelShares impl = new ModelShares();
        shares = ModelShares(
            address(
                new ERC1967Proxy(
                    address(impl),
                    abi.encodeCall(ModelShares.initialize, (address(this), address(votesImpl)))
                )
            )
        );
        shares.grantRole(shares.MODEL_CREATOR_ROLE(), address(this));
    }

    /// @dev A model whose treasury is `treasury`, with `amount` fractions to each of `holders`.
    function _createModel(
        address treasury,
        address[] memory holders,
        uint256 amount
    ) internal returns (uint256 modelId, ModelVotes votes) {
        uint256[] memory amounts = new uint256[](holders.length);
        for (uint256 i = 0; i < holders.length; ++i) amounts[i] = amount;
        address votesAddress;
        (modelId, votesAddress) = shares.createModel(treasury, "Model Votes", "MV", "ipfs://model", holders, amounts);
        votes = ModelVotes(votesAddress);
    }

    function _pair(address a, address b) internal pure returns (address[] memory list) {
        list = new address[](2);
        list[0] = a;
        list[1] = b;
    }

    function _five() internal pure returns (address[] memory list) {
        list = new address[](5);
        (list[0], list[1], list[2], list[3], list[4]) = (ALICE, BOB, CAROL, DAVE, ERIN);
    }
}
