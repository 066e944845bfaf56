/** Who acts for the system (rules from packs, for one), as StackStorm's system user. */
export const SYSTEM_USER = 'stanley';
