/** The contract suite against the server in-process on SQLite (the gated target). */
import { inProcessTarget } from './inProcessTarget.js';
import { contractSuite } from './suite.js';

contractSuite({ name: 'in-process (SQLite)', open: () => inProcessTarget('in-process', 'sqlite::memory:') });
