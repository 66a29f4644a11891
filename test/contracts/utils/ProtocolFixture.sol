// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

import {ModelGovernor} from "../../../contracts/governance/ModelGovernor.sol";
import {ModelTimelock} from "../../../contracts/governance/ModelTimelock.sol";
import {IModelGovernor} from "../../../contracts/interfaces/IModelGovernor.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {IModelShares} from "../../../contracts/interfaces/IModelShares.sol";
import {ModelRegistry} from "../../../contracts/registry/ModelRegistry.sol";
import {RevenueVault} from "../../../contracts/revenue/RevenueVault.sol";
import {LicenseManager} from "../../../contracts/licensing/LicenseManager.sol";
import {IRevenueSink} from "../../../contracts/interfaces/IRevenueSink.sol";
import {ILicenseManager} from "../../../contracts/interfaces/ILicenseManager.sol";
import {UsageMeter} from "../../../contracts/usage/UsageMeter.sol";
import {ModelLineage} from "../../../contracts/lineage/ModelLineage.sol";
import {IModelLineage} from "../../../contracts/interfaces/IModelLineage.sol";
import {IRevenueVault} from "../../../contracts/interfaces/IRevenueVault.sol";
import {ModelVotes} from "../../../contracts/token/ModelVotes.sol";
import {SharesFixture} from "./SharesFixture.sol";

/// @dev The whole protocol behind real proxies (this contract is protocol admin), with one registered model.
abstract contract ProtocolFixture is SharesFixture {
    ModelRegistry internal registry;
    RevenueVault internal vault;
    LicenseManager internal licenses;
    UsageMeter internal meter;
    ModelLineage internal lineage;
    ModelGovernor internal governorImpl;
    ModelTimelock internal timelockImpl;
    uint256 internal modelId;
    ModelVotes internal votes;
    ModelGovernor internal governor;
    ModelTimelock internal timelock;

    function _deployProtocol() internal {
        _deployShares();
        governorImpl = new ModelGovernor();
        timelockImpl = new ModelTimelock();
        ModelRegistry impl = new ModelRegistry();
        registry = ModelRegistry(
            address(
                new ERC1967Proxy(
                    address(impl),
                    abi.encodeCall(
                        ModelRegistry.initialize,
                        (address(this), IModelShares(address(shares)), address(governorImpl), address(timelockImpl))
                    )
                )
            )
        );
        shares.grantRole(shares.MODEL_CREATOR_ROLE(), address(registry));
        shares.revokeRole(shares.MODEL_CREATOR_ROLE(), address(this));
        RevenueVault vaultImpl = new RevenueVault(IModelShares(address(shares)));
        vault = RevenueVault(
            payable(new ERC1967Proxy(address(vaultImpl), abi.encodeCall(RevenueVault.initialize, (address(this)))))
        );
        shares.setRevenueHook(address(vault));
        LicenseManager licensesImpl = new LicenseManager();
        licenses = LicenseManager(
            address(
                new ERC1967Proxy(
                    address(licensesImpl),
                    abi.encodeCall(
                        LicenseManager.initialize,
                        (address(this), IModelShares(address(shares)), IRevenueSink(address(vault)))
                    )
                )
            )
        );
        _deployMeter();
        _deployLineage();
        (modelId, ) = registry.registerModel(_registration(_pair(ALICE, BOB)));
        IModelRegistry.ModelRecord memory record = registry.model(modelId);
        votes = ModelVotes(record.votes);
        governor = ModelGovernor(payable(record.governor));
        timelock = ModelTimelock(payable(record.timelock));
    }

    /// @dev The usage meter behind its proxy, made the licence manager's only credit spender.
    function _deployMeter() private {
        meter = UsageMeter(
            address(
                new ERC1967Proxy(
                    address(new UsageMeter()),
                    abi.encodeCall(
                        UsageMeter.initialize,
                        (address(this), ILicenseManager(address(licenses)), IModelShares(address(shares)))
                    )
                )
            )
        );
        licenses.setUsageMeter(address(meter));
    }

    /// @dev The lineage registry behind its proxy: it names derivatives' parents to the vault and sets price floors.
    function _deployLineage() private {
        lineage = ModelLineage(
            address(
                new ERC1967Proxy(
                    address(new ModelLineage()),
                    abi.encodeCall(
                        ModelLineage.initialize,
                        (
                            address(this),
                            IModelRegistry(address(registry)),
                            ILicenseManager(address(licenses)),
                            IRevenueVault(address(vault))
                        )
                    )
                )
            )
        );
        vault.grantRole(vault.LINEAGE_ROLE(), address(lineage));
        licenses.setLineage(IModelLineage(address(lineage)));
    }

    function _registration(address[] memory members) internal pure returns (IModelRegistry.Registration memory r) {
        r.name = "Model";
        r.symbol = "M";
        r.members = members;
        r.amounts = new uint256[](members.length);
        for (uint256 i = 0; i < members.length; ++i) r.amounts[i] = 100;
        r.governor = IModelGovernor.GovernorSettings({
            votingDelay: 1 hours,
            votingPeriod: 3 days,
            proposalThreshold: 0,
            quorumNumerator: 4,
            lateQuorumExtension: 1 days,
            guardian: address(0)
        });
        r.timelockDelay = 2 days;
    }
}
