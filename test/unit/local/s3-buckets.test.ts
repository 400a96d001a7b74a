import { describe, expect, it } from 'vitest';
import { LocalResources } from '../../../infra/local/resources';
import { bucketsFromTemplates } from '../../../infra/local/s3-local';

describe('bucketsFromTemplates', () => {
  it("gives each bucket its local name and the template's CorsConfiguration, resolved", () => {
    const cors = {
      CorsRules: [
        {
          AllowedMethods: ['PUT'],
          AllowedOrigins: [{ 'Fn::Join': ['', ['https://', { Ref: 'AWS::Region' }, '.example']] }],
          MaxAge: 3000,
        },
      ],
    };
    const resources = new LocalResources(
      [
        {
          stackName: 'stateful',
          template: {
            Resources: {
              Uploads: {
                Type: 'AWS::S3::Bucket',
                Properties: { BucketName: 'jaring-uploads', CorsConfiguration: cors },
              },
              AccessLogs1A2B: { Type: 'AWS::S3::Bucket' },
              Table: { Type: 'AWS::DynamoDB::Table' },
            },
          },
        },
      ],
      'ap-southeast-3',
    );
    expect(bucketsFromTemplates(resources)).toEqual([
      {
        name: 'jaring-uploads',
        cors: {
          CorsRules: [{ AllowedMethods: ['PUT'], AllowedOrigins: ['https://ap-southeast-3.example'], MaxAge: 3000 }],
        },
      },
      { name: 'accesslogs1a2b', cors: undefined },
    ]);
  });
});
