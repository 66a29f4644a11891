/**
 * A failed transaction in the same plain sentence the tasks print (`client/errors/explain.ts`): the revert is decoded
 * against every error in the generated bindings. A rejection in the wallet says that nothing was sent.
 */
import { ErrorFragment, Interface } from "ethers";
import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError, type Abi } from "viem";

import { explain } from "../../../client/errors/explain.ts";
import * as bindings from "../generated.ts";

let errors: Interface | undefined;

/** One interface holding every protocol error (deduplicated by selector), built once from the bindings. */
export function protocolErrorInterface(): Interface {
  if (errors !== undefined) return errors;
  const bySelector = new Map<string, ErrorFragment>();
  for (const abi of Object.values(bindings) as Abi[]) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const fragment = ErrorFragment.from(item);
      bySelector.set(fragment.selector, fragment);
    }
  }
  errors = new Interface([...bySelector.values()]);
  return errors;
}

/** Whether the user declined the request in their wallet. */
export function isRejection(error: unknown): boolean {
  return error instanceof BaseError && error.walk((e) => e instanceof UserRejectedRequestError) !== null;
}

/** `error` as one sentence for the page, capitalised. */
export function describeError(error: unknown): string {
  let sentence: string;
  if (isRejection(error)) {
    sentence = "you declined the request in your wallet; nothing was sent";
  } else if (error instanceof BaseError) {
    const revert = error.walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError | null;
    if (revert?.raw !== undefined) sentence = explain(protocolErrorInterface(), { data: revert.raw });
    else if (revert?.reason !== undefined) sentence = revert.reason;
    else sentence = error.shortMessage;
  } else {
    sentence = String((error as Error)?.message ?? error).split("\n")[0];
  }
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
