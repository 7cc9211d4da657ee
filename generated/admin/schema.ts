/**
 * DO NOT EDIT: generated from spec/ by `npm run generate`; `npm run check:generated` fails when it drifts.
 */

export interface paths {
    "/admin/v1/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Listing Source Servers
         * @description The registered source servers by `server_id`, a page at a time, each with its Agent's liveness.
         */
        get: operations["ListSources"];
        put?: never;
        /**
         * Registering a Source Server
         * @description Registers a source server, so that its Agent's polls and reports are accepted (an unregistered one
         *     is answered `404`). Its ID is the one the Agent sends in the path of ShowCommand and
         *     UpdateCommandResult.
         */
        post: operations["CreateSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/sources/{server_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
                 *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
                 *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
                 * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
                 */
                server_id: components["parameters"]["ServerId"];
            };
            cookie?: never;
        };
        /**
         * Querying a Source Server
         * @description One source server and its Agent's liveness: when it last polled (recorded in batches, so up to a few
         *     seconds behind), when it last reported, and the command it holds (leased, the lease not ended).
         */
        get: operations["ShowSource"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/sources/{server_id}/commands": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
                 *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
                 *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
                 * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
                 */
                server_id: components["parameters"]["ServerId"];
            };
            cookie?: never;
        };
        /**
         * Listing Commands
         * @description The source server's commands with their state, oldest first (queue order), a page at a time.
         */
        get: operations["ListCommands"];
        put?: never;
        /**
         * Queueing a Command
         * @description Queues a command for the source server's Agent. ShowCommand hands out each source server's commands
         *     oldest first, with their `command_param`; a command is leased while it runs (600 seconds by
         *     default) and handed out again if no report arrives before the lease ends.
         */
        post: operations["CreateCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/sources/{server_id}/commands/{command_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
                 *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
                 *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
                 * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
                 */
                server_id: components["parameters"]["ServerId"];
                /**
                 * @description The ID of a command, as `POST /admin/v1/sources/{server_id}/commands` answered it.
                 * @example 42
                 */
                command_id: components["parameters"]["CommandId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Cancelling a Command
         * @description Cancels a pending command: it is never handed out. A command already leased (its Agent has it),
         *     done or cancelled is answered `409`; to stop one that runs, queue STOP.
         */
        delete: operations["CancelCommand"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/sources/{server_id}/results": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
                 *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
                 *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
                 * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
                 */
                server_id: components["parameters"]["ServerId"];
            };
            cookie?: never;
        };
        /**
         * Listing Reported Results
         * @description The reports the source server's Agent sent with UpdateCommandResult, newest first, a page at a time.
         */
        get: operations["ListResults"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Listing Tokens
         * @description Every token, oldest first, with its status - never a secret.
         */
        get: operations["ListTokens"];
        put?: never;
        /**
         * Issuing a Token
         * @description Issues a token and answers its secret, this once (only its SHA-256 hash is stored). An Agent token
         *     (the default) may perform its `actions` (default both) on its `sources` (registered source servers;
         *     default every one); an admin token (`"kind": "admin"`) may use this API and nothing else, and takes
         *     neither. A source server in `sources` that is not registered is answered `404`.
         */
        post: operations["CreateToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ID of a token (not its secret), as `POST /admin/v1/tokens` answered it.
                 * @example tok_3f9a0c21b7d4
                 */
                token_id: components["parameters"]["TokenId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoking a Token
         * @description Revokes a token: requests with it are answered `401` from then on (within the server's read-cache
         *     refresh, 100 ms by default, on every instance). Revoking it again changes nothing.
         */
        delete: operations["RevokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/access_keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Listing Access Keys
         * @description Every access key, oldest first, with its status - its AK, never its SK.
         */
        get: operations["ListAccessKeys"];
        put?: never;
        /**
         * Issuing an Access Key
         * @description Issues an access key pair (AK/SK) for an Agent that signs its requests (`AkSkSignature` of the Agent
         *     contract, as Huawei Cloud's official SDKs do) and answers its secret key, this once: the service
         *     keeps the SK only sealed (AES-256-GCM under the server's sealing key). It may perform its `actions`
         *     (default both) on its `sources` (registered source servers; default every one), exactly as an Agent
         *     token. An access key is no key for this API. A source server in `sources` that is not registered is
         *     answered `404`.
         */
        post: operations["CreateAccessKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/access_keys/{access_key}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The access key ID (AK) of an access key, as `POST /admin/v1/access_keys` answered it.
                 * @example AKSMS7Q2M4XKD9F3HJ6PW
                 */
                access_key: components["parameters"]["AccessKeyId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoking an Access Key
         * @description Revokes an access key: requests signed with it are answered `401` (`SMS.9007`) from then on (within
         *     the server's read-cache refresh, 100 ms by default, on every instance). Revoking it again changes
         *     nothing.
         */
        delete: operations["RevokeAccessKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description The ID of a source server: 1 to 36 characters, letters, digits, `-` and `_` only (the Agent uses it in
         *     the path of both of its operations, `parameters/ServerId.yaml`, whose bounds these are).
         */
        ServerId: string;
        /**
         * Format: date-time
         * @description A time in UTC, RFC 3339 with milliseconds.
         */
        Timestamp: string;
        /**
         * @description A command an operator can queue for a source server's Agent (SKIP is never queued - it means "nothing to do").
         * @enum {string}
         */
        QueuedCommandName: "START" | "STOP" | "DELETE" | "SYNC";
        /** @description The command the Agent holds - leased to it, the lease not ended. */
        HeldCommand: {
            command_id: number;
            command_name: components["schemas"]["QueuedCommandName"];
            lease_expires_at: components["schemas"]["Timestamp"];
        };
        /** @description A registered source server and its Agent's liveness. */
        SourceServer: {
            server_id: components["schemas"]["ServerId"];
            /** @description A name for people. */
            name: string | null;
            created_at: components["schemas"]["Timestamp"];
            /**
             * @description When the Agent last polled (ShowCommand), or null if it never did. Polls are recorded in batches:
             *     this may be up to a few seconds (the server's `LIVENESS_FLUSH_MS`) behind.
             */
            last_poll_at: components["schemas"]["Timestamp"] | null;
            /** @description When the Agent's last report (UpdateCommandResult) was received, or null if it never reported. */
            last_report_at: components["schemas"]["Timestamp"] | null;
            /** @description The command the Agent holds now, or null. */
            held_command: components["schemas"]["HeldCommand"] | null;
        };
        /** @description Pass it as `cursor` for the next page; null when this is the last page. */
        NextCursor: string | null;
        /** @description A page of source servers, by server_id. */
        SourceServerPage: {
            sources: components["schemas"]["SourceServer"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description The error body of 400, 401, 404 and 500 responses. */
        Error: {
            /** @description The error code (see the table in the API description). */
            error_code: string;
            /** @description The error message. */
            error_msg: string;
        };
        /** @description Text for people or for the Agent - 1 to 255 characters, no control characters (U+0000 to U+001F, U+007F). */
        Label: string;
        /** @description A source server to register. */
        NewSourceServer: {
            server_id: components["schemas"]["ServerId"];
            /** @description A name for people. */
            name?: components["schemas"]["Label"];
        };
        /**
         * @description `pending`: waits to be handed out. `leased`: handed out by ShowCommand, awaiting its report (handed
         *     out again when `lease_expires_at` passes). `done`: its report arrived. `cancelled`: an operator
         *     cancelled it while it was pending.
         * @enum {string}
         */
        CommandState: "pending" | "leased" | "done" | "cancelled";
        /** @description The command response parameters. */
        CommandParam: {
            /** @description The task ID. */
            task_id?: string;
            /** @description The bucket name. */
            bucket?: string;
        };
        /** @description A command in a source server's queue, with its state. */
        QueuedCommand: {
            command_id: number;
            server_id: components["schemas"]["ServerId"];
            command_name: components["schemas"]["QueuedCommandName"];
            command_param: components["schemas"]["CommandParam"];
            state: components["schemas"]["CommandState"];
            enqueued_at: components["schemas"]["Timestamp"];
            /** @description When the current lease ends (leased), or ended; null if it was never handed out. */
            lease_expires_at: components["schemas"]["Timestamp"] | null;
            /** @description How many times ShowCommand handed it out (more than 1 - a redelivery after a lease ended). */
            deliveries: number;
            /** @description When its report arrived; null until then. */
            completed_at: components["schemas"]["Timestamp"] | null;
            /** @description The report that completed it (`result_id` in the results list); null until then. */
            result_id: number | null;
            /** @description When an operator cancelled it; null unless cancelled. */
            cancelled_at: components["schemas"]["Timestamp"] | null;
        };
        /** @description A page of a source server's commands, oldest first. */
        QueuedCommandPage: {
            commands: components["schemas"]["QueuedCommand"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /** @description The parameters ShowCommand hands out with the command (its `command_param`). */
        NewCommandParam: {
            /** @description The task ID. */
            task_id?: components["schemas"]["Label"];
            /** @description The bucket name. */
            bucket?: components["schemas"]["Label"];
        };
        /** @description A command to queue for the source server's Agent; ShowCommand hands it out with its `command_param`. */
        NewCommand: {
            command_name: components["schemas"]["QueuedCommandName"];
            command_param?: components["schemas"]["NewCommandParam"];
        };
        /**
         * @description The command name. The value can be START, STOP, DELETE, SYNC, UPLOAD_LOG, or RSET_LOG_ACL
         *     (spelled as in the SMS API reference).
         * @enum {string}
         */
        ReportedCommandName: "START" | "STOP" | "DELETE" | "SYNC" | "UPLOAD_LOG" | "RSET_LOG_ACL";
        /** @description A report an Agent sent with UpdateCommandResult, as stored. */
        StoredResult: {
            result_id: number;
            command_name: components["schemas"]["ReportedCommandName"];
            /** @enum {string} */
            result: "success" | "fail";
            /**
             * @description The result_detail the Agent sent: an object as sent (a string of JSON that decodes to an
             *     object, as the SDK samples send it, is that object), or any other string as sent.
             */
            result_detail: {
                [key: string]: unknown;
            } | string;
            received_at: components["schemas"]["Timestamp"];
            /** @description The X-Request-Id of the UpdateCommandResult response that acknowledged it. */
            request_id: string;
            /** @description The command it completed; null when it matched none (unsolicited). */
            command_id: number | null;
            /** @description True when no leased command of that name awaited it (UPLOAD_LOG, RSET_LOG_ACL, a late duplicate). */
            unsolicited: boolean;
        };
        /** @description A page of a source server's reports, newest first. */
        StoredResultPage: {
            results: components["schemas"]["StoredResult"][];
            next_cursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description `agent`: the two Agent operations (its actions, on its source servers). `admin`: this API, nothing else.
         * @enum {string}
         */
        TokenKind: "agent" | "admin";
        /**
         * @description An Agent operation a token may perform, as Huawei's IAM names it.
         * @enum {string}
         */
        Action: "sms:server:getCommand" | "sms:server:updateCommandResult";
        /** @description A token as stored - never its secret. */
        Token: {
            token_id: string;
            name: string;
            kind: components["schemas"]["TokenKind"];
            /** @description The source servers an Agent token may act for; null - every one (and always null for admin tokens). */
            sources: components["schemas"]["ServerId"][] | null;
            /** @description The Agent operations it may perform (empty for admin tokens). */
            actions: components["schemas"]["Action"][];
            /** @enum {string} */
            status: "active" | "revoked" | "expired";
            /** @description When it stops working; null - never. */
            expires_at: components["schemas"]["Timestamp"] | null;
            revoked_at: components["schemas"]["Timestamp"] | null;
            created_at: components["schemas"]["Timestamp"];
        };
        /** @description Every token, oldest first - never their secrets. */
        TokenList: {
            tokens: components["schemas"]["Token"][];
        };
        /** @description A token to issue. An Agent token (the default) may be limited to source servers and actions; an admin token takes neither. */
        NewToken: {
            /** @description What the token is for. */
            name: components["schemas"]["Label"];
            kind?: components["schemas"]["TokenKind"];
            /** @description The registered source servers it may act for (Agent tokens only; default - every one). */
            sources?: components["schemas"]["ServerId"][];
            /** @description The operations it may perform (Agent tokens only; default - both). */
            actions?: components["schemas"]["Action"][];
            /** @description Its lifetime (at most ten years); omit it for a token that does not expire. */
            expires_in_seconds?: number;
        };
        /** @description A token just issued, with its secret - shown this once; only its SHA-256 hash is stored. */
        IssuedToken: {
            /** @description The secret to send as X-Auth-Token. Keep it now - it cannot be shown again. */
            token: string;
            token_id: string;
            name: string;
            kind: components["schemas"]["TokenKind"];
            /** @description The source servers an Agent token may act for; null - every one (and always null for admin tokens). */
            sources: components["schemas"]["ServerId"][] | null;
            /** @description The Agent operations it may perform (empty for admin tokens). */
            actions: components["schemas"]["Action"][];
            /** @enum {string} */
            status: "active" | "revoked" | "expired";
            /** @description When it stops working; null - never. */
            expires_at: components["schemas"]["Timestamp"] | null;
            revoked_at: components["schemas"]["Timestamp"] | null;
            created_at: components["schemas"]["Timestamp"];
        };
        /** @description An access key as the service keeps it - its AK and grants, never its SK. */
        AccessKey: {
            /** @description The access key ID (AK), sent in the signature's `Access=`; not a secret. */
            access_key: string;
            name: string;
            /** @description The source servers it may act for; null - every one. */
            sources: components["schemas"]["ServerId"][] | null;
            /** @description The Agent operations it may perform. */
            actions: components["schemas"]["Action"][];
            /** @enum {string} */
            status: "active" | "revoked" | "expired";
            /** @description When it stops working; null - never. */
            expires_at: components["schemas"]["Timestamp"] | null;
            revoked_at: components["schemas"]["Timestamp"] | null;
            created_at: components["schemas"]["Timestamp"];
        };
        /** @description Every access key, oldest first - never their secret keys. */
        AccessKeyList: {
            access_keys: components["schemas"]["AccessKey"][];
        };
        /** @description An access key (AK/SK) to issue for an Agent, limited like an Agent token to source servers and actions. */
        NewAccessKey: {
            /** @description What the access key is for. */
            name: components["schemas"]["Label"];
            /** @description The registered source servers it may act for (default - every one). */
            sources?: components["schemas"]["ServerId"][];
            /** @description The operations it may perform (default - both). */
            actions?: components["schemas"]["Action"][];
            /** @description Its lifetime (at most ten years); omit it for an access key that does not expire. */
            expires_in_seconds?: number;
        };
        /** @description An access key just issued, with its secret key (SK) - shown this once; the service keeps it only sealed (encrypted). */
        IssuedAccessKey: {
            /** @description The secret access key (SK) the Agent signs with. Keep it now - it cannot be shown again. */
            secret_key: string;
            /** @description The access key ID (AK), sent in the signature's `Access=`; not a secret. */
            access_key: string;
            name: string;
            /** @description The source servers it may act for; null - every one. */
            sources: components["schemas"]["ServerId"][] | null;
            /** @description The Agent operations it may perform. */
            actions: components["schemas"]["Action"][];
            /** @enum {string} */
            status: "active" | "revoked" | "expired";
            /** @description When it stops working; null - never. */
            expires_at: components["schemas"]["Timestamp"] | null;
            revoked_at: components["schemas"]["Timestamp"] | null;
            created_at: components["schemas"]["Timestamp"];
        };
    };
    responses: {
        /** @description Bad request. The message names the offending parameter or field and what was expected. */
        AdminBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Unauthorized. The X-Auth-Token header is missing, or the token is unknown, revoked, over-long or expired; or (Agent operations) the AK/SK signature does not verify. */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Forbidden. The token is an Agent token; the operator's API takes an admin token. */
        AdminForbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error_code": "SMS.9004",
                 *       "error_msg": "Token tok_3f9a0c21b7d4 is an Agent token; the operator's API takes an admin token (`npm run admin -- tokens create --name NAME --admin`)."
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Internal server error. The request can be retried; quote the X-Request-Id if it persists. */
        InternalServerError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error_code": "SMS.2007",
                 *       "error_msg": "Backend exception; retry the request. If it persists, report request ID 5f0a3c9e-8a51-4b8e-9d43-2c7f4a1b6e20."
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Conflict. The request contradicts the current state (a source server registered already, a command no longer pending). */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The service cannot keep writes now (for example its database file was deleted, replaced or made
         *     read-only, or the database is read-only), so it refuses the request rather than acknowledge what it
         *     could not keep. Nothing was stored or handed out; retry later. Its readiness check (`/readyz`) fails
         *     meanwhile.
         */
        ServiceUnavailable: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error_code": "SMS.2012",
                 *       "error_msg": "The database cannot keep writes now: the database file ./data/sms.sqlite was deleted. Nothing was stored; retry later."
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not found. The source server, command, token or access key the request names does not exist. */
        AdminNotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /**
         * @description How many items one page holds at most.
         * @example 100
         */
        Limit: number;
        /**
         * @description Where the page starts - the `next_cursor` of the previous page of the same list (opaque). Omit it for the first page.
         * @example cjo0Mg
         */
        Cursor: string;
        /**
         * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
         *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
         *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
         * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
         */
        ServerId: string;
        /**
         * @description Only commands in this state.
         * @example pending
         */
        CommandStateFilter: components["schemas"]["CommandState"];
        /**
         * @description The ID of a command, as `POST /admin/v1/sources/{server_id}/commands` answered it.
         * @example 42
         */
        CommandId: number;
        /**
         * @description The ID of a token (not its secret), as `POST /admin/v1/tokens` answered it.
         * @example tok_3f9a0c21b7d4
         */
        TokenId: string;
        /**
         * @description The access key ID (AK) of an access key, as `POST /admin/v1/access_keys` answered it.
         * @example AKSMS7Q2M4XKD9F3HJ6PW
         */
        AccessKeyId: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description The ID of this request, unique per response. Huawei Cloud's SDKs read it into `request_id`; quote it when reporting a problem.
         * @example 5f0a3c9e-8a51-4b8e-9d43-2c7f4a1b6e20
         */
        "X-Request-Id": string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    ListSources: {
        parameters: {
            query?: {
                /**
                 * @description How many items one page holds at most.
                 * @example 100
                 */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description Where the page starts - the `next_cursor` of the previous page of the same list (opaque). Omit it for the first page.
                 * @example cjo0Mg
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of source servers. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "sources": [
                     *         {
                     *           "server_id": "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f",
                     *           "name": "web-01",
                     *           "created_at": "2026-11-29T16:15:10.000Z",
                     *           "last_poll_at": "2026-11-29T16:20:01.250Z",
                     *           "last_report_at": "2026-11-29T16:19:42.017Z",
                     *           "held_command": {
                     *             "command_id": 42,
                     *             "command_name": "SYNC",
                     *             "lease_expires_at": "2026-11-29T16:29:58.731Z"
                     *           }
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["SourceServerPage"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            500: components["responses"]["InternalServerError"];
        };
    };
    CreateSource: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "server_id": "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f",
                 *       "name": "web-01"
                 *     }
                 */
                "application/json": components["schemas"]["NewSourceServer"];
            };
        };
        responses: {
            /** @description Registered. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "server_id": "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f",
                     *       "name": "web-01",
                     *       "created_at": "2026-11-29T16:15:10.000Z",
                     *       "last_poll_at": null,
                     *       "last_report_at": null,
                     *       "held_command": null
                     *     }
                     */
                    "application/json": components["schemas"]["SourceServer"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ShowSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
                 *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
                 *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
                 * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
                 */
                server_id: components["parameters"]["ServerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The source server. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "server_id": "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f",
                     *       "name": "web-01",
                     *       "created_at": "2026-11-29T16:15:10.000Z",
                     *       "last_poll_at": "2026-11-29T16:20:01.250Z",
                     *       "last_report_at": null,
                     *       "held_command": {
                     *         "command_id": 41,
                     *         "command_name": "START",
                     *         "lease_expires_at": "2026-11-29T16:29:58.731Z"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["SourceServer"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminNotFound"];
            500: components["responses"]["InternalServerError"];
        };
    };
    ListCommands: {
        parameters: {
            query?: {
                /**
                 * @description Only commands in this state.
                 * @example pending
                 */
                state?: components["parameters"]["CommandStateFilter"];
                /**
                 * @description How many items one page holds at most.
                 * @example 100
                 */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description Where the page starts - the `next_cursor` of the previous page of the same list (opaque). Omit it for the first page.
                 * @example cjo0Mg
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                /**
                 * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
                 *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
                 *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
                 * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
                 */
                server_id: components["parameters"]["ServerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of commands. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "commands": [
                     *         {
                     *           "command_id": 41,
                     *           "server_id": "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f",
                     *           "command_name": "START",
                     *           "command_param": {
                     *             "task_id": "xxxxxxxxxxxxxxxxxxxxxxxx00000001"
                     *           },
                     *           "state": "done",
                     *           "enqueued_at": "2026-11-29T16:15:12.000Z",
                     *           "lease_expires_at": "2026-11-29T16:25:13.000Z",
                     *           "deliveries": 1,
                     *           "completed_at": "2026-11-29T16:19:42.017Z",
                     *           "result_id": 7,
                     *           "cancelled_at": null
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["QueuedCommandPage"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminNotFound"];
            500: components["responses"]["InternalServerError"];
        };
    };
    CreateCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
                 *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
                 *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
                 * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
                 */
                server_id: components["parameters"]["ServerId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewCommand"];
            };
        };
        responses: {
            /** @description Queued. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "command_id": 41,
                     *       "server_id": "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f",
                     *       "command_name": "START",
                     *       "command_param": {
                     *         "task_id": "xxxxxxxxxxxxxxxxxxxxxxxx00000001"
                     *       },
                     *       "state": "pending",
                     *       "enqueued_at": "2026-11-29T16:15:12.000Z",
                     *       "lease_expires_at": null,
                     *       "deliveries": 0,
                     *       "completed_at": null,
                     *       "result_id": null,
                     *       "cancelled_at": null
                     *     }
                     */
                    "application/json": components["schemas"]["QueuedCommand"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminNotFound"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    CancelCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
                 *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
                 *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
                 * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
                 */
                server_id: components["parameters"]["ServerId"];
                /**
                 * @description The ID of a command, as `POST /admin/v1/sources/{server_id}/commands` answered it.
                 * @example 42
                 */
                command_id: components["parameters"]["CommandId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled; the command as it is now. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "command_id": 42,
                     *       "server_id": "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f",
                     *       "command_name": "SYNC",
                     *       "command_param": {
                     *         "task_id": "xxxxxxxxxxxxxxxxxxxxxxxx00000001"
                     *       },
                     *       "state": "cancelled",
                     *       "enqueued_at": "2026-11-29T16:15:12.000Z",
                     *       "lease_expires_at": null,
                     *       "deliveries": 0,
                     *       "completed_at": null,
                     *       "result_id": null,
                     *       "cancelled_at": "2026-11-29T16:16:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["QueuedCommand"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminNotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ListResults: {
        parameters: {
            query?: {
                /**
                 * @description How many items one page holds at most.
                 * @example 100
                 */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description Where the page starts - the `next_cursor` of the previous page of the same list (opaque). Omit it for the first page.
                 * @example cjo0Mg
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                /**
                 * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
                 *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
                 *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
                 * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
                 */
                server_id: components["parameters"]["ServerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of reports. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "results": [
                     *         {
                     *           "result_id": 7,
                     *           "command_name": "START",
                     *           "result": "success",
                     *           "result_detail": {
                     *             "msg": "xxx"
                     *           },
                     *           "received_at": "2026-11-29T16:19:42.017Z",
                     *           "request_id": "5f0a3c9e-8a51-4b8e-9d43-2c7f4a1b6e20",
                     *           "command_id": 41,
                     *           "unsolicited": false
                     *         }
                     *       ],
                     *       "next_cursor": "cjo3"
                     *     }
                     */
                    "application/json": components["schemas"]["StoredResultPage"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminNotFound"];
            500: components["responses"]["InternalServerError"];
        };
    };
    ListTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tokens. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "tokens": [
                     *         {
                     *           "token_id": "tok_3f9a0c21b7d4",
                     *           "name": "agent-web-01",
                     *           "kind": "agent",
                     *           "sources": [
                     *             "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f"
                     *           ],
                     *           "actions": [
                     *             "sms:server:getCommand",
                     *             "sms:server:updateCommandResult"
                     *           ],
                     *           "status": "active",
                     *           "expires_at": null,
                     *           "revoked_at": null,
                     *           "created_at": "2026-11-29T16:15:10.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["TokenList"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            500: components["responses"]["InternalServerError"];
        };
    };
    CreateToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewToken"];
            };
        };
        responses: {
            /** @description Issued. `token` is the secret - shown this once. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "token": "sms_5m0yHfQeT2o3xVb9JrLkP8aWc1dNqZs4uGi7EhY6tMw",
                     *       "token_id": "tok_3f9a0c21b7d4",
                     *       "name": "agent-web-01",
                     *       "kind": "agent",
                     *       "sources": [
                     *         "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f"
                     *       ],
                     *       "actions": [
                     *         "sms:server:getCommand",
                     *         "sms:server:updateCommandResult"
                     *       ],
                     *       "status": "active",
                     *       "expires_at": "2026-12-29T16:15:10.000Z",
                     *       "revoked_at": null,
                     *       "created_at": "2026-11-29T16:15:10.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["IssuedToken"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminNotFound"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    RevokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The ID of a token (not its secret), as `POST /admin/v1/tokens` answered it.
                 * @example tok_3f9a0c21b7d4
                 */
                token_id: components["parameters"]["TokenId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked; the token as it is now. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "token_id": "tok_3f9a0c21b7d4",
                     *       "name": "agent-web-01",
                     *       "kind": "agent",
                     *       "sources": null,
                     *       "actions": [
                     *         "sms:server:getCommand",
                     *         "sms:server:updateCommandResult"
                     *       ],
                     *       "status": "revoked",
                     *       "expires_at": null,
                     *       "revoked_at": "2026-11-29T17:00:00.000Z",
                     *       "created_at": "2026-11-29T16:15:10.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminNotFound"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ListAccessKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The access keys. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "access_keys": [
                     *         {
                     *           "access_key": "AKSMS7Q2M4XKD9F3HJ6PW",
                     *           "name": "agent-web-01",
                     *           "sources": [
                     *             "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f"
                     *           ],
                     *           "actions": [
                     *             "sms:server:getCommand",
                     *             "sms:server:updateCommandResult"
                     *           ],
                     *           "status": "active",
                     *           "expires_at": null,
                     *           "revoked_at": null,
                     *           "created_at": "2026-12-01T16:15:10.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["AccessKeyList"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            500: components["responses"]["InternalServerError"];
        };
    };
    CreateAccessKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewAccessKey"];
            };
        };
        responses: {
            /** @description Issued. `secret_key` is the SK - shown this once. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "secret_key": "Q8vYk2bN5rT1wZ7mC4xD9fH3jL6pS0aE2gU5iO8e",
                     *       "access_key": "AKSMS7Q2M4XKD9F3HJ6PW",
                     *       "name": "agent-web-01",
                     *       "sources": [
                     *         "f32ab4d6-d150-4fb3-aa55-edbb5cf9947f"
                     *       ],
                     *       "actions": [
                     *         "sms:server:getCommand",
                     *         "sms:server:updateCommandResult"
                     *       ],
                     *       "status": "active",
                     *       "expires_at": "2027-03-01T16:15:10.000Z",
                     *       "revoked_at": null,
                     *       "created_at": "2026-12-01T16:15:10.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["IssuedAccessKey"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminNotFound"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    RevokeAccessKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The access key ID (AK) of an access key, as `POST /admin/v1/access_keys` answered it.
                 * @example AKSMS7Q2M4XKD9F3HJ6PW
                 */
                access_key: components["parameters"]["AccessKeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked; the access key as it is now. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "access_key": "AKSMS7Q2M4XKD9F3HJ6PW",
                     *       "name": "agent-web-01",
                     *       "sources": null,
                     *       "actions": [
                     *         "sms:server:getCommand",
                     *         "sms:server:updateCommandResult"
                     *       ],
                     *       "status": "revoked",
                     *       "expires_at": null,
                     *       "revoked_at": "2026-12-01T17:00:00.000Z",
                     *       "created_at": "2026-12-01T16:15:10.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["AccessKey"];
                };
            };
            400: components["responses"]["AdminBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminNotFound"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
