/**
 * The built-in tools' names and the status each shows while it runs: what
 * the agent form and the thinking indicator need, without the schemas
 * (tools.ts), so the web client bundles no zod.
 */
export const TOOL_NAMES = ['search_room_history', 'search_documents', 'get_room_summary', 'current_time'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export type ToolStatus = 'searchingHistory' | 'searchingDocuments' | 'readingSummary' | 'checkingTime';

/** What the room is shown while a tool runs (the `status` of an `agentThinking` frame). */
export const TOOL_STATUS: Readonly<Record<ToolName, ToolStatus>> = {
  search_room_history: 'searchingHistory',
  search_documents: 'searchingDocuments',
  get_room_summary: 'readingSummary',
  current_time: 'checkingTime',
};

export const isToolName = (name: string): name is ToolName => (TOOL_NAMES as readonly string[]).includes(name);
