import { describe, expect, it } from 'vitest';
import { parseManagementPath } from '../../../scripts/local/gateway/management-path';

describe('parseManagementPath', () => {
  it('reads the connection id with @ or %40, with or without the stage', () => {
    const expected = { kind: 'connection', connectionId: 'AbC=' };

    expect(parseManagementPath('/local/@connections/AbC=', 'local')).toEqual(expected);
    expect(parseManagementPath('/local/%40connections/AbC%3D', 'local')).toEqual(expected);
    expect(parseManagementPath('/local/%40Connections/AbC=', 'local')).toEqual(expected);
    expect(parseManagementPath('/@connections/AbC=', 'local')).toEqual(expected);
  });

  it('leaves other paths and other stages to someone else', () => {
    expect(parseManagementPath('/other/@connections/x', 'local')).toEqual({ kind: 'other' });
    expect(parseManagementPath('/local/@connections/x/y', 'local')).toEqual({ kind: 'other' });
    expect(parseManagementPath('/local/connections/x', 'local')).toEqual({ kind: 'other' });
    expect(parseManagementPath('/health', 'local')).toEqual({ kind: 'other' });
  });

  it('calls an empty id or a malformed encoding malformed', () => {
    expect(parseManagementPath('/local/@connections/%ZZ', 'local')).toEqual({ kind: 'malformed' });
    expect(parseManagementPath('/local/@connections/', 'local')).toEqual({ kind: 'malformed' });
  });
});
