// Shared test helpers for @xent/nn: the repository's test utilities (test/utils.ts).
export { expectXentError as expectXent } from '../../../test/utils.js';
