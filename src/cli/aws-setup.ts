// The SDK's errors for a missing AWS configuration ("Region is missing", "Could not load
// credentials from any providers") say neither what was tried nor how to fix it. This module
// rewords them: which region and profile sources the CLI looked at, which files it read, and
// the command line or command that fixes it.
//
// What the SDK reads (AWS SDK for JavaScript v3 Developer Guide, "Set the AWS Region": the
// client's region, then AWS_REGION, then the shared config file; AWS SDKs and Tools Reference
// Guide, "Shared config and credentials files": AWS_PROFILE picks the profile, AWS_CONFIG_FILE
// and AWS_SHARED_CREDENTIALS_FILE move the files from ~/.aws/config and ~/.aws/credentials, a
// profile is `[profile name]` in config (`[default]` for the default one) and `[name]` in
// credentials).
import * as os from 'os';
import * as path from 'path';

/** What the command line said (`--region`, `--profile`). */
export interface SetupSettings {
  readonly region?: string;
  readonly profile?: string;
}

/** Environment variables and file reading, injected for tests. */
export interface SetupEnv {
  readonly vars: Readonly<Record<string, string | undefined>>;
  /** Reads a file; throws when it does not exist. */
  readFile(file: string): string;
}

/** The profile the SDK uses and where it came from. */
function profileOf(settings: SetupSettings, vars: SetupEnv['vars']): { name: string; source: string; explicit: boolean } {
  if (settings.profile) return { name: settings.profile, source: '--profile', explicit: true };
  if (vars.AWS_PROFILE) return { name: vars.AWS_PROFILE, source: 'AWS_PROFILE', explicit: true };
  return { name: 'default', source: 'no --profile or AWS_PROFILE', explicit: false };
}

function files(vars: SetupEnv['vars']): { config: string; credentials: string } {
  const home = vars.HOME || vars.USERPROFILE || os.homedir();
  return {
    config: vars.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: vars.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

/** The section of `name` in an INI file's text (`[profile name]` in config), or undefined. */
function section(text: string | undefined, headers: string[]): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => headers.includes(l.trim().replace(/^\[\s*|\s*\]$/g, '').replace(/\s+/g, ' ')) && /^\s*\[/.test(l));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

function read(env: SetupEnv, file: string): string | undefined {
  try {
    return env.readFile(file);
  } catch {
    return undefined;
  }
}

/**
 * A message that says what was tried and how to fix it, for an SDK error caused by a missing
 * region, profile or credentials; undefined for any other error.
 */
export function explainSetupError(err: unknown, settings: SetupSettings, env: SetupEnv): string | undefined {
  const e = err as { name?: string; message?: string } | undefined;
  const message = e?.message ?? '';
  const missingRegion = /^Region is missing/.test(message);
  const noCredentials = e?.name === 'CredentialsProviderError' || /Could not (load|resolve) credentials/.test(message);
  if (!missingRegion && !noCredentials) return undefined;
  const { config, credentials } = files(env.vars);
  const profile = profileOf(settings, env.vars);
  const configText = read(env, config);
  const credentialsText = read(env, credentials);
  const configSection = section(configText, profile.name === 'default' ? ['default', 'profile default'] : [`profile ${profile.name}`]);
  const credentialsSection = section(credentialsText, [profile.name]);
  const named = `profile '${profile.name}' (from ${profile.source})`;
  const absent = profile.explicit && configSection === undefined && credentialsSection === undefined;
  const notFound = `${named} is not in ${config}${configText === undefined ? ' (no such file)' : ''} or ${credentials}` +
    `${credentialsText === undefined ? ' (no such file)' : ''}: create it (aws configure --profile ${profile.name}, or aws configure sso), ` +
    'or pass --profile <name> of a profile you have (aws configure list-profiles)';
  if (missingRegion) {
    const where = profile.explicit ? named : `the default profile (${profile.source})`;
    return `no AWS Region: no --region, no AWS_REGION, and ${where} has no region in ${config}${configText === undefined ? ' (no such file)' : ''}; ` +
      `pass --region <region> or set AWS_REGION (or: aws configure set region <region>${profile.explicit ? ` --profile ${profile.name}` : ''})` +
      (absent ? `. Also, ${notFound}` : '');
  }
  if (absent) return notFound;
  const tried = profile.explicit
    ? `${named} in ${config} and ${credentials} (keys, SSO, role or credential process)`
    : 'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the default profile in ' +
      `${config} and ${credentials}, SSO, web identity, and the container and instance metadata endpoints`;
  return `no AWS credentials: tried ${tried}; ${profile.explicit ? `sign in for that profile (aws sso login --profile ${profile.name}) or give it keys (aws configure --profile ${profile.name})`
    : 'pass --profile <name> (aws configure list-profiles), set AWS_PROFILE, or run aws configure'}`;
}
