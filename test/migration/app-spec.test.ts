import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { AppSpec, BlueGreenEcsService, HookTimeoutAction, LifecycleHook, LifecycleStage, TrafficRouting } from '../../src';
import { BlueGreenValidationError } from '../../src/errors';
import { albFixture, checkStack, newStack } from '../support';
import { albServiceWithHooks, ecsServiceOf } from '../support/hook-service';

// GIVEN the AppSpec of a payments API that CodeDeploy deploys today: every optional part, one
// function serving two events, and the three ways to name a function (name, partial ARN, ARN).
const PAYMENTS_YAML = `# appspec.yaml of payments-api (CodeDeploy ECS blue/green)
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: arn:aws:ecs:eu-west-1:111122223333:task-definition/payments-api:42
        LoadBalancerInfo:
          ContainerName: api
          ContainerPort: 8080
        PlatformVersion: 1.4.0
        NetworkConfiguration:
          AwsvpcConfiguration:
            Subnets:
              - subnet-0a1b2c3d4e5f60001
              - subnet-0a1b2c3d4e5f60002
            SecurityGroups:
              - sg-0123456789abcdef0
            AssignPublicIp: DISABLED
        CapacityProviderStrategy:
          - CapacityProvider: FARGATE
            Base: 2
            Weight: 1
          - CapacityProvider: FARGATE_SPOT
            Weight: 3
Hooks:
  - BeforeInstall: payments-pre-flight
  - AfterInstall: payments-smoke-test
  - AfterAllowTestTraffic: payments-smoke-test
  - BeforeAllowTraffic: arn:aws:lambda:eu-west-1:111122223333:function:payments-traffic-guard:live
  - AfterAllowTraffic: 111122223333:function:payments-post-release
`;

// The same AppSpec as JSON (as the AWS docs write it: version as a number).
const PAYMENTS_JSON = JSON.stringify({
  version: 0.0,
  Resources: [{
    TargetService: {
      Type: 'AWS::ECS::Service',
      Properties: {
        TaskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/payments-api:42',
        LoadBalancerInfo: { ContainerName: 'api', ContainerPort: 8080 },
        PlatformVersion: '1.4.0',
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            Subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
            SecurityGroups: ['sg-0123456789abcdef0'],
            AssignPublicIp: 'DISABLED',
          },
        },
        CapacityProviderStrategy: [
          { CapacityProvider: 'FARGATE', Base: 2, Weight: 1 },
          { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
        ],
      },
    },
  }],
  Hooks: [
    { BeforeInstall: 'payments-pre-flight' },
    { AfterInstall: 'payments-smoke-test' },
    { AfterAllowTestTraffic: 'payments-smoke-test' },
    { BeforeAllowTraffic: 'arn:aws:lambda:eu-west-1:111122223333:function:payments-traffic-guard:live' },
    { AfterAllowTraffic: '111122223333:function:payments-post-release' },
  ],
}, undefined, 2);

// What CodePipeline's "ECS (Blue/Green)" deploy action takes: a placeholder task definition and
// only the required parts, one hook.
const PIPELINE_JSON = `{
  "version": "0.0",
  "Resources": [
    {
      "TargetService": {
        "Type": "AWS::ECS::Service",
        "Properties": {
          "TaskDefinition": "<TASK_DEFINITION>",
          "LoadBalancerInfo": { "ContainerName": "web", "ContainerPort": 80 }
        }
      }
    }
  ],
  "Hooks": [
    { "AfterAllowTestTraffic": "web-smoke-test" }
  ]
}`;

/** A minimal valid AppSpec as an object, for tests that change one part of it. */
function minimal(): any {
  return {
    version: 0.0,
    Resources: [{
      TargetService: {
        Type: 'AWS::ECS::Service',
        Properties: {
          TaskDefinition: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:7',
          LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 80 },
        },
      },
    }],
  };
}

function props(doc: any): any {
  return doc.Resources[0].TargetService.Properties;
}

/** A yaml text of `minimal()` after `change`. */
function variant(change: (doc: any) => void): string {
  const doc = minimal();
  change(doc);
  return stringify(doc);
}

/**
 * The error AppSpec.parse throws, checked to be a BlueGreenValidationError in the documented
 * format: the AppSpec in place of a construct path, the field's path in the document as the prop.
 */
function parseError(text: unknown): Error {
  try {
    AppSpec.parse(text as string);
  } catch (e) {
    expect(BlueGreenValidationError.isBlueGreenValidationError(e)).toBe(true);
    const err = e as BlueGreenValidationError;
    expect(err.name).toBe('BlueGreenValidationError');
    expect(err.constructPath).toBe('AppSpec');
    expect(err.message.startsWith(`[AppSpec] invalid ${err.prop}: `)).toBe(true);
    expect(err.message).toMatch(/^\[AppSpec\] invalid \S+: .+; .+/s);
    return err;
  }
  throw new Error('expected AppSpec.parse to throw');
}

describe('AppSpec.parse', () => {
  test('reads every part of a YAML AppSpec', () => {
    // WHEN
    const spec = AppSpec.parse(PAYMENTS_YAML);
    // THEN
    expect(spec.resourceName).toBe('TargetService');
    expect(spec.taskDefinition).toBe('arn:aws:ecs:eu-west-1:111122223333:task-definition/payments-api:42');
    expect(spec.containerName).toBe('api');
    expect(spec.containerPort).toBe(8080);
    expect(spec.platformVersion).toBe('1.4.0');
    expect(spec.subnets).toEqual(['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002']);
    expect(spec.securityGroups).toEqual(['sg-0123456789abcdef0']);
    expect(spec.assignPublicIp).toBe(false);
    expect(spec.capacityProviderStrategies).toEqual([
      { capacityProvider: 'FARGATE', base: 2, weight: 1 },
      { capacityProvider: 'FARGATE_SPOT', base: undefined, weight: 3 },
    ]);
    expect(spec.hooks).toEqual([
      { event: 'BeforeInstall', functionName: 'payments-pre-flight', stage: LifecycleStage.PRE_SCALE_UP },
      { event: 'AfterInstall', functionName: 'payments-smoke-test', stage: LifecycleStage.POST_SCALE_UP },
      { event: 'AfterAllowTestTraffic', functionName: 'payments-smoke-test', stage: LifecycleStage.POST_TEST_TRAFFIC_SHIFT },
      {
        event: 'BeforeAllowTraffic',
        functionName: 'arn:aws:lambda:eu-west-1:111122223333:function:payments-traffic-guard:live',
        stage: LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT,
      },
      { event: 'AfterAllowTraffic', functionName: '111122223333:function:payments-post-release', stage: LifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT },
    ]);
  });

  test('reads the same AppSpec written as JSON', () => {
    const yaml = AppSpec.parse(PAYMENTS_YAML);
    const json = AppSpec.parse(PAYMENTS_JSON);
    expect(json).toEqual(yaml);
    expect(json.report()).toEqual(yaml.report());
  });

  test('reads a CodePipeline AppSpec with only the required parts', () => {
    const spec = AppSpec.parse(PIPELINE_JSON);
    expect(spec.taskDefinition).toBe('<TASK_DEFINITION>');
    expect(spec.containerName).toBe('web');
    expect(spec.containerPort).toBe(80);
    expect(spec.platformVersion).toBeUndefined();
    expect(spec.subnets).toEqual([]);
    expect(spec.securityGroups).toEqual([]);
    expect(spec.assignPublicIp).toBeUndefined();
    expect(spec.capacityProviderStrategies).toBeUndefined();
    expect(spec.hooks).toEqual([{ event: 'AfterAllowTestTraffic', functionName: 'web-smoke-test', stage: LifecycleStage.POST_TEST_TRAFFIC_SHIFT }]);
  });

  test.each([
    ['BeforeInstall', LifecycleStage.PRE_SCALE_UP],
    ['AfterInstall', LifecycleStage.POST_SCALE_UP],
    ['AfterAllowTestTraffic', LifecycleStage.POST_TEST_TRAFFIC_SHIFT],
    // Once, before production traffic moves (PRODUCTION_TRAFFIC_SHIFT runs per step and on rollback).
    ['BeforeAllowTraffic', LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT],
    ['AfterAllowTraffic', LifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT],
  ])('maps the hook event %s to %s', (event, stage) => {
    const spec = AppSpec.parse(variant((d) => { d.Hooks = [{ [event]: 'my-hook' }]; }));
    expect(spec.hooks).toEqual([{ event, functionName: 'my-hook', stage }]);
  });

  test('accepts the section names in lower case, version as a string, no Hooks, and several events in one entry', () => {
    const spec = AppSpec.parse([
      "version: '0.0'",
      'resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      '        TaskDefinition: web:3',
      '        LoadBalancerInfo: { ContainerName: web, ContainerPort: "80" }',
      'hooks:',
      '  - BeforeInstall: a',
      '    AfterInstall: b',
    ].join('\n'));
    expect(spec.containerPort).toBe(80);
    expect(spec.hooks.map((h) => h.event)).toEqual(['BeforeInstall', 'AfterInstall']);
    expect(AppSpec.parse(variant((d) => { d.Hooks = null; })).hooks).toEqual([]);
  });

  test('exposes copies: changing a returned array or struct does not change the AppSpec', () => {
    const spec = AppSpec.parse(PAYMENTS_YAML);
    const before = spec.report();
    spec.hooks.length = 0;
    (spec.hooks[0] as any).functionName = 'other';
    spec.subnets.push('subnet-x');
    spec.securityGroups.length = 0;
    (spec.capacityProviderStrategies![0] as any).weight = 99;
    expect(spec.hooks).toHaveLength(5);
    expect(spec.hooks[0].functionName).toBe('payments-pre-flight');
    expect(spec.subnets).toHaveLength(2);
    expect(spec.capacityProviderStrategies![0].weight).toBe(1);
    expect(spec.report()).toEqual(before);
  });
});

describe('AppSpec.parse errors', () => {
  const hookEvents = 'BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic';

  test.each<[string, unknown, RegExp]>([
    ['fails when the text is not YAML or JSON', 'version: 0.0\nResources: [\n  - {', /neither valid YAML nor valid JSON .*; allowed: one YAML or JSON document/],
    ['fails when the text holds two YAML documents', 'version: 0.0\n---\nversion: 0.0\n', /neither valid YAML nor valid JSON \(Source contains multiple documents/],
    ['fails when a map key is repeated', 'version: 0.0\nversion: 0.0\n', /neither valid YAML nor valid JSON \(Map keys must be unique/],
    ['fails when the text is empty', '  \n', /^\[AppSpec\] invalid text: is empty; allowed: YAML or JSON/],
    ['fails when the file is a list', '[1, 2]', /must be a map with version, Resources and Hooks, got a list of 2; allowed: version: 0.0/],
    ['fails when the file is a scalar', 'hello', /must be a map .* got "hello"/],
    ['fails when the version is missing', variant((d) => { delete d.version; }), /^\[AppSpec\] invalid version: is missing; allowed: version: 0.0$/],
    ['fails when the version is wrong', variant((d) => { d.version = '1.0'; }), /^\[AppSpec\] invalid version: must be 0.0, got "1.0"; allowed: 0.0/],
    ['fails when the version is a map', variant((d) => { d.version = { major: 0 }; }), /invalid version: must be 0.0, got a map/],
    ['fails when Resources is missing', variant((d) => { delete d.Resources; }), /^\[AppSpec\] invalid Resources: is missing: no ECS service resource; allowed: exactly one resource of Type AWS::ECS::Service/],
    ['fails when Resources is empty', variant((d) => { d.Resources = []; }), /invalid Resources: is empty: no ECS service resource/],
    ['fails when Resources is a map', variant((d) => { d.Resources = d.Resources[0]; }), /invalid Resources: must be a list, got a map; allowed: exactly one resource/],
    ['fails when the resource is a Lambda function', variant((d) => { d.Resources[0].TargetService.Type = 'AWS::Lambda::Function'; }),
      /invalid Resources\[0\]\.TargetService\.Type: is "AWS::Lambda::Function": no ECS service resource; .*ECS AppSpec files only/],
    ['fails when there are two resources', variant((d) => { d.Resources.push({ Other: d.Resources[0].TargetService }); }),
      /^\[AppSpec\] invalid Resources: has more than one resource \("TargetService", "Other"\); allowed: exactly one resource .*an ECS AppSpec deploys one service/],
    ['fails when one entry names two resources', variant((d) => { d.Resources[0].Other = d.Resources[0].TargetService; }), /more than one resource/],
    ['fails when Properties is a list', variant((d) => { d.Resources[0].TargetService.Properties = []; }),
      /invalid Resources\[0\]\.TargetService\.Properties: must be a map, got a list of 0; allowed: TaskDefinition, LoadBalancerInfo/],
    ['fails when TaskDefinition is missing', variant((d) => { delete props(d).TaskDefinition; }),
      /TargetService\.Properties\.TaskDefinition: is missing; allowed: a task definition ARN/],
    ['fails when LoadBalancerInfo is missing', variant((d) => { delete props(d).LoadBalancerInfo; }),
      /Properties\.LoadBalancerInfo: is missing; allowed: LoadBalancerInfo: \{ ContainerName: <container>, ContainerPort: <port> \}/],
    ['fails when ContainerName is missing', variant((d) => { delete props(d).LoadBalancerInfo.ContainerName; }),
      /LoadBalancerInfo\.ContainerName: is missing; allowed: the name of the container that receives traffic/],
    ['fails when ContainerPort is missing', variant((d) => { delete props(d).LoadBalancerInfo.ContainerPort; }),
      /LoadBalancerInfo\.ContainerPort: is missing; allowed: an integer from 1 to 65535/],
    ['fails when ContainerPort is out of range', variant((d) => { props(d).LoadBalancerInfo.ContainerPort = 70000; }),
      /ContainerPort: must be an integer from 1 to 65535, got 70000/],
    ['fails when ContainerPort is not a number', variant((d) => { props(d).LoadBalancerInfo.ContainerPort = 'http'; }),
      /ContainerPort: must be an integer from 1 to 65535, got "http"/],
    ['fails when AssignPublicIp is not ENABLED or DISABLED', variant((d) => {
      props(d).NetworkConfiguration = { AwsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: true } };
    }), /AssignPublicIp: must be ENABLED or DISABLED, got true; allowed: ENABLED, DISABLED/],
    ['fails when NetworkConfiguration has no AwsvpcConfiguration', variant((d) => { props(d).NetworkConfiguration = { Subnets: ['subnet-1'] }; }),
      /NetworkConfiguration\.AwsvpcConfiguration: must be a map, got nothing; allowed: NetworkConfiguration: \{ AwsvpcConfiguration/],
    ['fails when Subnets is a string', variant((d) => { props(d).NetworkConfiguration = { AwsvpcConfiguration: { Subnets: 'subnet-1' } }; }),
      /AwsvpcConfiguration\.Subnets: must be a list, got "subnet-1"; allowed: a list of subnet IDs/],
    ['fails when a capacity provider weight is out of range', variant((d) => { props(d).CapacityProviderStrategy = [{ CapacityProvider: 'FARGATE', Weight: 1001 }]; }),
      /CapacityProviderStrategy\[0\]\.Weight: must be an integer from 0 to 1000, got 1001/],
    ['fails when a capacity provider has no name', variant((d) => { props(d).CapacityProviderStrategy = [{ Weight: 1 }]; }),
      /CapacityProviderStrategy\[0\]\.CapacityProvider: is missing; allowed: a list of \{ CapacityProvider/],
    ['fails on an unknown hook event', variant((d) => { d.Hooks = [{ BeforeInstall: 'a' }, { ApplicationStart: 'b' }]; }),
      new RegExp(`^\\[AppSpec\\] invalid Hooks\\[1\\]: names the event "ApplicationStart", which ECS AppSpec files do not have; allowed events: ${hookEvents}$`)],
    ['fails on the non-hookable event Install', variant((d) => { d.Hooks = [{ Install: 'a' }]; }), /names the event "Install".*allowed events: BeforeInstall/],
    ['fails on an event listed twice', variant((d) => { d.Hooks = [{ AfterInstall: 'a' }, { AfterInstall: 'b' }]; }),
      /^\[AppSpec\] invalid Hooks\[1\]: lists AfterInstall a second time; allowed: one Lambda function per event$/],
    ['fails when Hooks is a map', variant((d) => { d.Hooks = { BeforeInstall: 'a' }; }),
      new RegExp(`invalid Hooks: must be a list, got a map; allowed: Hooks: \\[ \\{ <event>: <Lambda function> \\}, ... \\] with the events ${hookEvents}`)],
    ['fails when a hook names no function', variant((d) => { d.Hooks = [{ BeforeInstall: null }]; }),
      /Hooks\[0\]\.BeforeInstall: is missing; allowed: a Lambda function name/],
    ['fails when a hook function is not a name or ARN', variant((d) => { d.Hooks = [{ BeforeInstall: 'my function; rm -rf /' }]; }),
      /Hooks\[0\]\.BeforeInstall: is not a Lambda function name or ARN: "my function; rm -rf \/"; allowed: a Lambda function name \(my-hook\), name:alias, a partial ARN/],
  ])('%s', (_name, text, message) => {
    expect(parseError(text).message).toMatch(message);
  });

  test.each<[string, unknown]>([
    ['null', null], ['undefined', undefined], ['a number', 42], ['a list', ['version: 0.0']], ['a map', { version: 0 }],
  ])('fails when given %s instead of text', (_name, value) => {
    expect(parseError(value).message).toMatch(/^\[AppSpec\] invalid text: expected the file's text, got .+; allowed: YAML or JSON text$/);
  });

  test('fails on a text of more than a million characters, without parsing it', () => {
    const huge = `version: 0.0\n# ${'x'.repeat(1_000_001)}\n`;
    expect(parseError(huge).message).toMatch(/^\[AppSpec\] invalid text: is 1000017 characters long; allowed: at most 1000000/);
  });

  test('fails on a YAML alias bomb instead of expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    expect(parseError(lines.join('\n')).message).toMatch(/neither valid YAML nor valid JSON \(Excessive alias count/);
  });

  // The YAML parser recurses per level; at ~800 levels it overflows the stack, which can abort the
  // process (V8 fails to compile a regular expression). A crash here fails the whole test file.
  test.each<[string, string]>([
    ['nested block sequences on one line', `${'- '.repeat(50_000)}x`],
    ['nested flow sequences', '['.repeat(200_000)],
    ['nested flow maps', `${'{a: '.repeat(5_000)}1${'}'.repeat(5_000)}`],
    ['nesting by indentation', Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')],
    ['an unbalanced bracket per line', Array.from({ length: 2_000 }, () => '- [').join('\n')],
  ])('fails on %s before the YAML parser can overflow its stack', (_name, text) => {
    expect(parseError(text).message).toMatch(/^\[AppSpec\] invalid text: may nest up to \d+ levels deep .*; allowed: at most 100 \(an ECS AppSpec nests about 8 levels deep\)$/);
  });

  test('deep JSON is read without recursion and then rejected for its content', () => {
    expect(parseError(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`).message).toBe('[AppSpec] invalid version: is missing; allowed: version: 0.0');
  });

  test('JSON that only YAML reads (trailing commas, 4-space indentation) passes the nesting bound', () => {
    const loose = JSON.stringify(JSON.parse(PAYMENTS_JSON), undefined, 4).replace(/"\n(\s*)\]/g, '",\n$1]');
    expect(() => JSON.parse(loose)).toThrow();
    expect(AppSpec.parse(loose)).toEqual(AppSpec.parse(PAYMENTS_YAML));
  });

  test('fails on a string value longer than 2048 characters', () => {
    expect(parseError(variant((d) => { props(d).TaskDefinition = `arn:${'x'.repeat(3000)}`; })).message)
      .toMatch(/^\[AppSpec\] invalid Resources\[0\]\.TargetService\.Properties\.TaskDefinition: is 3004 characters long; allowed: a task definition ARN .*, at most 2048 characters$/);
  });

  test('long values are cut in messages', () => {
    const message = parseError(variant((d) => { d.version = 'v'.repeat(5000); })).message;
    expect(message.length).toBeLessThan(300);
  });

  test('never throws anything but an AppSpec error on arbitrary text (property test)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
      expectAppSpecOrItsError(() => AppSpec.parse(text));
    }), { numRuns: 500 });
  });

  test('never throws anything but an AppSpec error when any part is replaced by any JSON value (property test)', () => {
    const paths = [
      [], ['version'], ['Resources'], ['Resources', 0], ['Resources', 0, 'TargetService'], ['Resources', 0, 'TargetService', 'Type'],
      ['Resources', 0, 'TargetService', 'Properties'], ['Resources', 0, 'TargetService', 'Properties', 'TaskDefinition'],
      ['Resources', 0, 'TargetService', 'Properties', 'LoadBalancerInfo'],
      ['Resources', 0, 'TargetService', 'Properties', 'LoadBalancerInfo', 'ContainerPort'],
      ['Resources', 0, 'TargetService', 'Properties', 'PlatformVersion'],
      ['Resources', 0, 'TargetService', 'Properties', 'NetworkConfiguration'],
      ['Resources', 0, 'TargetService', 'Properties', 'NetworkConfiguration', 'AwsvpcConfiguration'],
      ['Resources', 0, 'TargetService', 'Properties', 'NetworkConfiguration', 'AwsvpcConfiguration', 'Subnets'],
      ['Resources', 0, 'TargetService', 'Properties', 'CapacityProviderStrategy'],
      ['Resources', 0, 'TargetService', 'Properties', 'CapacityProviderStrategy', 0],
      ['Hooks'], ['Hooks', 0], ['Hooks', 1, 'AfterInstall'],
    ];
    fc.assert(fc.property(fc.constantFrom(...paths), fc.jsonValue(), fc.boolean(), (at, value, asYaml) => {
      const doc = JSON.parse(PAYMENTS_JSON);
      let text: string;
      if (at.length === 0) {
        text = JSON.stringify(value);
      } else {
        let parent = doc;
        for (const key of at.slice(0, -1)) parent = parent[key];
        parent[at[at.length - 1]] = value;
        text = asYaml ? stringify(doc) : JSON.stringify(doc);
      }
      expectAppSpecOrItsError(() => AppSpec.parse(text));
    }), { numRuns: 1000 });
  });
});

function expectAppSpecOrItsError(parse: () => AppSpec): void {
  let spec: AppSpec;
  try {
    spec = parse();
  } catch (e) {
    if (!BlueGreenValidationError.isBlueGreenValidationError(e) || !/^\[AppSpec\] invalid \S+: .+; .+/s.test(e.message)) {
      throw new Error(`unexpected ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    }
    return;
  }
  // A file that parses is one a user can report on.
  expect(spec.report().length).toBeGreaterThan(0);
}

describe('AppSpec.report', () => {
  test('says what each part of the AppSpec becomes', () => {
    const lines = AppSpec.parse(PAYMENTS_YAML).report();
    expect(lines).toEqual([
      "TaskDefinition arn:aws:ecs:eu-west-1:111122223333:task-definition/payments-api:42 → the service's task definition " +
        '(BlueGreenEcsService taskDefinition), pinned: the template must render revision 42 of family payments-api (the revision ' +
        'that runs) when the controller switches, or the switch also deploys another revision',
      "LoadBalancerInfo ContainerName api, ContainerPort 8080 → the service's LoadBalancers entry (ContainerName, ContainerPort): " +
        "BlueGreenEcsService container: { containerName: 'api', containerPort: 8080 }",
      "PlatformVersion 1.4.0 → the Fargate service's platformVersion (ecs.FargatePlatformVersion): BlueGreenEcsService renders none " +
        "(LATEST); set it on its service, e.g. (api.service.node.defaultChild as ecs.CfnService).platformVersion = '1.4.0'",
      "NetworkConfiguration.AwsvpcConfiguration → the service's network configuration: BlueGreenEcsService vpcSubnets: { subnets: " +
        '[subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002] } (ec2.Subnet.fromSubnetId), securityGroups: [sg-0123456789abcdef0] ' +
        '(ec2.SecurityGroup.fromSecurityGroupId), assignPublicIp: false',
      "CapacityProviderStrategy → BlueGreenEcsService capacityProviderStrategies: [{ capacityProvider: 'FARGATE', base: 2, weight: 1 }, " +
        "{ capacityProvider: 'FARGATE_SPOT', weight: 3 }] (appSpec.capacityProviderStrategies)",
      'Hook BeforeInstall: payments-pre-flight → LifecycleHook.lambda(fn, { stages: [LifecycleStage.PRE_SCALE_UP] })',
      'Hook AfterInstall: payments-smoke-test → LifecycleHook.lambda(fn, { stages: [LifecycleStage.POST_SCALE_UP] })',
      'Hook AfterAllowTestTraffic: payments-smoke-test → LifecycleHook.lambda(fn, { stages: [LifecycleStage.POST_TEST_TRAFFIC_SHIFT] })',
      'Hook BeforeAllowTraffic: arn:aws:lambda:eu-west-1:111122223333:function:payments-traffic-guard:live → LifecycleHook.lambda(fn, ' +
        '{ stages: [LifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT] }); runs once before production traffic moves, as BeforeAllowTraffic did ' +
        '(PRODUCTION_TRAFFIC_SHIFT would run at every traffic step and again on rollback; take it only for a hook that must run during ' +
        'the shift, and make it idempotent)',
      'Hook AfterAllowTraffic: 111122223333:function:payments-post-release → LifecycleHook.lambda(fn, { stages: [LifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT] })',
      'payments-smoke-test serves AfterInstall, AfterAllowTestTraffic → toLifecycleHooks() makes one hook with stages ' +
        '[LifecycleStage.POST_SCALE_UP, LifecycleStage.POST_TEST_TRAFFIC_SHIFT]; the function tells them apart by event.lifecycleStage',
      'Hook functions must be adapted: a CodeDeploy hook receives { DeploymentId, LifecycleEventHookExecutionId } and reports with ' +
        'codedeploy:PutLifecycleEventHookExecutionStatus; an ECS hook receives { executionDetails, executionId, lifecycleStage, ' +
        "resourceArn, hookDetails } and returns { hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS' }. Wrap the handler in " +
        "hookHandler from 'cdk-ecs-blue-green/lib/hooks/runtime' (README \"Lifecycle hooks\")",
      'Hook timeouts: CodeDeploy failed a hook after 1 hour; ECS waits 24 hours by default: ' +
        'toLifecycleHooks(scope, { timeout: Duration.hours(1) }) keeps the old limit',
      'Not in the AppSpec (read them from the CodeDeploy deployment group): the deployment configuration → ' +
        'DeploymentStrategy.fromCodeDeployConfig(); listeners and target groups → TrafficRouting.applicationLoadBalancer() ' +
        'or networkLoadBalancer(); alarms and automatic rollback → BlueGreenEcsService alarms and circuitBreaker',
    ]);
  });

  test('a placeholder task definition is explained as a CodePipeline input', () => {
    const [first] = AppSpec.parse(PIPELINE_JSON).report();
    expect(first).toMatch(/^TaskDefinition <TASK_DEFINITION> \(a placeholder the deploy step fills in: CodePipeline, .*\) → the service's task definition .*not an AppSpec$/);
  });

  test('a task definition without revision asks to pin the running one', () => {
    const [first] = AppSpec.parse(variant((d) => { props(d).TaskDefinition = 'payments-api'; })).report();
    expect(first).toMatch(/^TaskDefinition payments-api → .*, pinned: the AppSpec names no revision \(CodeDeploy takes the latest ACTIVE one\)/);
  });

  test('PlatformVersion LATEST needs nothing; no hooks says so; absent parts have no line', () => {
    const lines = AppSpec.parse(variant((d) => { props(d).PlatformVersion = 'LATEST'; })).report();
    expect(lines).toContain("PlatformVersion LATEST → the Fargate service's platformVersion: LATEST is the default, nothing to set");
    expect(lines).toContain('Hooks: none → no lifecycle hooks');
    expect(lines.some((l) => l.startsWith('NetworkConfiguration') || l.startsWith('CapacityProviderStrategy') || l.startsWith('Hook functions'))).toBe(false);
  });
});

describe('AppSpec.toLifecycleHooks', () => {
  const serviceWithAppSpecHooks = (stack: Stack, hooks: LifecycleHook[]) => albServiceWithHooks(stack, 'Payments', hooks);
  const lifecycleHooks = (template: Template): any[] => ecsServiceOf(template).Properties.DeploymentConfiguration.LifecycleHooks;

  const byName = (name: string) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:function:${name}`]],
  });

  test('renders one Lambda hook per function on the BlueGreenEcsService, with the mapped stages', () => {
    // GIVEN
    const stack = newStack();
    const spec = AppSpec.parse(PAYMENTS_YAML);
    // WHEN
    const hooks = spec.toLifecycleHooks(stack, { timeout: Duration.hours(1) });
    serviceWithAppSpecHooks(stack, hooks);
    // THEN
    expect(hooks).toHaveLength(4);
    const template = checkStack(stack);
    const timeout = { TimeoutInMinutes: 60, Action: 'ROLLBACK' };
    expect(lifecycleHooks(template)).toEqual([
      { TargetType: 'AWS_LAMBDA', LifecycleStages: ['PRE_SCALE_UP'], HookTargetArn: byName('payments-pre-flight'), RoleArn: expect.anything(), TimeoutConfiguration: timeout },
      {
        TargetType: 'AWS_LAMBDA',
        LifecycleStages: ['POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'],
        HookTargetArn: byName('payments-smoke-test'),
        RoleArn: expect.anything(),
        TimeoutConfiguration: timeout,
      },
      {
        TargetType: 'AWS_LAMBDA',
        LifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
        HookTargetArn: 'arn:aws:lambda:eu-west-1:111122223333:function:payments-traffic-guard:live',
        RoleArn: expect.anything(),
        TimeoutConfiguration: timeout,
      },
      {
        TargetType: 'AWS_LAMBDA',
        LifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'],
        HookTargetArn: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':111122223333:function:payments-post-release']],
        },
        RoleArn: expect.anything(),
        TimeoutConfiguration: timeout,
      },
    ]);
    // The stack's hook role may invoke exactly these functions, with their versions and aliases
    // (arn:*) unless the AppSpec names a qualified ARN (the alias :live is granted as it is).
    // (CDK folds `${arn}:*` into the ARN's own Fn::Join.)
    const withQualifiers = (arn: { 'Fn::Join': any[] }) => {
      const parts: any[] = arn['Fn::Join'][1];
      return [arn, { 'Fn::Join': ['', [...parts.slice(0, -1), `${parts[parts.length - 1]}:*`]] }];
    };
    const postRelease = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':111122223333:function:payments-post-release']] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: withQualifiers(byName('payments-pre-flight')) },
          { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: withQualifiers(byName('payments-smoke-test')) },
          { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: 'arn:aws:lambda:eu-west-1:111122223333:function:payments-traffic-guard:live' },
          {
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: withQualifiers(postRelease),
          },
        ],
      },
    });
  });

  test('onTimeout alone, a partial ARN with a Region, and idPrefix', () => {
    const stack = newStack();
    const spec = AppSpec.parse(variant((d) => { d.Hooks = [{ AfterAllowTestTraffic: 'us-west-2:111122223333:function:smoke:3' }]; }));
    serviceWithAppSpecHooks(stack, spec.toLifecycleHooks(stack, { onTimeout: HookTimeoutAction.CONTINUE, idPrefix: 'Smoke' }));
    const [hook] = lifecycleHooks(checkStack(stack));
    expect(hook).toEqual({
      TargetType: 'AWS_LAMBDA',
      LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      HookTargetArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:us-west-2:111122223333:function:smoke:3']] },
      RoleArn: expect.anything(),
      TimeoutConfiguration: { Action: 'CONTINUE' },
    });
    expect(stack.node.tryFindChild('Smoke1')).toBeDefined();
  });

  test("the AppSpec's container and capacity providers render on the service", () => {
    // GIVEN
    const stack = newStack();
    const f = albFixture(stack);
    f.cluster.enableFargateCapacityProviders();
    const spec = AppSpec.parse(variant((d) => {
      props(d).CapacityProviderStrategy = [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 1 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 4 }];
    }));
    // WHEN
    new BlueGreenEcsService(stack, 'Web', {
      cluster: f.cluster,
      taskDefinition: f.taskDefinition,
      routing: TrafficRouting.applicationLoadBalancer({ listener: f.listener }),
      container: { containerName: spec.containerName, containerPort: spec.containerPort },
      capacityProviderStrategies: spec.capacityProviderStrategies,
    });
    // THEN
    const [service] = Object.values(checkStack(stack).findResources('AWS::ECS::Service')) as any[];
    expect(service.Properties.LoadBalancers).toEqual([expect.objectContaining({ ContainerName: 'web', ContainerPort: 80 })]);
    expect(service.Properties.CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE', Base: 1, Weight: 1 },
      { CapacityProvider: 'FARGATE_SPOT', Weight: 4 },
    ]);
    expect(service.Properties.LaunchType).toBeUndefined();
  });

  test('an AppSpec without hooks makes no hooks', () => {
    expect(AppSpec.parse(PIPELINE_JSON.replace(/"Hooks": \[[^\]]*\]/, '"Hooks": []')).toLifecycleHooks(newStack())).toEqual([]);
  });

  test('fails when called twice in one scope with the same idPrefix', () => {
    const stack = newStack();
    const spec = AppSpec.parse(PIPELINE_JSON);
    spec.toLifecycleHooks(stack);
    expect(() => spec.toLifecycleHooks(stack)).toThrow(/^\[TestStack\] invalid idPrefix: 'AppSpecHookFunction1' is already a child of this scope .*; pass another idPrefix/);
    expect(spec.toLifecycleHooks(stack, { idPrefix: 'Second' })).toHaveLength(1);
  });
});

describe('jsii', () => {
  const root = path.resolve(__dirname, '..', '..');

  /** The jsii assembly, compiled again when a source file is newer than it. */
  function assembly(): any {
    const file = path.join(root, '.jsii');
    const newestSource = listTs(path.join(root, 'src')).reduce((t, f) => Math.max(t, fs.statSync(f).mtimeMs), 0);
    if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < newestSource) {
      // The same command as `npx projen compile`.
      const result = spawnSync('npx', ['jsii', '--silence-warnings=reserved-word'], { cwd: root, encoding: 'utf-8' });
      if (result.status !== 0) throw new Error(`jsii failed:\n${result.stdout}\n${result.stderr}`);
    }
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  }

  function listTs(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? listTs(p) : e.name.endsWith('.ts') ? [p] : [];
    });
  }

  test('AppSpec compiles to a jsii class with a static factory and readonly, typed members', () => {
    const types = assembly().types;
    const cls = types['cdk-ecs-blue-green.AppSpec'];
    expect(cls.kind).toBe('class');
    expect(cls.initializer).toBeUndefined(); // private constructor
    expect(cls.methods.map((m: any) => `${m.static ? 'static ' : ''}${m.name}`)).toEqual(['static parse', 'report', 'toLifecycleHooks']);
    for (const p of cls.properties) {
      expect(p.immutable).toBe(true);
      expect(JSON.stringify(p.type)).not.toMatch(/"union"|"any"|"json"/);
    }
    for (const name of ['AppSpecHookMapping', 'AppSpecLifecycleHookOptions']) {
      const struct = types[`cdk-ecs-blue-green.${name}`];
      expect(struct.datatype).toBe(true);
      expect(struct.properties.every((p: any) => p.immutable)).toBe(true);
    }
    expect(types['cdk-ecs-blue-green.AppSpecLifecycleHookOptions'].properties.every((p: any) => p.optional && p.docs.default)).toBe(true);
  });

  test('yaml is bundled (jsii needs non-jsii runtime dependencies bundled)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8'));
    expect(pkg.bundledDependencies).toContain('yaml');
    expect(pkg.dependencies.yaml).toBeDefined();
  });
});
