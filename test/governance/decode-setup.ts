/**
 * What the decoder tests share (decode.test.ts, decode-offers.test.ts): the protocol's contracts at fixed
 * addresses (nothing is deployed: the builders only encode calls), the view the decoder reads, and an offer's terms.
 */
import { expect } from "chai";
import { getAddress } from "ethers";
import hre from "hardhat";

import { decodeCalls, type OfferTerms, type Proposal, type ProtocolView } from "../../governance/index.js";

export const at = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);
export const [SHARES, REGISTRY, VAULT, LICENSES, METER, GOVERNOR, TIMELOCK, USDC, ALICE, BOB, RAISES, SALES] = [
  0x5a, 0x7e, 0x7a, 0x11, 0x3e, 0x60, 0x71, 0xc0, 0xa1, 0xb0, 0x4a, 0x5e,
].map((n) => at(0x1000 + n));
export const description = "test";

export async function contracts() {
  const { ethers } = await hre.network.getOrCreate();
  return {
    shares: await ethers.getContractAt("ModelShares", SHARES),
    registry: await ethers.getContractAt("ModelRegistry", REGISTRY),
    vault: await ethers.getContractAt("RevenueVault", VAULT),
    licenses: await ethers.getContractAt("LicenseManager", LICENSES),
    meter: await ethers.getContractAt("UsageMeter", METER),
    governor: await ethers.getContractAt("ModelGovernor", GOVERNOR),
    timelock: await ethers.getContractAt("ModelTimelock", TIMELOCK),
    raises: await ethers.getContractAt("Raises", RAISES),
    sales: await ethers.getContractAt("FractionSales", SALES),
    usdc: await ethers.getContractAt("TestToken", USDC),
  };
}

export type Contracts = Awaited<ReturnType<typeof contracts>>;

/** The contracts and the decoder's view of them (USDC known: 6 decimals). */
export async function setup(): Promise<{ c: Contracts; view: ProtocolView }> {
  const c = await contracts();
  const { usdc, ...protocol } = c;
  void usdc;
  const view: ProtocolView = {
    addresses: {
      shares: SHARES,
      registry: REGISTRY,
      vault: VAULT,
      licenses: LICENSES,
      meter: METER,
      governor: GOVERNOR,
      timelock: TIMELOCK,
      raises: RAISES,
      sales: SALES,
    },
    interfaces: Object.fromEntries(
      Object.entries(protocol).map(([name, contract]) => [name, contract.interface]),
    ) as ProtocolView["interfaces"],
    tokens: new Map([[USDC.toLowerCase(), { symbol: "USDC", decimals: 6 }]]),
  };
  return { c, view };
}

/** The one call `p` makes, decoded. */
export function one(p: Proposal, view: ProtocolView) {
  const calls = decodeCalls(p, view);
  expect(calls).to.have.length(1);
  return calls[0];
}

export const terms: OfferTerms = {
  price: 12_500_000n,
  paymentToken: USDC,
  duration: 30n * 86_400n,
  credits: 1000n,
  cap: 50n,
  transferable: true,
  commercialUse: false,
  derivativesAllowed: true,
  onSale: true,
  termsURI: "ipfs://terms",
  termsHash: `0x${"ab".repeat(32)}`,
  parentShareBps: 0n,
  minDerivativePrice: 0n,
};
export const termsText =
  "12.5 USDC, 30 days (2592000 s), 1000 credits, cap 50, transferable, no commercial use, derivatives allowed (parent takes 0% of a derivative's revenue), " +
  `on sale, terms ipfs://terms (keccak256 0x${"ab".repeat(32)})`;
