/**
 * What the attestation task tests share (attest.test.ts, attest-provenance.test.ts): the protocol deployed with EAS
 * by the local Ignition module, two models registered with `ws register` (accounts 1, 2 and 3 hold them), each
 * accepting ETH and selling a transferable 30-day licence for 0.1 ETH (offer 1), and typed handles on EAS and the
 * provenance resolver for the proposals the members pass.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { id, ZeroAddress } from "ethers";

import { addOffer, combine, setPaymentToken } from "../../governance/index.js";
import type { EAS, ProvenanceResolver } from "../../types/ethers-contracts/index.js";
import { moneySetup, type MoneySetup } from "./money-setup.js";

export interface AttestSetup extends MoneySetup {
  eas: EAS;
  provenance: ProvenanceResolver;
  provenanceSchema: string;
  reviewSchema: string;
  /** Buys a licence of `modelId`'s offer 1 as account `signer` with `ws buy`; returns its id. */
  buy(modelId: bigint, signer: number): Promise<bigint>;
}

export async function attestSetup(hre: HardhatRuntimeEnvironment): Promise<AttestSetup> {
  const s = await moneySetup(hre);
  const { ethers } = await hre.network.getOrCreate();
  const licenses = await ethers.getContractAt("LicenseManager", s.addresses.licenses);
  const vault = await ethers.getContractAt("RevenueVault", s.addresses.vault);
  for (const name of ["Vision-7B", "Audio-3B"]) {
    const modelId = await s.register(name);
    const description = `ETH licences of model #${modelId}`;
    const terms = {
      price: 10n ** 17n,
      paymentToken: ZeroAddress,
      duration: 30n * 86_400n,
      credits: 0n,
      cap: 0n,
      transferable: true,
      commercialUse: true,
      derivativesAllowed: false,
      onSale: true,
      termsURI: "ipfs://terms",
      termsHash: id("terms"),
      parentShareBps: 0n,
      minDerivativePrice: 0n,
    };
    await s.pass(
      modelId,
      combine(description, [
        await setPaymentToken({ vault, modelId, token: ZeroAddress, allowed: true, description }),
        await addOffer({ licenses, modelId, terms, description }),
      ]),
    );
  }
  const eas = (await ethers.getContractAt(
    "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol:EAS",
    s.addresses.eas,
  )) as unknown as EAS;
  const provenance = await ethers.getContractAt("ProvenanceResolver", s.addresses.provenanceResolver);
  const reviews = await ethers.getContractAt("LicenseeReviewResolver", s.addresses.reviewResolver);
  const buy = async (modelId: bigint, signer: number) =>
    BigInt(
      s.ok(await s.run("buy", { modelId: String(modelId), offerId: "1", maxPrice: "0.1", signer: String(signer) }))
        .licenceId,
    );
  return {
    ...s,
    eas,
    provenance,
    provenanceSchema: await provenance.schemaUID(),
    reviewSchema: await reviews.schemaUID(),
    buy,
  };
}
