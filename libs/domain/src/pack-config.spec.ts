import { maskConfig, maskConfigSchema } from './pack-config';
import { MASK } from './parameter-resolution';
import type { ParameterSpecs } from './parameters';

const schema: ParameterSpecs = {
  url: { type: 'string' },
  token: { type: 'string', secret: true, default: 'changeme' },
  database: { type: 'object', properties: { host: { type: 'string' }, password: { type: 'string', secret: true } } },
  accounts: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, key: { type: 'string', secret: true } } } },
  headers: { type: 'object', additionalProperties: { type: 'string', secret: true } },
};

describe(maskConfig.name, () => {
  it('masks secret values at any depth and leaves the others as they are', () => {
    const values = {
      url: 'https://x',
      token: 't0p',
      database: { host: 'db', password: 'pw' },
      accounts: [{ name: 'a', key: 'k1' }, { name: 'b' }],
      headers: { Authorization: 'Bearer z' },
      unknown: 'kept',
    };
    expect(maskConfig(schema, values)).toEqual({
      url: 'https://x',
      token: MASK,
      database: { host: 'db', password: MASK },
      accounts: [{ name: 'a', key: MASK }, { name: 'b' }],
      headers: { Authorization: MASK },
      unknown: 'kept',
    });
  });

  it('leaves an absent or null secret as it is, so people can tell it is unset', () => {
    expect(maskConfig(schema, { token: null, database: {} })).toEqual({ token: null, database: {} });
  });
});

describe(maskConfigSchema.name, () => {
  it('masks the defaults of secret keys', () => {
    const masked = maskConfigSchema(schema);
    expect(masked.token).toEqual({ type: 'string', secret: true, default: MASK });
    expect(masked.url).toEqual({ type: 'string' });
    expect(JSON.stringify(masked)).not.toContain('changeme');
  });
});
