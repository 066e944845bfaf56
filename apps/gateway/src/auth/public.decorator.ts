import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tempest:public';

/** Marks a route as reachable without an API key (health, webhooks with their own auth). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
