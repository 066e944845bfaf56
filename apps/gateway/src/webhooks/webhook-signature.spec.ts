import { signBody, verifySignature } from './webhook-signature';

describe(verifySignature.name, () => {
  const body = Buffer.from('{"zen":"Keep it logically awesome."}');

  it('accepts the body\'s HMAC-SHA256 as GitHub writes it, in either case', () => {
    const signature = signBody('s3cret', body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret', body, signature)).toBe(true);
    expect(verifySignature('s3cret', body, signature.toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
  });

  it('refuses another secret, another body, and anything not in the sha256=<hex> form', () => {
    const signature = signBody('s3cret', body);
    expect(verifySignature('other', body, signature)).toBe(false);
    expect(verifySignature('s3cret', Buffer.from(`${body} `), signature)).toBe(false);
    expect(verifySignature('s3cret', body, signature.slice(7))).toBe(false);
    expect(verifySignature('s3cret', body, 'sha256=abc')).toBe(false);
    expect(verifySignature('s3cret', body, `sha1=${signature.slice(7)}`)).toBe(false);
  });
});
