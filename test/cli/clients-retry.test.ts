// The CLI's AWS clients keep the SDK's standard retry mode ("Retry behavior", AWS SDKs and Tools
// Reference Guide: three attempts; throttling, HTTP 500/502/503/504 and network errors retried):
// shown with a real client against a local endpoint (aws-sdk-client-mock would replace send, and
// with it the SDK's retries).
import * as http from 'http';
import { AddressInfo } from 'net';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { lazyClients } from '../../src/cli/clients';

describe('CLI clients', () => {
  test('the CLI\'s clients retry a 503 themselves (SDK standard mode, real client, local endpoint)', async () => {
    let requests = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      requests++;
      if (requests === 1) {
        res.writeHead(503);
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ clusterArns: ['arn:aws:ecs:us-east-1:123456789012:cluster/prod'] }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_ECS: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_REGION: 'us-east-1',
      });
      delete process.env.AWS_MAX_ATTEMPTS;
      delete process.env.AWS_RETRY_MODE;
      delete process.env.AWS_PROFILE;
      const real = lazyClients({ region: 'us-east-1' }).ecs;
      const out = await real.send(new ListClustersCommand({}));
      expect(out.clusterArns).toEqual(['arn:aws:ecs:us-east-1:123456789012:cluster/prod']);
      expect(requests).toBe(2);
      expect(out.$metadata.attempts).toBe(2);
    } finally {
      process.env = saved;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
