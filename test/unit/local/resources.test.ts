import { describe, expect, it } from 'vitest';
import { LocalResources, type StackTemplate } from '../../../infra/local/resources';

const region = 'ap-southeast-3';
const account = '000000000000';

const stateful: StackTemplate = {
  stackName: 'jaring-dev-stateful',
  template: {
    Resources: {
      Uploads: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'jaring-dev-uploads' } },
      AuditLogUnnamedBucket7F3A: { Type: 'AWS::S3::Bucket' },
      Proposals: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'jaring-dev-proposals' } },
      Participants9C1B: { Type: 'AWS::DynamoDB::GlobalTable' },
    },
    Outputs: {
      UploadsBucketName: {
        Value: { Ref: 'Uploads' },
        Export: { Name: { 'Fn::Sub': '${AWS::StackName}:UploadsBucket' } },
      },
      ProposalsTableArn: {
        Value: { 'Fn::GetAtt': ['Proposals', 'Arn'] },
        Export: { Name: 'jaring-dev:ProposalsTableArn' },
      },
      ParticipantsTable: { Value: { Ref: 'Participants9C1B' } },
    },
  },
};

const stateless: StackTemplate = {
  stackName: 'jaring-dev-stateless',
  template: {
    Resources: {
      ValidateFn: { Type: 'AWS::Lambda::Function', Properties: {} },
      ValidateFnRole: { Type: 'AWS::IAM::Role' },
      Enrollment: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { StateMachineName: 'jaring-dev-enrollment' },
      },
      EnrollmentLogs: { Type: 'AWS::Logs::LogGroup' },
      HttpApi: { Type: 'AWS::ApiGatewayV2::Api' },
      UploadsRule: { Type: 'AWS::Events::Rule' },
    },
    Outputs: {
      ApiUrl: { Value: { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] } },
      EnrollmentArn: { Value: { Ref: 'Enrollment' } },
      Where: { Value: { 'Fn::Join': ['/', [{ Ref: 'AWS::Region' }, { Ref: 'AWS::StackName' }]] } },
    },
  },
};

const local = () => new LocalResources([stateful, stateless], region);

describe('LocalResources', () => {
  describe('Ref', () => {
    it("gives a bucket's or table's name, from the template when it names one", () => {
      const r = local();
      expect(r.resolve(stateless, { Ref: 'Uploads' })).toBe('jaring-dev-uploads');
      expect(r.resolve(stateless, { Ref: 'Proposals' })).toBe('jaring-dev-proposals');
    });

    it('names an unnamed bucket as S3 allows (lower case) and an unnamed table by its logical id', () => {
      const r = local();
      expect(r.ref('AuditLogUnnamedBucket7F3A')).toBe('auditlogunnamedbucket7f3a');
      expect(r.ref('Participants9C1B')).toBe('Participants9C1B');
    });

    it("gives a state machine's ARN and a function's name", () => {
      const r = local();
      expect(r.resolve(stateful, { Ref: 'Enrollment' })).toBe(
        `arn:aws:states:${region}:${account}:stateMachine:jaring-dev-enrollment`,
      );
      expect(r.resolve(stateful, { Ref: 'ValidateFn' })).toBe('ValidateFn');
    });

    it('throws for a resource no template has', () => {
      expect(() => local().resolve(stateful, { Ref: 'Nope' })).toThrow(/Unknown resource Nope/);
    });
  });

  describe('pseudo parameters', () => {
    it('resolves region, account, partition, URL suffix and the stack name of the template being resolved', () => {
      const r = local();
      expect(r.resolve(stateful, { Ref: 'AWS::Region' })).toBe(region);
      expect(r.resolve(stateful, { Ref: 'AWS::AccountId' })).toBe(account);
      expect(r.resolve(stateful, { Ref: 'AWS::Partition' })).toBe('aws');
      expect(r.resolve(stateful, { Ref: 'AWS::URLSuffix' })).toBe('amazonaws.com');
      expect(r.resolve(stateful, { Ref: 'AWS::StackName' })).toBe('jaring-dev-stateful');
      expect(r.resolve(stateless, { Ref: 'AWS::StackName' })).toBe('jaring-dev-stateless');
    });
  });

  describe('Fn::GetAtt', () => {
    it('gives ARNs in the shape AWS uses for each resource type', () => {
      const r = local();
      const arn = (id: string) => r.resolve(stateless, { 'Fn::GetAtt': [id, 'Arn'] });
      expect(arn('ValidateFn')).toBe(`arn:aws:lambda:${region}:${account}:function:ValidateFn`);
      expect(arn('Proposals')).toBe(`arn:aws:dynamodb:${region}:${account}:table/jaring-dev-proposals`);
      expect(arn('Uploads')).toBe('arn:aws:s3:::jaring-dev-uploads');
      expect(arn('ValidateFnRole')).toBe(`arn:aws:iam::${account}:role/ValidateFnRole`);
      expect(arn('EnrollmentLogs')).toBe(`arn:aws:logs:${region}:${account}:log-group:EnrollmentLogs`);
      expect(arn('Enrollment')).toBe(`arn:aws:states:${region}:${account}:stateMachine:jaring-dev-enrollment`);
    });

    it('returns the value set with setAttribute instead of the default', () => {
      const r = local();
      expect(r.resolve(stateless, { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] })).toBe('HttpApi.ApiEndpoint');
      r.setAttribute('HttpApi', 'ApiEndpoint', 'http://127.0.0.1:3000');
      expect(r.resolve(stateless, { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] })).toBe('http://127.0.0.1:3000');
      expect(r.output('ApiUrl')).toBe('http://127.0.0.1:3000');
      r.setAttribute('Uploads', 'Arn', 'arn:aws:s3:::overridden');
      expect(r.getAtt('Uploads', 'Arn')).toBe('arn:aws:s3:::overridden');
      expect(r.getAtt('Proposals', 'Arn')).toContain('table/jaring-dev-proposals');
    });

    it('throws for a resource no template has', () => {
      expect(() => local().getAtt('Nope', 'Arn')).toThrow(/Unknown resource Nope/);
    });
  });

  describe('Fn::Join, Fn::Select, Fn::Split', () => {
    it('joins resolved values', () => {
      const v = local().resolve(stateless, {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Uploads' }, '/*']],
      });
      expect(v).toBe('arn:aws:s3:::jaring-dev-uploads/*');
    });

    it('selects from a split ARN, as CDK does to get a name from an ARN', () => {
      const name = local().resolve(stateless, {
        'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::GetAtt': ['ValidateFn', 'Arn'] }] }],
      });
      expect(name).toBe('ValidateFn');
      const table = local().resolve(stateless, {
        'Fn::Select': ['1', { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Proposals', 'Arn'] }] }],
      });
      expect(table).toBe('jaring-dev-proposals');
    });

    it('selects from a literal list', () => {
      expect(local().resolve(stateless, { 'Fn::Select': [1, ['a', { Ref: 'AWS::Region' }, 'c']] })).toBe(region);
    });
  });

  describe('Fn::Sub', () => {
    it('substitutes pseudo parameters, Refs and GetAtts', () => {
      const v = local().resolve(stateless, {
        'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Uploads}/proposals/* in ${AWS::Region} (${Enrollment.Arn})',
      });
      expect(v).toBe(
        `arn:aws:s3:::jaring-dev-uploads/proposals/* in ${region} (arn:aws:states:${region}:${account}:stateMachine:jaring-dev-enrollment)`,
      );
    });

    it('takes variables from its second argument first, resolving them', () => {
      const v = local().resolve(stateless, {
        'Fn::Sub': ['${Prefix}-${Table}-${AWS::AccountId}', { Prefix: 'jaring', Table: { Ref: 'Proposals' } }],
      });
      expect(v).toBe(`jaring-jaring-dev-proposals-${account}`);
    });
  });

  describe('Fn::ImportValue', () => {
    it("resolves another stack's export, whose name is an intrinsic resolved in the exporting stack", () => {
      const r = local();
      expect(r.resolve(stateless, { 'Fn::ImportValue': 'jaring-dev-stateful:UploadsBucket' })).toBe(
        'jaring-dev-uploads',
      );
      // The import's own name is resolved in the importing stack, the export's in the exporting one.
      expect(
        r.resolve(stateless, { 'Fn::ImportValue': { 'Fn::Join': [':', ['jaring-dev-stateful', 'UploadsBucket']] } }),
      ).toBe('jaring-dev-uploads');
      expect(() =>
        r.resolve(stateless, { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}:UploadsBucket' } }),
      ).toThrow(/No stack exports jaring-dev-stateless:UploadsBucket/);
      expect(r.resolve(stateless, { 'Fn::ImportValue': 'jaring-dev:ProposalsTableArn' })).toBe(
        `arn:aws:dynamodb:${region}:${account}:table/jaring-dev-proposals`,
      );
    });

    it('throws for a name nothing exports, including an output without Export', () => {
      expect(() => local().resolve(stateless, { 'Fn::ImportValue': 'jaring-dev:Nope' })).toThrow(
        /No stack exports jaring-dev:Nope/,
      );
      expect(() => local().resolve(stateless, { 'Fn::ImportValue': 'ParticipantsTable' })).toThrow(/No stack exports/);
    });
  });

  describe('resolve', () => {
    it('resolves intrinsics nested anywhere in properties, leaving plain values alone', () => {
      const props = {
        Environment: {
          Variables: {
            UPLOADS_BUCKET: { 'Fn::ImportValue': 'jaring-dev-stateful:UploadsBucket' },
            STAGE: 'dev',
            RETRIES: 3,
            FLAG: null,
          },
        },
        Targets: [{ Arn: { Ref: 'Enrollment' }, Id: 'Target0' }],
      };
      expect(local().resolve(stateless, props)).toEqual({
        Environment: { Variables: { UPLOADS_BUCKET: 'jaring-dev-uploads', STAGE: 'dev', RETRIES: 3, FLAG: null } },
        Targets: [{ Arn: `arn:aws:states:${region}:${account}:stateMachine:jaring-dev-enrollment`, Id: 'Target0' }],
      });
    });
  });

  describe('output', () => {
    it('gives the resolved value of an output of any stack, by name', () => {
      const r = local();
      expect(r.output('UploadsBucketName')).toBe('jaring-dev-uploads');
      expect(r.output('ParticipantsTable')).toBe('Participants9C1B');
      expect(r.output('EnrollmentArn')).toBe(`arn:aws:states:${region}:${account}:stateMachine:jaring-dev-enrollment`);
      expect(r.output('Where')).toBe(`${region}/jaring-dev-stateless`);
      expect(r.output('Nope')).toBeUndefined();
    });
  });

  it('lists resources of a type across stacks', () => {
    const buckets = local().resourcesOfType('AWS::S3::Bucket');
    expect(buckets.map((b) => [b.stack.stackName, b.logicalId])).toEqual([
      ['jaring-dev-stateful', 'Uploads'],
      ['jaring-dev-stateful', 'AuditLogUnnamedBucket7F3A'],
    ]);
  });
});
