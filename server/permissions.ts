/** The actions a token can grant, named as Huawei's IAM names them for the two Agent operations. */
import type { OperationId } from '../generated/routes.js';

export type Action = 'sms:server:getCommand' | 'sms:server:updateCommandResult';
export const ACTIONS: readonly Action[] = ['sms:server:getCommand', 'sms:server:updateCommandResult'];

/** The action each Agent operation requires (an operation added to the spec without one fails `tsc`). */
export const REQUIRED_ACTION: Readonly<Record<OperationId, Action>> = {
  ShowCommand: 'sms:server:getCommand',
  UpdateCommandResult: 'sms:server:updateCommandResult',
};
