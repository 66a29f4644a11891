/**
 * What the seeded models are: their model cards (the files scripts/app/model-files.ts writes) and Vision-7B's licence
 * offers.
 */
import type { NetworkConnection } from "hardhat/types/network";

import type { OfferTerms } from "../../governance/index.js";
import type { TinyModel } from "./model-files.js";

const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400n;

/** The licence offers Vision-7B publishes (30 days, 1,000 credits, 0.1 ETH). */
export function offer(overrides: Partial<OfferTerms>, ethers: NetworkConnection["ethers"]): OfferTerms {
  return {
    price: ethers.parseEther("0.1"),
    paymentToken: ETH,
    duration: 30n * DAY,
    credits: 1000n,
    cap: 0n,
    transferable: true,
    commercialUse: true,
    derivativesAllowed: false,
    onSale: true,
    termsURI: "ipfs://weightshare-demo-licence-terms",
    termsHash: ethers.id("weightshare demo licence terms v1"),
    parentShareBps: 0n,
    minDerivativePrice: 0n,
    ...overrides,
  };
}

/** The seeded models' cards, by key. */
export const CARDS: Record<string, TinyModel> = {
  vision: {
    name: "Vision-7B",
    summary: "An image classifier co-owned by two labs on Weightshare. Licensed access only.",
    license: "other",
    pipelineTag: "image-classification",
    tags: ["vision", "weightshare"],
  },
  speech: {
    name: "Speech-1B",
    summary: "A speech recogniser raising funds for its next training run.",
    license: "apache-2.0",
    pipelineTag: "automatic-speech-recognition",
    tags: ["speech", "weightshare"],
  },
  climate: {
    name: "Climate-3B",
    summary: "A regional weather and climate forecaster.",
    license: "cc-by-4.0",
    pipelineTag: "time-series-forecasting",
    tags: ["climate", "forecasting"],
  },
  tiny: {
    name: "Vision-7B-Tiny",
    summary: "A distilled Vision-7B for phones, registered as its derivative.",
    license: "other",
    pipelineTag: "image-classification",
    tags: ["vision", "distilled"],
    baseModel: "weightshare/1",
  },
};
