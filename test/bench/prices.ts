/**
 * AWS list prices, Asia Pacific (Jakarta) ap-southeast-3, USD, as published on the services' pricing
 * pages (on-demand DynamoDB after the November 2024 reduction), taken down 2026-11-25 without an AWS
 * Pricing API call from this machine: check them against the pages before quoting a budget.
 */
export const PRICES = {
  region: 'ap-southeast-3',
  asOf: '2026-11-25',
  dynamodbPerMillionWriteRequestUnits: 0.7125,
  dynamodbPerMillionReadRequestUnits: 0.1425,
  lambdaPerGbSecond: 0.0000166667,
  lambdaPerMillionRequests: 0.2,
  stepFunctionsStandardPerThousandTransitions: 0.025,
  s3PerThousandPuts: 0.005,
  s3PerThousandGets: 0.0004,
};
