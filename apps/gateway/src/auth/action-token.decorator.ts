import { SetMetadata } from '@nestjs/common';

export const ACTION_TOKEN_SCOPE = 'tempest:action-token';

export interface ActionTokenScope {
  /** The route parameter naming an execution: the token's own, or one it started (at any depth). */
  execution?: string;
}

/**
 * Opens a route to a running action's token (ST2_ACTION_AUTH_TOKEN). Routes
 * without it answer such tokens 403, so a new route is closed to actions
 * until someone decides otherwise.
 */
export const AllowActionToken = (scope: ActionTokenScope = {}) => SetMetadata(ACTION_TOKEN_SCOPE, scope);
