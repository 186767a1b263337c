import { explainSetupError, SetupEnv } from '../../src/cli/aws-setup';

// The SDK's own errors for a missing configuration, as the bundled CLI meets them (test/cli/main.test.ts runs it).
const NO_REGION = new Error('Region is missing');
const NO_CREDENTIALS = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

/** An environment with these files (path -> text) and variables. */
function env(fileTexts: Record<string, string>, vars: Record<string, string> = {}): SetupEnv {
  return {
    vars: { HOME: '/home/ops', ...vars },
    readFile: (file) => {
      if (!(file in fileTexts)) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      return fileTexts[file];
    },
  };
}

describe('explainSetupError', () => {
  test('other errors are left as they are', () => {
    expect(explainSetupError(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }), {}, env({}))).toBeUndefined();
  });

  test('a profile that exists but has no region: the region sources and the profile\'s own fix', () => {
    const e = env({ '/home/ops/.aws/config': '[default]\nregion = eu-west-1\n\n[profile ops]\nsso_session = corp\n' });
    expect(explainSetupError(NO_REGION, { profile: 'ops' }, e)).toBe(
      'no AWS Region: no --region, no AWS_REGION, and profile \'ops\' (from --profile) has no region in /home/ops/.aws/config; ' +
      'pass --region <region> or set AWS_REGION (or: aws configure set region <region> --profile ops)');
  });

  test('a profile found in the credentials file only is not reported missing; its credentials failing is', () => {
    const e = env({ '/home/ops/.aws/credentials': '[ops]\naws_access_key_id = AKIA\n' }, { AWS_PROFILE: 'ops' });
    const message = explainSetupError(NO_CREDENTIALS, {}, e)!;
    expect(message).toMatch(/^no AWS credentials: tried profile 'ops' \(from AWS_PROFILE\) in \/home\/ops\/.aws\/config and \/home\/ops\/.aws\/credentials/);
    expect(message).toMatch(/aws sso login --profile ops/);
  });

  test('AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are the files named', () => {
    const e = env({}, { AWS_CONFIG_FILE: '/etc/aws/config', AWS_SHARED_CREDENTIALS_FILE: '/etc/aws/credentials' });
    expect(explainSetupError(NO_CREDENTIALS, { profile: 'ci' }, e)).toBe(
      'profile \'ci\' (from --profile) is not in /etc/aws/config (no such file) or /etc/aws/credentials (no such file): ' +
      'create it (aws configure --profile ci, or aws configure sso), or pass --profile <name> of a profile you have (aws configure list-profiles)');
  });

  test('--profile is named before AWS_PROFILE (the command line wins)', () => {
    expect(explainSetupError(NO_CREDENTIALS, { profile: 'cli' }, env({}, { AWS_PROFILE: 'envp' }))).toMatch(/^profile 'cli' \(from --profile\)/);
  });
});
