import { createActionHandler } from '../shared/ws-action';

/** Placeholder entry point while the dialogue actions are built: every route it serves is refused as unknown. */
export const handler = createActionHandler({});
