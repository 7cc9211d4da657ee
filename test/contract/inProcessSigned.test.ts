/**
 * The contract suite against the server in-process on SQLite with AK/SK signatures instead of tokens (the
 * gated target of the Agent contract's second credential): every Agent request signed as the client signs.
 */
import { GATED_SIGNED_TARGET } from '../../contract/coverage.js';
import { inProcessTarget } from './inProcessTarget.js';
import { contractSuite } from './suite.js';

contractSuite({ name: 'in-process AK/SK (SQLite)', open: () => inProcessTarget(GATED_SIGNED_TARGET, 'sqlite::memory:', { signed: true }) });
