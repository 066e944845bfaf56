import { hostPort, parseHosts } from './ssh-hosts';

describe(parseHosts.name, () => {
  it('reads comma-separated hosts, each on the default port unless it names one', () => {
    expect(parseHosts('web1, web2:2222 ,10.0.0.5', 22)).toEqual([
      { name: 'web1', host: 'web1', port: 22 },
      { name: 'web2', host: 'web2', port: 2222 },
      { name: '10.0.0.5', host: '10.0.0.5', port: 22 },
    ]);
  });

  it('reads IPv6 addresses, bare or in brackets with a port', () => {
    expect(parseHosts('[::1]:2222,fe80::1,[2001:db8::7]', 22)).toEqual([
      { name: '::1', host: '::1', port: 2222 },
      { name: 'fe80::1', host: 'fe80::1', port: 22 },
      { name: '2001:db8::7', host: '2001:db8::7', port: 22 },
    ]);
  });

  it('keys the result by host, adding the port only when two entries share a host', () => {
    expect(parseHosts('127.0.0.1:2201,127.0.0.1:2202,db', 22)).toEqual([
      { name: '127.0.0.1:2201', host: '127.0.0.1', port: 2201 },
      { name: '127.0.0.1:2202', host: '127.0.0.1', port: 2202 },
      { name: 'db', host: 'db', port: 22 },
    ]);
  });

  it('runs a repeated entry once', () => {
    expect(parseHosts('web1,web1:22, web1', 22)).toEqual([{ name: 'web1', host: 'web1', port: 22 }]);
  });

  it.each([
    ['', 'hosts: no host given'],
    [' , ', 'hosts: no host given'],
    ['web1:http', 'hosts: "web1:http" has an invalid port (expected 1-65535)'],
    ['web1:70000', 'hosts: "web1:70000" has an invalid port (expected 1-65535)'],
    ['[::1]:', 'hosts: "[::1]:" has an invalid port (expected 1-65535)'],
    ['root@web1', 'hosts: "root@web1" is not a host name or address (expected host, host:port or [IPv6]:port)'],
    ['web1;reboot', 'hosts: "web1;reboot" is not a host name or address (expected host, host:port or [IPv6]:port)'],
  ])('refuses %j, saying why', (hosts, error) => {
    expect(parseHosts(hosts, 22)).toEqual({ error });
  });
});

describe(hostPort.name, () => {
  it('brackets IPv6 addresses', () => {
    expect(hostPort('::1', 22)).toBe('[::1]:22');
    expect(hostPort('web1', 22)).toBe('web1:22');
  });
});
