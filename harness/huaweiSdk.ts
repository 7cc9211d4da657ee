/**
 * Huawei Cloud's official Node.js SDK core (`@huaweicloud/huaweicloud-sdk-core`, a devDependency), driven as
 * its generated SMS client drives it: the same request options for ShowCommand and UpdateCommandResult,
 * signed by the SDK's own AK/SK signer. The SMS service package is not on npm; the core is what signs.
 * Tests use it as the oracle of what real clients send.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface SdkCredentials {
  withAk(ak: string): this;
  withSk(sk: string): this;
}
interface BasicCredentials extends SdkCredentials {
  withProjectId(id: string): this;
}
interface GlobalCredentials extends SdkCredentials {
  withDomainId(id: string): this;
}
interface HcClient {
  sendRequest(options: Record<string, unknown>): Promise<Record<string, unknown> & { httpStatusCode: number }>;
}
/** The SDK's exception: the status and body of a non-2xx answer. */
export interface SdkError {
  status: number;
  errorCode?: string;
  errorMsg?: string;
}

const core = require('@huaweicloud/huaweicloud-sdk-core') as {
  BasicCredentials: new () => BasicCredentials;
  GlobalCredentials: new () => GlobalCredentials;
};
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js') as {
  ClientBuilder: new (init: (client: HcClient) => HcClient) => { withCredential(c: unknown): { withEndpoint(e: string): { build(): HcClient } } };
};
// the SDK logs every failed request at ERROR, its whole config (headers included) to stdout: quiet in tests
(require('log4js') as { getLogger(): { level: string } }).getLogger().level = 'off';

/** The SDK's signer itself: `sign(request, credential)` answers the headers to send. */
export const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js') as {
  AKSKSigner: { sign(request: { endpoint: string; method: string; headers: Record<string, string>; queryParams?: Record<string, string | string[]>; data?: unknown }, credential: { getAk(): string; getSk(): string }): Record<string, string> };
};

export type CredentialType = 'BasicCredentials' | 'GlobalCredentials';

/** The SDK's credentials of a kind: BasicCredentials with a project ID, GlobalCredentials with a domain ID. */
export function sdkCredentials(type: CredentialType, ak: string, sk: string): SdkCredentials & { getAk(): string; getSk(): string } {
  const credentials = type === 'BasicCredentials' ? new core.BasicCredentials().withProjectId('0c2b6c3e8f0048d9a0b3d2f5e7a1c4b6') : new core.GlobalCredentials().withDomainId('5e9b1f0d2c7a4e6b8d3f1a0c9e7b5d2a');
  return credentials.withAk(ak).withSk(sk) as never;
}

/** An SMS client as the SDK's generated SmsClient sends its two Agent operations. */
export function sdkSmsClient(endpoint: string, type: CredentialType, ak: string, sk: string) {
  const client = new ClientBuilder((c) => c).withCredential(sdkCredentials(type, ak, sk)).withEndpoint(endpoint).build();
  return {
    /** SmsClient.showCommand: GET, `{}` as its data (the SDK sends and signs it). */
    showCommand: (serverId: string) => client.sendRequest({ method: 'GET', url: '/v3/sources/{server_id}/command', contentType: 'application/json', queryParams: {}, pathParams: { server_id: serverId }, headers: {}, data: {} }),
    /** SmsClient.updateCommandResult: POST of the report. */
    updateCommandResult: (serverId: string, body: unknown) =>
      client.sendRequest({ method: 'POST', url: '/v3/sources/{server_id}/command_result', contentType: 'application/json;charset=UTF-8', queryParams: {}, pathParams: { server_id: serverId }, headers: {}, data: body }),
  };
}

/** What the SDK threw for a non-2xx answer, as status and error code. */
export function sdkError(err: unknown): SdkError {
  const e = err as { httpStatusCode?: number; status?: number; errorCode?: string; errorMsg?: string };
  return { status: e.httpStatusCode ?? e.status ?? 0, ...(e.errorCode ? { errorCode: e.errorCode } : {}), ...(e.errorMsg ? { errorMsg: e.errorMsg } : {}) };
}
