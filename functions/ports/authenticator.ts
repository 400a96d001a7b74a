export type SignInResult =
  | { kind: 'signed-in'; idToken: string; expiresInSeconds: number }
  | { kind: 'new-password-required'; session: string }
  | { kind: 'refused' };

/** Checks a username and password with the user pool (Cognito in AWS, cognito-local on the local stack). */
export interface Authenticator {
  signIn(username: string, password: string): Promise<SignInResult>;
  /** Finishes the first sign-in of a user an admin created with a temporary password. */
  setNewPassword(username: string, session: string, newPassword: string): Promise<SignInResult>;
}

/** The pool refused the new password (too short, too simple). */
export class WeakPasswordError extends Error {
  override name = 'WeakPasswordError';
}
