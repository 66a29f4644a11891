/**
 * A typed client for Tally's public GraphQL API (https://api.tally.xyz/query, `Api-Key` header): the governor,
 * proposals and delegates Tally holds for one of our models. Tally has no npm SDK (TOOLCHAIN.md); the queries
 * below are written against its published schema (inline fragments on the `Proposal` / `Delegate` node unions,
 * CAIP-10 `AccountID`s, `page` / `pageInfo` pagination).
 */
export const TALLY_API_URL = "https://api.tally.xyz/query";

/** CAIP-10 account id Tally uses for governors: `eip155:<chain>:<address>`. */
export function governorId(chainId: bigint | number, governor: string): string {
  return `eip155:${chainId}:${governor}`;
}

export interface ApiGovernor {
  id: string;
  chainId: string;
  name: string;
  slug: string;
  quorum: string;
  timelockId: string | null;
  token: { id: string; name: string; symbol: string; decimals: number; supply: string };
  proposalStats: { total: number; active: number; failed: number; passed: number };
}

export interface ApiProposal {
  id: string;
  onchainId: string | null;
  status: string;
  metadata: { title: string; description: string };
  proposer: { address: string } | null;
  start: { timestamp: string };
  end: { timestamp: string };
  voteStats: { type: string; votesCount: string; votersCount: number; percent: number }[];
}

export interface ApiDelegate {
  account: { address: string };
  votesCount: string;
  delegatorsCount: number;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: { firstCursor: string | null; lastCursor: string | null; count: number | null };
}

const GOVERNOR_QUERY = `query Governor($input: GovernorInput!) {
  governor(input: $input) {
    id chainId name slug quorum timelockId
    token { id name symbol decimals supply }
    proposalStats { total active failed passed }
  }
}`;

const PROPOSALS_QUERY = `query Proposals($input: ProposalsInput!) {
  proposals(input: $input) {
    nodes {
      ... on Proposal {
        id onchainId status
        metadata { title description }
        proposer { address }
        start { ... on Block { timestamp } ... on BlocklessTimestamp { timestamp } }
        end { ... on Block { timestamp } ... on BlocklessTimestamp { timestamp } }
        voteStats { type votesCount votersCount percent }
      }
    }
    pageInfo { firstCursor lastCursor count }
  }
}`;

const DELEGATES_QUERY = `query Delegates($input: DelegatesInput!) {
  delegates(input: $input) {
    nodes { ... on Delegate { account { address } votesCount delegatorsCount } }
    pageInfo { firstCursor lastCursor count }
  }
}`;

/** Tally answered with an HTTP error or GraphQL errors; `message` says which, with Tally's own words. */
export class TallyApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "TallyApiError";
  }
}

export interface TallyClientOptions {
  apiKey: string;
  url?: string;
  fetch?: typeof fetch;
}

export class TallyClient {
  readonly url: string;
  private readonly apiKey: string;
  private readonly fetcher: typeof fetch;

  constructor(options: TallyClientOptions) {
    if (options.apiKey.trim() === "") throw new TallyApiError("apiKey: expected a Tally API key, got an empty string");
    this.apiKey = options.apiKey;
    this.url = options.url ?? TALLY_API_URL;
    this.fetcher = options.fetch ?? fetch;
  }

  /** The governor Tally holds at `id` (`eip155:<chain>:<address>`), or null when Tally does not index it. */
  async governor(id: string): Promise<ApiGovernor | null> {
    const data = await this.query<{ governor: ApiGovernor | null }>(GOVERNOR_QUERY, { input: { id } });
    return data.governor;
  }

  /** One page of the governor's proposals, newest first as Tally sorts them. */
  async proposals(id: string, page: { limit?: number; afterCursor?: string } = {}): Promise<Page<ApiProposal>> {
    const input = { filters: { governorId: id }, page: { limit: page.limit ?? 20, afterCursor: page.afterCursor } };
    const data = await this.query<{ proposals: Page<ApiProposal> }>(PROPOSALS_QUERY, { input });
    return data.proposals;
  }

  /** One page of the governor's delegates, by voting power. */
  async delegates(id: string, page: { limit?: number; afterCursor?: string } = {}): Promise<Page<ApiDelegate>> {
    const input = {
      filters: { governorId: id },
      sort: { isDescending: true, sortBy: "votes" },
      page: { limit: page.limit ?? 20, afterCursor: page.afterCursor },
    };
    const data = await this.query<{ delegates: Page<ApiDelegate> }>(DELEGATES_QUERY, { input });
    return data.delegates;
  }

  private async query<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await this.fetcher(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", "Api-Key": this.apiKey },
        body: JSON.stringify({ query, variables }),
      });
    } catch (e) {
      throw new TallyApiError(`Tally API unreachable at ${this.url}: ${(e as Error).message}`);
    }
    const text = await response.text();
    let body: { data?: T; errors?: { message: string }[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new TallyApiError(`Tally API answered HTTP ${response.status} with non-JSON`, response.status);
    }
    if (body.errors?.length) {
      throw new TallyApiError(`Tally API: ${body.errors.map((e) => e.message).join("; ")}`, response.status);
    }
    if (!response.ok) throw new TallyApiError(`Tally API answered HTTP ${response.status}`, response.status);
    if (body.data === undefined) throw new TallyApiError("Tally API answered without data", response.status);
    return body.data;
  }
}
