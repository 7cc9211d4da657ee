/** The actions a token can grant, named as Huawei's IAM names them for the two Agent operations. */
export type Action = 'sms:server:getCommand' | 'sms:server:updateCommandResult';
export const ACTIONS: readonly Action[] = ['sms:server:getCommand', 'sms:server:updateCommandResult'];
