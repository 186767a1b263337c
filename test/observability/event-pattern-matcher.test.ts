// The offline EventBridge matcher and input-transformer renderer the notification tests rely on,
// checked against the semantics of the EventBridge User Guide's pattern examples.
import { deployedValue, matchesEventPattern, readPath, renderInputTransformer } from '../support/event-pattern';

const event = {
  'source': 'aws.ecs',
  'detail-type': 'ECS Deployment State Change',
  'resources': ['arn:aws:ecs:us-east-1:1:service/prod/web', 'arn:other'],
  'detail': { eventName: 'SERVICE_DEPLOYMENT_FAILED', reason: 'ECS deployment circuit breaker: task failed to start.', count: 3 },
};

describe('matchesEventPattern', () => {
  test.each([
    ['exact value', { source: ['aws.ecs'] }, true],
    ['one of several values', { source: ['aws.s3', 'aws.ecs'] }, true],
    ['a different value', { source: ['aws.s3'] }, false],
    ['any element of an array field', { resources: ['arn:other'] }, true],
    ['no element of an array field', { resources: ['arn:aws:ecs:us-east-1:1:service/prod/web-admin'] }, false],
    ['nested fields (AND)', { detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'], count: [3] } }, true],
    ['nested fields, one differs', { detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'], count: [4] } }, false],
    ['a field the event lacks', { detail: { serviceArn: ['x'] } }, false],
    ['prefix', { detail: { reason: [{ prefix: 'ECS deployment circuit breaker:' }] } }, true],
    ['prefix, no match', { detail: { reason: [{ prefix: 'ECS deployment alarm' }] } }, false],
    ['suffix', { detail: { reason: [{ suffix: 'start.' }] } }, true],
    ['anything-but a value', { detail: { eventName: [{ 'anything-but': 'SERVICE_DEPLOYMENT_COMPLETED' }] } }, true],
    ['anything-but the value itself', { detail: { eventName: [{ 'anything-but': 'SERVICE_DEPLOYMENT_FAILED' }] } }, false],
    ['anything-but a list', { detail: { eventName: [{ 'anything-but': ['A', 'SERVICE_DEPLOYMENT_FAILED'] }] } }, false],
    ['anything-but a prefix', { detail: { reason: [{ 'anything-but': { prefix: 'ECS deployment circuit' } }] } }, false],
    ['exists: true', { detail: { reason: [{ exists: true }] } }, true],
    ['exists: false on a present field', { detail: { reason: [{ exists: false }] } }, false],
    ['exists: false on an absent field', { detail: { hookId: [{ exists: false }] } }, true],
    ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'AWS.ECS' }] }, true],
    ['$or, one branch matches', { $or: [{ source: ['aws.s3'] }, { detail: { count: [3] } }] }, true],
    ['$or, no branch matches', { $or: [{ source: ['aws.s3'] }, { detail: { count: [4] } }] }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  test('an operator it does not know throws rather than deciding', () => {
    expect(() => matchesEventPattern({ detail: { count: [{ numeric: ['>', 0] }] } }, event)).toThrow(/operator numeric is not supported/);
    expect(() => matchesEventPattern({ source: 'aws.ecs' }, event)).toThrow(/values are arrays or nested patterns/);
  });
});

describe('input transformer rendering', () => {
  test('paths with dots and array indices; values inserted into the string template', () => {
    expect(readPath(event, '$.resources[1]')).toBe('arn:other');
    expect(readPath(event, '$.detail.eventName')).toBe('SERVICE_DEPLOYMENT_FAILED');
    expect(renderInputTransformer({ InputPathsMap: { n: '$.detail.eventName', r: '$.resources[0]' }, InputTemplate: '"<n> of <r>\\nnext line"' }, event))
      .toBe('SERVICE_DEPLOYMENT_FAILED of arn:aws:ecs:us-east-1:1:service/prod/web\nnext line');
  });

  test('a placeholder without a path, or a path the event lacks, throws', () => {
    expect(() => renderInputTransformer({ InputPathsMap: {}, InputTemplate: '"<n>"' }, event)).toThrow(/<n> has no InputPathsMap entry/);
    expect(() => renderInputTransformer({ InputPathsMap: { h: '$.detail.hookId' }, InputTemplate: '"<h>"' }, event)).toThrow(/no \$.detail.hookId/);
  });

  test('deployedValue replaces Ref, GetAtt and Fn::Join by the deployed strings', () => {
    expect(deployedValue({ a: [{ Ref: 'S' }], b: { 'Fn::Join': ['', ['x-', { 'Fn::GetAtt': ['S', 'Name'] }]] } }, { 'S': 'arn', 'S.Name': 'web' }))
      .toEqual({ a: ['arn'], b: 'x-web' });
    expect(() => deployedValue({ Ref: 'Other' }, {})).toThrow(/no deployed value given for Other/);
  });
});
