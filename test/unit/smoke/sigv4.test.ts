import { describe, expect, it } from 'vitest';
import { signRequest } from '../../../scripts/smoke/sigv4';

// AWS's published example credentials and date of the Signature Version 4 test suite.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const now = new Date('2015-08-30T12:36:00Z');

describe('signRequest', () => {
  it("signs AWS's get-vanilla example as the test suite expects", () => {
    const headers = signRequest(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      credentials,
      { region: 'us-east-1', service: 'service' },
      now,
    );

    expect(headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
  });

  it('signs a Cognito JSON call with a session token as the AWS SDK signer does', () => {
    const headers = signRequest(
      {
        method: 'POST',
        url: new URL('https://cognito-idp.eu-west-1.amazonaws.com/'),
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': 'AWSCognitoIdentityProviderService.AdminDeleteUser',
        },
        body: JSON.stringify({ UserPoolId: 'eu-west-1_abc', Username: 'a@example.com' }),
      },
      { ...credentials, sessionToken: 'tok' },
      { region: 'eu-west-1', service: 'cognito-idp' },
      now,
    );

    expect(headers['x-amz-security-token']).toBe('tok');
    expect(headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/cognito-idp/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, ' +
        'Signature=dc8958105f7b7fbdc304574f2dfc967f08faaf1aee535afaa51f4f4f1c8cca40',
    );
  });
});
