/**
 * The invariant run's chain-side actions (see handler.ts): renewals, transfers (and refused ones), purchases, the
 * DAO turning an offer transferable, and time passing, with a settler pass first whenever the gateway's own settler
 * would have passed in between. Importing this file does nothing.
 */
import { offerTerms } from "../../../helpers/fixtures.js";
import type { MeteringHandler } from "./handler.js";
import { live, SETTLE_EVERY, Surprise } from "./model.js";
import { EXTRA_OFFERS } from "./world.js";

/** Licences the run buys at most. */
const MAX_LICENCES = 8;

/** See the module comment. */
export async function renew(h: MeteringHandler): Promise<void> {
  // Mostly a licence that lapsed or ran low, as its holder would.
  const now = await h.now();
  const due: bigint[] = [];
  for (const id of h.ghosts.keys()) {
    const chain = await h.chainOf(id);
    if (!live(chain, now) || chain.credits < 4n) due.push(id);
  }
  const id = h.random.pick(due.length > 0 && h.random.chance(0.8) ? due : [...h.ghosts.keys()]);
  const payer = h.random.pick(h.world.accounts);
  const { licenses } = h.world.protocol;
  const before = (await licenses.licence(id)).credits;
  const price = offerTerms().price;
  await (await licenses.connect(payer.signer).renew(id, price, { value: price })).wait();
  const added = (await licenses.licence(id)).credits - before;
  h.ghost(id).bought += added;
  h.note(`renew: licence ${id} by ${payer.name}, +${added} credits`);
}

/** See the module comment. */
export async function transfer(h: MeteringHandler): Promise<void> {
  const id = h.random.pick([...h.ghosts.keys()]);
  const chain = await h.chainOf(id);
  const holder = h.world.accounts.find((a) => a.address === chain.owner)!;
  const to = h.random.pick(h.world.accounts.filter((a) => a !== holder));
  const { licenses } = h.world.protocol;
  const send = () => licenses.connect(holder.signer).transferFrom(holder.address, to.address, id);
  if (!chain.transferable) {
    const error = await send().then(
      () => undefined,
      (e: unknown) => e,
    );
    const data = (error as { data?: string } | undefined)?.data;
    if (!data || licenses.interface.parseError(data)?.name !== "LicenseManagerNonTransferable")
      throw new Surprise(`transferring non-transferable licence ${id} did not revert as such: ${String(error)}`);
    h.note(`transfer-refused: licence ${id} is not transferable`);
    return;
  }
  await (await send()).wait();
  h.note(`transfer: licence ${id} ${holder.name} -> ${to.name}`);
}

/** See the module comment. */
export async function advance(h: MeteringHandler): Promise<void> {
  const kind = h.random.weighted([4, 4, 1.2, 0.8]);
  const seconds = [
    () => h.random.int(5, 60),
    () => h.random.int(61, 3600),
    () => h.random.int(3601, 50_000),
    () => h.random.int(86_400, 90_000),
  ][kind]();
  // The gateway's settler passes every SETTLE_EVERY s: before time runs past that, it has passed.
  if ((await h.now()) + seconds - h.lastPassAt > SETTLE_EVERY) await h.settle("before time passes");
  await h.world.networkHelpers.time.increase(seconds);
  h.note(`advance: ${seconds} s`);
}

/** See the module comment. */
export async function buy(h: MeteringHandler): Promise<void> {
  if (h.ghosts.size >= MAX_LICENCES) return renew(h);
  const buyer = h.random.pick(h.world.accounts);
  const offerId = h.random.pick([1n, ...EXTRA_OFFERS.map((o) => o.offerId)]);
  const { licenses } = h.world.protocol;
  const price = offerTerms().price;
  const mined = await (
    await licenses.connect(buyer.signer).purchase(h.world.modelId, offerId, buyer.address, price, { value: price })
  ).wait();
  const event = mined!.logs.map((l) => licenses.interface.parseLog(l)).find((e) => e?.name === "LicencePurchased");
  const id = event!.args.licenceId as bigint;
  await h.track(id);
  h.note(`buy: ${buyer.name} licence ${id} of offer ${offerId}`);
}

/** See the module comment. */
export async function setOffer4Transferable(h: MeteringHandler): Promise<void> {
  const { licenses } = h.world.protocol;
  const terms = offerTerms({ credits: 6n, duration: 86_400n, transferable: true });
  await (await licenses.connect(h.world.timelock).updateOffer(h.world.modelId, 4n, terms)).wait();
  h.offer4Transferable = true;
  h.note("set-transferable: offer 4 (licences bought from now on)");
}
