/** The example values every test, bench and contract run shares: the docs' source server and its neighbours. */

/** The source server of the API reference's examples. */
export const EXAMPLE_SOURCE = 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f';
/** A well-formed source server ID that is never registered (404). */
export const UNREGISTERED_SOURCE = 'f32ab4d6-d150-4fb3-aa55-000000000404';
/** A second registered source server: a token scoped to it may not act on EXAMPLE_SOURCE (403). */
export const OTHER_SOURCE = 'other-source';
/** The task_id of the API reference's START example. */
export const EXAMPLE_TASK_ID = 'xxxxxxxxxxxxxxxxxxxxxxxx00000001';
/** The UpdateCommandResult body of the API reference's example. */
export const EXAMPLE_REPORT = { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } } as const;
