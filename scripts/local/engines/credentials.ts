/** Credentials the local engines accept (they check none). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'parleylocal', secretAccessKey: 'parleylocal' } as const;
