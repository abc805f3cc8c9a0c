import { describe, expect, it } from 'vitest';
import { localContentSecurityPolicy } from '../../../scripts/local/web/web-client-service';

describe('localContentSecurityPolicy', () => {
  it('lets the page talk to the local WebSocket API and post uploads to the local S3, and nothing else', () => {
    const csp = localContentSecurityPolicy('ws://127.0.0.1:3001/local', 'http://127.0.0.1:3004');

    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:3001 http://127.0.0.1:3004;");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('names only its own origin while the runtime is starting', () => {
    expect(localContentSecurityPolicy(undefined, undefined)).toContain("connect-src 'self';");
  });
});
