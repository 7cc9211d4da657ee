/** What the contract suite needs to know about the deployment it checks. */
import type { QueuedCommandName } from '../server/store/types.js';

export interface ContractTarget {
  /** Short name used in reports and the coverage table (in-process, child-process, prism-mock, prism-proxy, or a URL). */
  name: string;
  baseUrl: string;
  /** A registered source server the token may act for. */
  serverId: string;
  /** A valid token with both actions on every source server (the 400 and 404 cases use other IDs). */
  token: string;
  /** A well-formed source server ID that is not registered (404). */
  unregisteredServerId: string;
  /** A valid token that lacks the action or the source (403); absent: the 403 cases are skipped. */
  forbiddenToken?: string;
  /** An admin token (the operator's API); absent: the admin contract's cases are skipped. */
  adminToken?: string;
  /** Puts a command in the source's queue; present only where the target has a stateful queue. */
  enqueue?: (serverId: string, name: QueuedCommandName, param?: { taskId?: string; bucket?: string }) => Promise<void>;
  /** The report the server stored under a request id (X-Request-Id of its 200); absent: what was stored is not checked. */
  storedReport?: (serverId: string, requestId: string) => Promise<StoredReport | undefined>;
  /** Makes the database refuse writes (file deleted, read-only) until the returned function is called (503 cases); absent: skipped. */
  breakStorage?: () => Promise<() => Promise<void>>;
  /** Makes the backend fail until the returned function is called (500 cases); absent: skipped. */
  breakBackend?: () => Promise<() => Promise<void>>;
  /** A stateless mock: asks for a status with Prism's `Prefer: code=N` header. */
  prefersCode?: boolean;
  /** Cases that cannot apply to this target (matched by name), with the reason listed as the skip. */
  notApplicable?: Array<{ case: RegExp; reason: string }>;
  /**
   * The AK/SK run of the suite: an Agent request that would carry one of these tokens is signed with its
   * access key instead (SDK-HMAC-SHA256, as the client signs), and carries no token. Admin requests keep
   * their admin token.
   */
  signedAs?: Record<string, { accessKey: string; secretKey: string }>;
  /** Behind a validating proxy: the Violation lines it logged since the last call. */
  violations?: () => Promise<string[]>;
}

/**
 * queue: the suite can put commands in the queue (enqueue present); implementation: a real server
 * (checks tokens, parses JSON), not a mock; admin: the target serves the admin contract (adminToken
 * present); forbiddenToken, breakBackend: as the fields say (a mock provides them through Prefer: code=N).
 */
export type Capability = 'queue' | 'implementation' | 'admin' | 'forbiddenToken' | 'breakBackend' | 'breakStorage';

/** A stored report, as the contract cases compare it with what was sent. */
export interface StoredReport {
  commandName: string;
  result: string;
  resultDetail: unknown;
  /** result_detail's text as stored (exactly as sent, where the target keeps it). */
  resultDetailJson?: string;
}

/** AK:SK as given on the command line; null when it is not that. */
export function accessKeyPair(value: string): { accessKey: string; secretKey: string } | null {
  const at = value.indexOf(':');
  return at > 0 && at < value.length - 1 ? { accessKey: value.slice(0, at), secretKey: value.slice(at + 1) } : null;
}
