import { flushTemplateChecks } from './index';

// Every template a test file queued with checkStack() is linted once, after the file's tests.
afterAll(() => {
  flushTemplateChecks();
});
