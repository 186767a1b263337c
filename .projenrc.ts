import { awscdk, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// aws-cdk-lib 2.257.0 is the newest release whose cloud assembly (schema 53) the newest
// integ-runner on the registry (2.197.10) can read. The peer range stays open (^2.257.0)
// and `test:latest-cdk` runs the unit tests against the newest aws-cdk-lib as well.
const CDK_VERSION = '2.257.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-ecs-blue-green',
  description:
    'AWS CDK constructs for Amazon ECS blue/green, linear and canary deployments with the ECS deployment controller, and for migrating services off AWS CodeDeploy.',
  author: 'cdk-ecs-blue-green maintainers',
  authorAddress: 'maintainers@cdk-ecs-blue-green.dev',
  repositoryUrl: 'https://github.com/cdk-ecs-blue-green/cdk-ecs-blue-green.git',
  keywords: ['cdk', 'aws-cdk', 'ecs', 'blue-green', 'canary', 'linear', 'codedeploy', 'deployment'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  cdkVersion: CDK_VERSION,
  // Peer ranges stay open (aws-cdk-lib ^2.257.0, constructs ^10.5.1) in every jsii target; projen pins
  // the devDependencies to the minimum (peerDependencyOptions.pinnedDevDependency, its default), so
  // development, snapshots and integ-runner stay on 2.257.0.
  cdkVersionPinning: false,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // jsii publishing targets (packaged by `npm run package:all`; CI builds the Python one only).
  publishToPypi: {
    distName: 'cdk-ecs-blue-green',
    module: 'cdk_ecs_blue_green',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkecsbluegreen',
    mavenGroupId: 'io.github.cdkecsbluegreen',
    mavenArtifactId: 'cdk-ecs-blue-green',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-ecs-blue-green/cdk-ecs-blue-green-go',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkEcsBlueGreen',
    packageId: 'CdkEcsBlueGreen',
  },

  // CI is `.ci/run`; no hosted workflows are generated.
  github: false,
  release: false,

  // Lambda handlers (`*.lambda.ts`) are bundled by esbuild at build time. The AWS SDK v3 comes
  // from the Node.js runtime and is never bundled.
  // Handlers are bundled explicitly below (no generated *-function.ts classes): the constructs
  // that deploy them load the bundles from assets/.
  lambdaAutoDiscover: false,

  // The operator CLI (src/cli/) is not part of the jsii API: jsii never compiles it, esbuild bundles
  // it (AWS SDK included) into assets/cli/ecs-blue-green/index.js, which npm installs as `bin`.
  excludeTypescript: ['src/cli/**/*.ts'],
  bin: { 'ecs-blue-green': 'assets/cli/ecs-blue-green/index.js' },

  experimentalIntegRunner: true,
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: { include: ['.projenrc.ts', 'examples/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'] },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'scripts', 'projenrc', '.projenrc.ts'],
    // Report problems; never rewrite files during a test run.
    commandOptions: { fix: false },
  },

  jestOptions: {
    // Never rewrite snapshots during a test run: a changed snapshot must fail.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // Jest's default (cores - 1) leaves one of CI's two cores idle; the suites are CPU-bound synthesis.
      maxWorkers: '100%',
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-setup.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integ\\.', '\\.snapshot/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
    },
  },

  devDeps: [
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    '@aws-cdk/integ-runner@2.197.10',
    // integ-runner drags in an old CLI; pin a current one for examples and integ.
    'aws-cdk@^2.1148.1',
    // cdk-nag 3.x reports nothing on aws-cdk-lib 2.257; 2.x works.
    'cdk-nag@^2.38.2',
    '@aws-sdk/client-ecs',
    '@aws-sdk/client-elastic-load-balancing-v2',
    '@aws-sdk/client-ssm',
    '@aws-sdk/client-cloudwatch',
    '@aws-sdk/client-codedeploy',
    // The CLI's `plan` finds the pipelines that deploy a CodeDeploy deployment group.
    '@aws-sdk/client-codepipeline',
    '@aws-sdk/client-route-53',
    '@aws-sdk/client-cloudfront',
    '@aws-sdk/client-cloudformation',
    // The CLEANUP check of an API Gateway routing layer reads the live integration.
    '@aws-sdk/client-apigatewayv2',
    '@aws-sdk/client-api-gateway',
    // The live-weights reader reads VPC Lattice rules (GetRule, ListRules).
    '@aws-sdk/client-vpc-lattice',
    // The CLI's command-line parser, bundled into it like the SDK clients. 14 is the newest major
    // for Node.js 20 (15 needs 22.12).
    'commander@^14',
    '@types/aws-lambda',
    'aws-sdk-client-mock@^4.1.0',
    'esbuild',
    'fast-check',
    '@aws-cdk/cloudformation-diff',
  ],
  // Non-jsii runtime dependencies must be bundled into the jsii package.
  // `yaml` reads CodeDeploy AppSpec files (src/migration/app-spec.ts).
  bundledDeps: ['yaml@^2'],
  gitignore: ['.tmp-readme-*/', '.venv/', '.venv-*/', '.tools/', 'cdk.out/', '*.cdk.out/', 'examples/**/cdk.out/', '.tmp/', 'test-reports/', 'test/java/target/'],
  npmIgnoreOptions: { ignorePatterns: ['.ci/', 'bench/', 'examples/', 'scripts/', '.venv/'] },
});

// Lambda handlers (`*.lambda.ts`) bundled by esbuild into assets/<path>/index.js: Node.js 22,
// minified, AWS SDK v3 left to the Lambda runtime.
for (const entry of [
  'src/hooks/handlers/http-smoke-test.lambda.ts',
  'src/hooks/handlers/approval-gate.lambda.ts',
  'src/hooks/handlers/metric-check.lambda.ts',
  'src/hooks/handlers/analysis.lambda.ts',
  'src/routing/live-weights.lambda.ts',
  'src/migration/cleanup-precondition.lambda.ts',
]) {
  project.bundler.addBundle(entry, {
    platform: 'node',
    target: 'node22',
    externals: ['@aws-sdk/*'],
    sourcemap: false,
    minify: true,
  });
}

// The operator CLI: one self-contained file for Node.js 20+ with the AWS SDK v3 bundled in (a
// jsii package cannot carry ordinary runtime dependencies). The entry file starts with a shebang.
project.bundler.addBundle('src/cli/ecs-blue-green.ts', {
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minify: true,
  executable: true,
});

// eslint's project service looks for the nearest tsconfig.json, which covers src/ only (jsii);
// tests, examples, scripts and benchmarks are typed by tsconfig.dev.json.
const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
// Lambda handlers (and the modules only they use, in `*-handler/` folders) import the AWS SDK v3
// that the Lambda runtime provides: a devDependency here.
project.eslint!.addOverride({
  files: ['src/**/*.lambda.ts', 'src/**/*-handler/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: true }] },
});
// The CLI bundles its AWS SDK clients and commander (devDependencies) into a single file.
project.eslint!.addOverride({
  files: ['src/cli/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: true }] },
});
eslintrc.addDeletionOverride('parserOptions.projectService');
eslintrc.addOverride('parserOptions.project', './tsconfig.dev.json');

// ---------------------------------------------------------------------------------------------
// Test command: `npm test` is the full check (compile, jest, eslint, integ snapshots, cfn-lint).
// ---------------------------------------------------------------------------------------------


// cfn-lint lives in a project-local virtualenv, created on demand (pip from PyPI).
project.addTask('cfn-lint:install', {
  description: 'Install cfn-lint into .venv (idempotent)',
  exec: 'bash scripts/ensure-cfn-lint.sh',
});

// `integ` (spawned by `test`) verifies every integ test against its committed snapshot. Nothing is
// deployed: a test whose snapshot no longer matches would need a deployment, which fails loudly
// here because there are no AWS credentials.
const integTask = project.tasks.tryFind('integ')!;
integTask.reset('integ-runner --language typescript --parallel-regions us-east-1 --max-workers 2', { receiveArgs: true });
integTask.env('AWS_EC2_METADATA_DISABLED', 'true');
// The integ apps run under ts-node; `npm test` type-checks them with tsc already, so ts-node only
// transpiles (about 4x faster per app).
integTask.env('TS_NODE_TRANSPILE_ONLY', 'true');
// Without a region in the environment the runner's AWS SDK looks for one (config files, then
// timeouts) before each test: 13.5 s -> 5.9 s for one test here. The tests run in us-east-1 anyway.
integTask.env('AWS_REGION', 'us-east-1');
project.addTask('integ:refresh', {
  description: 'Refresh integ snapshots without AWS (review the diff before committing!)',
  exec: 'integ-runner --language typescript --dry-run --update-on-failed --parallel-regions us-east-1 --max-workers 2',
  env: { AWS_EC2_METADATA_DISABLED: 'true', TS_NODE_TRANSPILE_ONLY: 'true', AWS_REGION: 'us-east-1' },
});

// actionlint (Go module proxy) and ShellCheck (PyPI) check the example GitHub Actions workflow
// (test/pipelines/github-actions-example.test.ts); installed into .tools on demand.
project.addTask('actionlint:install', {
  description: 'Install actionlint and ShellCheck into .tools (idempotent)',
  exec: 'bash scripts/ensure-actionlint.sh',
});

project.addTask('templates:lint', {
  description: 'cfn-lint every integ snapshot and example template',
  exec: 'node scripts/lint-templates.js',
});

// `npm test` is the whole check a developer and CI run: bundle the Lambda handlers, jsii-compile,
// jest (unit + snapshot + handler tests, each construct test also cfn-linting its templates),
// eslint, integ snapshots, and cfn-lint + cdk-nag over the committed integ snapshots and examples.
const testTask = project.tasks.tryFind('test')!;
testTask.reset();
testTask.spawn(project.tasks.tryFind('cfn-lint:install')!);
testTask.spawn(project.tasks.tryFind('actionlint:install')!);
testTask.spawn(project.tasks.tryFind('pre-compile')!);
testTask.spawn(project.tasks.tryFind('compile')!);
// ts-jest compiles each file on its own (no cross-file type errors): type-check tests, examples,
// scripts and benchmarks as a whole (after compile: bench/ reads lib/). tsc and eslint are
// single-threaded, as is templates:lint, so each pair runs at once (scripts/parallel.js fails if
// either fails) instead of leaving a core idle.
testTask.exec('node scripts/parallel.js "tsc --noEmit -p tsconfig.dev.json" "npx projen eslint"');
testTask.exec('jest --ci', { receiveArgs: true });
testTask.exec('node scripts/parallel.js "npx projen integ" "npx projen templates:lint"');

// `build` (projen's, locked) runs compile and then `test`, which compiles again: a few seconds,
// for a test command that is complete on its own. Its `package` step packages npm only; the other
// jsii targets are packaged by `npm run package:all` (they need Java/Go/.NET/Python toolchains).
const packageTask = project.tasks.tryFind('package')!;
packageTask.reset();
packageTask.spawn(project.tasks.tryFind('package:js')!);

// Example app (the README's "main job").
const exampleTask = project.addTask('example', {
  description: 'Synthesize the example app into examples/cdk.out and summarize its templates',
});
exampleTask.spawn(project.tasks.tryFind('pre-compile')!);
exampleTask.exec('ts-node --project tsconfig.dev.json scripts/example.ts', { receiveArgs: true });

// Benchmarks (issue: synth time/memory/template economy/handler size against hand-written L2).
// `npm run bench` writes docs/PERFORMANCE.md; `npm run bench -- --quick` only checks they still run.
const benchTask = project.addTask('bench', {
  description: 'Synth time, memory, template economy and handler size vs. hand-written aws-cdk-lib L2',
});
benchTask.spawn(project.tasks.tryFind('pre-compile')!);
benchTask.spawn(project.tasks.tryFind('compile')!);
benchTask.exec('ts-node --project tsconfig.dev.json --transpile-only bench/run.ts', { receiveArgs: true });

// Property-based tests (test/reliability/props.fuzz.test.ts, and cross-construct conflicts in
// test/reliability/conflicts.fuzz.test.ts): `npm test` runs 60 prop sets and 15 scenarios in CI;
// `npx projen fuzz` runs 1000 per construct and 1000 scenarios (or FUZZ_RUNS), with the fixed seed unless FUZZ_SEED is set.
// (FUZZ_DEFAULT_RUNS, not FUZZ_RUNS, so that `FUZZ_RUNS=5000 npx projen fuzz` still wins.)
const fuzzTask = project.addTask('fuzz', {
  description: 'Property-based tests over the construct props and cross-construct conflicts: 1000 prop sets per construct, 1000 scenarios (FUZZ_RUNS, FUZZ_SEED, FUZZ_PATH to replay)',
  env: { FUZZ_DEFAULT_RUNS: '1000' },
});
fuzzTask.spawn(project.tasks.tryFind('cfn-lint:install')!);
fuzzTask.spawn(project.tasks.tryFind('pre-compile')!);
fuzzTask.exec('jest --ci --coverage=false test/reliability/props.fuzz.test.ts test/reliability/conflicts.fuzz.test.ts', { receiveArgs: true });

// Python binding smoke test (CI): jsii-pacmak builds the Python package, a fresh venv installs it
// with the newest aws-cdk-lib on PyPI.
project.addTask('test:python', {
  description: 'Build the Python package and synthesize a small Python CDK app with it on the newest aws-cdk-lib from PyPI',
  exec: 'bash scripts/test-python.sh',
});

// Java binding smoke test (CI): package:java builds the Maven artifact, test/java compiles and
// synthesizes against it with the newest aws-cdk-lib on Maven Central.
project.addTask('test:java', {
  description: 'Build the Maven artifact and synthesize a BlueGreenEcsService from the Java app in test/java (newest aws-cdk-lib on Maven Central)',
  exec: 'bash scripts/test-java.sh',
});

// Install like a user (CI): npm pack, a fresh app outside the repo, plain npm install with the
// newest and the oldest supported aws-cdk-lib, the examples synthesized from the tarball, cfn-lint,
// the bin's --help, no peer-dependency warnings.
project.addTask('test:consumer', {
  description: 'Install the packed library into fresh apps on the newest and the oldest supported aws-cdk-lib and synthesize the examples',
  exec: 'bash scripts/test-consumer.sh',
});

// All jsii targets (Java, Go, .NET, Python); not run in CI.
project.addTask('package:all', {
  description: 'Package every jsii target (needs Java/Maven, Go, .NET where available)',
  exec: 'bash scripts/package-all.sh',
});

// Unit tests against the newest aws-cdk-lib, to catch forward breakage.
project.addTask('test:latest-cdk', {
  description: 'Run the unit tests against the newest aws-cdk-lib (in a scratch copy)',
  exec: 'bash scripts/test-latest-cdk.sh',
});

project.synth();
