import {afterAll} from 'vitest';

import {ScratchProject} from './e2e/scratchProject';

// Tests leave nothing behind in the temporary directory: every scratch project of a test file is
// removed once that file is done.
afterAll(() => {
  ScratchProject.removeAll();
});
