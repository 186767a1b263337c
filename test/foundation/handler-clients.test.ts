// Every AWS SDK client a Lambda handler builds takes the shared handler settings
// (src/private/retry.ts, handlerClientConfig): one SDK attempt, so that withRetry's retries are
// the only ones (three SDK attempts times five would be fifteen calls), and connection and request
// time limits, so that a hung call ends as a retried TimeoutError instead of in the Lambda timeout.
// Checked on the sources: each `new ...Client(...)` outside the CLI.
import * as fs from 'fs';
import * as path from 'path';
import { handlerClientConfig } from '../../src/private/retry';

const SRC = path.join(__dirname, '..', '..', 'src');

/** The handler sources and the modules they build clients in (not the CLI: it keeps the SDK's standard retry mode). */
function handlerSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'cli') walk(file);
      } else if (entry.name.endsWith('.ts')) {
        out.push(file);
      }
    }
  };
  walk(SRC);
  return out.filter((f) => /new (\w+\.)*\w+Client\(/.test(fs.readFileSync(f, 'utf-8')));
}

describe('handler SDK clients', () => {
  const files = handlerSources();

  test('the handlers that build clients are found', () => {
    const names = files.map((f) => path.relative(SRC, f)).sort();
    expect(names).toEqual(expect.arrayContaining([
      'hooks/handlers/analysis.lambda.ts', 'hooks/handlers/approval-gate.lambda.ts', 'hooks/handlers/metric-check.lambda.ts',
      'migration/cleanup-precondition.lambda.ts', 'routing/live-weights-handler/in-flight-deployments.ts',
      'routing/live-weights-handler/lattice.ts', 'routing/live-weights.lambda.ts',
    ]));
  });

  test.each(handlerSources().map((f) => [path.relative(SRC, f)]))('%s builds every client with handlerClientConfig()', (file) => {
    const text = fs.readFileSync(path.join(SRC, file), 'utf-8');
    const constructions = [...text.matchAll(/new ((?:\w+\.)*\w+Client)\(((?:[^()]|\(\))*)\)/g)];
    expect(constructions.length).toBeGreaterThan(0);
    for (const [, client, args] of constructions) {
      expect(`${client}(${args})`).toBe(`${client}(handlerClientConfig())`);
    }
  });

  test('the settings: one attempt, time limits that end a hung call with an error', () => {
    expect(handlerClientConfig()).toEqual({
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
    });
    // A fresh object each time: no client can change another's settings.
    expect(handlerClientConfig()).not.toBe(handlerClientConfig());
  });
});
