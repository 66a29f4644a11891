/**
 * A test wallet for the browser tests: an EIP-1193 provider injected into the page (`window.ethereum`, announced
 * through EIP-6963) whose every request is forwarded to Node through `page.exposeFunction`, where a local account
 * (ethers `Wallet`) answers it: accounts and chain id, `personal_sign`, `eth_signTypedData_v4` and
 * `eth_sendTransaction` signed locally and sent raw to the chain's RPC; every other method is forwarded to the RPC
 * as it is, errors included (a revert's data reaches the app unchanged, as from a real wallet). Like a real wallet it
 * starts disconnected (`eth_accounts` is empty until the page asks with `eth_requestAccounts`), and a test can make it
 * refuse what a user would be asked to approve (EIP-1193 error 4001) to prove that nothing is lost on a rejection.
 */
import { getBytes, isHexString, toUtf8String, Wallet, type TypedDataField } from "ethers";
import type { Page } from "playwright-core";

/** Name of the function the page calls into Node with. */
const BINDING = "__weightshareTestWallet";

/** One request the page made, as the wallet saw it. */
export interface WalletRequest {
  method: string;
  params: unknown[];
  /** "result", "rejected" (4001 by the test's switch) or "error". */
  outcome?: "result" | "rejected" | "error";
}

/** An EIP-1193 error as the page receives it. */
interface RpcErrorShape {
  code: number;
  message: string;
  data?: unknown;
}

/** Methods a user approves in a real wallet: these are refused while the test says so. */
const APPROVALS = new Set([
  "eth_requestAccounts",
  "wallet_requestPermissions",
  "wallet_switchEthereumChain",
  "wallet_addEthereumChain",
  "personal_sign",
  "eth_signTypedData_v4",
  "eth_sendTransaction",
]);

/** The test wallet's Node side; see the module comment. */
export class TestWallet {
  /** The account's checksummed address. */
  readonly address: string;
  /** The chain's JSON-RPC URL. */
  readonly rpcUrl: string;
  /** Every request the page made, in order. */
  readonly requests: WalletRequest[] = [];
  /** Hashes of the transactions sent, in order. */
  readonly sent: string[] = [];
  /** While true, every request a user would approve is refused with EIP-1193 error 4001. */
  rejecting = false;
  /** Whether the page is connected (asked for the accounts, not revoked). */
  connected: boolean;
  private readonly signer: Wallet;
  private rejectCount = 0;
  private chainIdHex?: string;
  private rpcId = 0;

  /** @param privateKey the account's key; @param rpcUrl the chain; @param connected start already connected. */
  constructor(privateKey: string, rpcUrl: string, connected = false) {
    this.signer = new Wallet(privateKey);
    this.address = this.signer.address;
    this.rpcUrl = rpcUrl;
    this.connected = connected;
  }

  /** Refuses the next `count` requests a user would approve (4001), then approves again. */
  rejectNext(count = 1): void {
    this.rejectCount += count;
  }

  /** Calls `method` on the chain's RPC; throws the node's error object ({code, message, data}) as it is. */
  async rpc(method: string, params: unknown[] = []): Promise<unknown> {
    const response = await fetch(this.rpcUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++this.rpcId, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: RpcErrorShape };
    if (body.error !== undefined) throw body.error;
    return body.result;
  }

  /** Answers one request from the page: `{ result }` or `{ error: {code, message, data} }`. */
  async handle(method: string, params: unknown[] = []): Promise<{ result?: unknown; error?: RpcErrorShape }> {
    const entry: WalletRequest = { method, params };
    this.requests.push(entry);
    if (APPROVALS.has(method) && (this.rejecting || this.rejectCount > 0)) {
      if (!this.rejecting) this.rejectCount--;
      entry.outcome = "rejected";
      return { error: { code: 4001, message: "User rejected the request (test wallet)." } };
    }
    try {
      const result = await this.answer(method, params);
      entry.outcome = "result";
      return { result: result ?? null };
    } catch (error) {
      entry.outcome = "error";
      const e = error as Partial<RpcErrorShape> & { shortMessage?: string };
      return {
        error: {
          code: typeof e.code === "number" ? e.code : -32603,
          message: e.shortMessage ?? e.message ?? String(error),
          ...(e.data !== undefined ? { data: e.data } : {}),
        },
      };
    }
  }

  private async chainId(): Promise<string> {
    this.chainIdHex ??= (await this.rpc("eth_chainId")) as string;
    return this.chainIdHex;
  }

  private checkAccount(account: unknown): void {
    if (typeof account !== "string" || account.toLowerCase() !== this.address.toLowerCase()) {
      throw { code: 4100, message: `the test wallet holds ${this.address}, not ${String(account)}` };
    }
    if (!this.connected) throw { code: 4100, message: "the page has not connected the test wallet" };
  }

  private async answer(method: string, params: unknown[]): Promise<unknown> {
    switch (method) {
      case "eth_requestAccounts":
        this.connected = true;
        return [this.address];
      case "eth_accounts":
        return this.connected ? [this.address] : [];
      case "wallet_requestPermissions":
        this.connected = true;
        return [
          { parentCapability: "eth_accounts", caveats: [{ type: "restrictReturnedAccounts", value: [this.address] }] },
        ];
      case "wallet_revokePermissions":
        this.connected = false;
        return null;
      case "eth_chainId":
        return this.chainId();
      case "net_version":
        return BigInt(await this.chainId()).toString();
      case "wallet_switchEthereumChain":
      case "wallet_addEthereumChain": {
        const wanted = (params[0] as { chainId?: string } | undefined)?.chainId;
        if (wanted === undefined || BigInt(wanted) !== BigInt(await this.chainId())) {
          throw { code: 4902, message: `the test wallet only knows chain ${BigInt(await this.chainId())}` };
        }
        return null;
      }
      case "personal_sign": {
        const [data, account] = params as [string, string];
        this.checkAccount(account);
        return this.signer.signMessage(isHexString(data) ? getBytes(data) : data);
      }
      case "eth_signTypedData_v4": {
        const [account, json] = params as [string, string | Record<string, unknown>];
        this.checkAccount(account);
        const typed = (typeof json === "string" ? JSON.parse(json) : json) as {
          domain: Record<string, unknown>;
          types: Record<string, TypedDataField[]>;
          message: Record<string, unknown>;
        };
        const types = { ...typed.types };
        delete types.EIP712Domain;
        return this.signer.signTypedData(typed.domain, types, typed.message);
      }
      case "eth_sendTransaction":
        return this.sendTransaction(params[0] as Record<string, string | undefined>);
      default:
        return this.rpc(method, params);
    }
  }

  /** Estimates (the node's revert error reaches the page as it is), fills in, signs and sends raw. */
  private async sendTransaction(tx: Record<string, string | undefined>): Promise<string> {
    this.checkAccount(tx.from ?? this.address);
    const call = { from: this.address, to: tx.to, data: tx.data ?? tx.input, value: tx.value };
    const gas = tx.gas ?? ((await this.rpc("eth_estimateGas", [call])) as string);
    const nonce = tx.nonce ?? ((await this.rpc("eth_getTransactionCount", [this.address, "pending"])) as string);
    const block = (await this.rpc("eth_getBlockByNumber", ["latest", false])) as { baseFeePerGas?: string };
    const tip = 1_000_000_000n;
    const maxFeePerGas = tx.maxFeePerGas ?? BigInt(block.baseFeePerGas ?? "0") * 2n + tip;
    const signed = await this.signer.signTransaction({
      type: 2,
      chainId: BigInt(await this.chainId()),
      to: tx.to ?? null,
      data: call.data ?? "0x",
      value: BigInt(tx.value ?? "0"),
      gasLimit: BigInt(gas),
      nonce: Number(BigInt(nonce)),
      maxFeePerGas: BigInt(maxFeePerGas),
      maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas ?? tip),
    });
    const hash = (await this.rpc("eth_sendRawTransaction", [signed])) as string;
    this.sent.push(hash);
    return hash;
  }

  /** Installs the wallet into `page` (before any of its scripts run): the binding and the injected provider. */
  async install(page: Page): Promise<void> {
    await page.exposeFunction(BINDING, (method: string, params: unknown[]) => this.handle(method, params ?? []));
    await page.addInitScript({ content: injectedProvider(BINDING) });
  }

  /** Emits an EIP-1193 event (`accountsChanged`, `chainChanged`, `disconnect`...) to the page's listeners. */
  async emit(page: Page, event: string, data: unknown): Promise<void> {
    await page.evaluate(([e, d]) => (globalThis as unknown as EmitWindow).__weightshareWalletEmit?.(e, d), [
      event,
      data,
    ] as const);
  }

  /** The text of a signed message, for assertions (`personal_sign` requests' first parameter as UTF-8). */
  signedMessages(): string[] {
    return this.requests
      .filter((r) => r.method === "personal_sign" && r.outcome === "result")
      .map((r) => (isHexString(r.params[0]) ? toUtf8String(r.params[0] as string) : String(r.params[0])));
  }
}

/** The page's event hook the injected script defines. */
interface EmitWindow {
  __weightshareWalletEmit?: (event: string, data: unknown) => void;
}

/**
 * The script injected into the page before its own scripts: defines `window.ethereum` and answers EIP-6963
 * discovery. Plain JavaScript text, not a serialised function: the test runner's TypeScript compiler would insert
 * helpers (`__name`) that do not exist in the page.
 */
function injectedProvider(binding: string): string {
  return `(() => {
  const call = window[${JSON.stringify(binding)}];
  const listeners = new Map();
  const provider = {
    isWeightshareTestWallet: true,
    async request(args) {
      const answer = await call(args.method, args.params ?? []);
      if (answer.error !== undefined) {
        throw Object.assign(new Error(answer.error.message), { code: answer.error.code, data: answer.error.data });
      }
      return answer.result;
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return provider;
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  };
  Object.defineProperty(window, "ethereum", { value: provider, configurable: true });
  window.__weightshareWalletEmit = (event, data) => {
    for (const listener of listeners.get(event) ?? []) listener(data);
  };
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32"/></svg>';
  const info = Object.freeze({
    uuid: "9b0e2f6c-3f4e-4c1e-9a51-2f2d3c7a0b11",
    name: "Test Wallet",
    icon: "data:image/svg+xml;base64," + btoa(svg),
    rdns: "org.weightshare.testwallet",
  });
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;
}
