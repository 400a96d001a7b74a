import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type ChallengeNameType,
} from '@aws-sdk/client-cognito-identity-provider';
import { WeakPasswordError, type Authenticator, type SignInResult } from '../ports/authenticator';

/** Cognito's USER_PASSWORD_AUTH through the app client; the endpoint comes from the SDK's own settings. */
export class CognitoAuthenticator implements Authenticator {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly clientId: string,
  ) {}

  async signIn(username: string, password: string): Promise<SignInResult> {
    try {
      const out = await this.cognito.send(
        new InitiateAuthCommand({
          ClientId: this.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      );
      return this.result(out.AuthenticationResult, out.ChallengeName, out.Session);
    } catch (error) {
      // Cognito answers a wrong password with NotAuthorizedException; cognito-local (the local
      // stack) with InvalidPasswordException. At sign-in both mean the same: refused.
      if (refusal(error) || (error as { name?: string }).name === 'InvalidPasswordException')
        return { kind: 'refused' };
      throw error;
    }
  }

  async setNewPassword(username: string, session: string, newPassword: string): Promise<SignInResult> {
    try {
      const out = await this.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
        }),
      );
      return this.result(out.AuthenticationResult, out.ChallengeName, out.Session);
    } catch (error) {
      if ((error as { name?: string }).name === 'InvalidPasswordException')
        throw new WeakPasswordError((error as Error).message);
      if (refusal(error)) return { kind: 'refused' };
      throw error;
    }
  }

  private result(
    auth: AuthenticationResultType | undefined,
    challenge: ChallengeNameType | undefined,
    session?: string,
  ): SignInResult {
    if (auth?.IdToken) return { kind: 'signed-in', idToken: auth.IdToken, expiresInSeconds: auth.ExpiresIn ?? 3600 };
    if (challenge === 'NEW_PASSWORD_REQUIRED' && session) return { kind: 'new-password-required', session };
    // MFA and other challenges are not offered by this page yet: refuse rather than half sign in.
    return { kind: 'refused' };
  }
}

/** Wrong password, unknown or disabled user, expired session: all one answer, so nobody learns which. */
function refusal(error: unknown): boolean {
  return [
    'NotAuthorizedException',
    'UserNotFoundException',
    'UserNotConfirmedException',
    'PasswordResetRequiredException',
    'CodeMismatchException',
    'ExpiredCodeException',
  ].includes((error as { name?: string }).name ?? '');
}
