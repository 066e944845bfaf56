import { isLoopback } from './gateway';

describe(isLoopback.name, () => {
  it.each(['http://localhost:9101', 'http://127.0.0.1:9101/', 'http://127.1.2.3', 'http://[::1]:9101'])('accepts %s', (url) => {
    expect(isLoopback(url)).toBe(true);
  });

  it.each(['http://10.0.0.5:9101', 'https://tempest.example.com', 'http://127.0.0.1.example.com', 'http://[::2]:9101'])('refuses %s', (url) => {
    expect(isLoopback(url)).toBe(false);
  });
});
