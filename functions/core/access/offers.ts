import { ACTIONS, authorize, regenciesReached, type Action } from './policy';
import type { Principal } from './principal';

/**
 * What a page offers the user: an action's link or button appears only for someone the policy lets do
 * it somewhere they reach (one of their villages, or a regency of theirs), so an auditor, who may only
 * read, is offered nothing to do. A courtesy derived from the policy, never a role list of its own:
 * the API asks `authorize` again for the record at hand.
 */
export function mayAnywhere(p: Principal, action: Action): boolean {
  return (
    regenciesReached(p).some((regency) => authorize(p, action, { regency }) === 'allow') ||
    p.villages.some((villageCode) => authorize(p, action, { villageCode }) === 'allow')
  );
}

/** Every action the user may do somewhere, in the policy's order: what the console's navigation offers. */
export const actionsOf = (p: Principal): Action[] =>
  (Object.keys(ACTIONS) as Action[]).filter((action) => mayAnywhere(p, action));
