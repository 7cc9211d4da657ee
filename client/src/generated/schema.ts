/**
 * DO NOT EDIT: generated from spec/ by `npm run generate`; `npm run check:generated` fails when it drifts.
 */

export interface paths {
    "/v3/sources/{server_id}/command": {
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
         * Obtaining Commands from SMS
         * @description Called by the migration Agent on a source server to obtain its next command.
         *
         *     The service hands out the oldest command of this source server that is pending, or whose lease
         *     has expired, and leases it to the caller (600 seconds by default). A leased command is not handed
         *     out again until its lease expires without a result being reported (at-least-once delivery), so a
         *     later command (for example STOP while START is running) can be delivered meanwhile.
         *
         *     When nothing is pending the answer is `SKIP` with no `command_param`: poll again later.
         *
         *     Required action: `sms:server:getCommand`.
         */
        get: operations["ShowCommand"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/sources/{server_id}/command_result": {
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
        get?: never;
        put?: never;
        /**
         * Reporting Command Execution Results to SMS
         * @description Called by the Agent to send the execution result of a specified command to SMS.
         *
         *     Every report that is answered `200` is stored durably. A report completes the oldest leased
         *     command of the same name for this source server; a report that matches no command (UPLOAD_LOG,
         *     RSET_LOG_ACL, or a late duplicate) is still stored, marked unsolicited.
         *
         *     The body is `application/json` of at most 10,240 bytes (the server's default limit; an operator
         *     can change it). A larger body is answered `400` (`SMS.2004`).
         *
         *     Required action: `sms:server:updateCommandResult`.
         */
        post: operations["UpdateCommandResult"];
        delete?: never;
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
         * @description The command name. The options are START, STOP, DELETE, SYNC, and SKIP.
         *     SKIP means there is nothing to do now: poll again later.
         *
         *     The service adds commands over time (since 2026 it also sends PREMIGRATE, TASK_NOT_STARTED,
         *     TASK_HAS_STOPPED and TASK_HAS_FINISHED). A client must tolerate a name it does not know: it cannot
         *     run or report it, and should keep polling at its interval.
         * @enum {string}
         */
        CommandName: "START" | "STOP" | "DELETE" | "SYNC" | "SKIP";
        /** @description The command response parameters. */
        CommandParam: {
            /** @description The task ID. */
            task_id?: string;
            /** @description The bucket name. */
            bucket?: string;
        };
        /**
         * @description The next command for the Agent. When nothing is pending, `command_name` is `SKIP` and
         *     `command_param` is absent.
         */
        Command: {
            command_name: components["schemas"]["CommandName"];
            command_param?: components["schemas"]["CommandParam"];
        };
        /** @description The error body of 400, 401, 404 and 500 responses. */
        Error: {
            /** @description The error code (see the table in the API description). */
            error_code: string;
            /** @description The error message. */
            error_msg: string;
        };
        /** @description One error detail of a 403 response. */
        ErrorDetail: {
            /** @description The SMS error code. */
            error_code: string;
            /** @description The SMS error message. */
            error_msg: string;
        };
        /** @description The error body of 403 responses. */
        ForbiddenError: {
            /** @description The error code. */
            error_code: string;
            /** @description The error message. */
            error_msg: string;
            /** @description The encrypted authorization information. */
            encoded_authorization_message?: string;
            /** @description Invalid parameters. */
            error_param?: string[];
            /** @description The error details. */
            details?: components["schemas"]["ErrorDetail"][];
        };
        /**
         * @description The command name. The value can be START, STOP, DELETE, SYNC, UPLOAD_LOG, or RSET_LOG_ACL
         *     (spelled as in the SMS API reference).
         * @enum {string}
         */
        ReportedCommandName: "START" | "STOP" | "DELETE" | "SYNC" | "UPLOAD_LOG" | "RSET_LOG_ACL";
        /**
         * @description The command execution result in JSON format. This parameter is used only to save command
         *     execution results to the SMS database.
         *
         *     Send a JSON object. The official SDK samples (Java, Python, Go) send it as a string of JSON
         *     (`"{\"msg\":\"xxx\"}"`): a string that decodes to a JSON object is stored as that object. Any
         *     other string is stored as that string. Nothing else (a number, an array, `true`, `null`) is
         *     accepted.
         */
        ResultDetail: {
            [key: string]: unknown;
        } | string;
        /** @description The execution result of a command (the SDKs' `CommandBody`). */
        CommandBody: {
            command_name: components["schemas"]["ReportedCommandName"];
            /**
             * @description The command execution result.
             *     `success`: The command is executed successfully.
             *     `fail`: The command fails to be executed.
             * @enum {string}
             */
            result: "success" | "fail";
            result_detail: components["schemas"]["ResultDetail"];
        };
        /** @description Reporting command execution results to SMS succeeded. The body is an empty JSON object. */
        UpdateCommandResultResponse: Record<string, never>;
    };
    responses: {
        /** @description Bad request. The message names the offending field and what was expected. */
        BadRequest: {
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
        /** @description Authentication failed. The token may not perform this action on this source server. */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error_code": "SMS.9004",
                 *       "error_msg": "The current account does not have the permission to execute policy. You do not have permission to perform action XXX on resource XXX.",
                 *       "encoded_authorization_message": "XXXXXX",
                 *       "error_param": [
                 *         "You do not have permission to perform action XXX on resource XXX."
                 *       ],
                 *       "details": [
                 *         {
                 *           "error_code": "SMS.9004",
                 *           "error_msg": "You do not have permission to perform action XXX on resource XXX."
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["ForbiddenError"];
            };
        };
        /** @description Not found. The source server is not registered. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error_code": "SMS.2006",
                 *       "error_msg": "Source server f32ab4d6-d150-4fb3-aa55-edbb5cf9947f is not registered. Register it with `npm run admin -- sources add <server_id>`."
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
    };
    parameters: {
        /**
         * @description The ID of the source server (1 to 36 characters): the server the command is sent to, or for which
         *     the Agent reports the command execution result. Letters, digits, `-` and `_` only; any other
         *     character (a `/`, `.`, a space or a control character) is answered `400` (`SMS.2001`).
         * @example f32ab4d6-d150-4fb3-aa55-edbb5cf9947f
         */
        ServerId: string;
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
    ShowCommand: {
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
            /** @description Obtaining commands from SMS succeeded. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    UpdateCommandResult: {
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
                "application/json": components["schemas"]["CommandBody"];
            };
        };
        responses: {
            /** @description Reporting command execution results to SMS succeeded. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /** @example {} */
                    "application/json": components["schemas"]["UpdateCommandResultResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
