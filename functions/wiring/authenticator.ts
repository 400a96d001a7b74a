import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoAuthenticator } from '../adapters/cognito-authenticator';
import { traced } from './observability';
import { setting } from './settings';

export const authenticator = () =>
  new CognitoAuthenticator(traced(new CognitoIdentityProviderClient({})), setting('USER_POOL_CLIENT_ID'));

/** Where the console's script may send uploads: the S3 endpoint the presigned URLs point at. */
export const uploadOrigins = () => {
  const local = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  // In AWS, presigned URLs address the bucket virtual-hosted style: exactly that origin (the stack
  // sets it from the bucket's regional domain name), no other bucket.
  return local ? [new URL(local).origin] : [setting('UPLOAD_ORIGIN')];
};
