import { luaString, parseWrkOutput, wrkScript } from './wrk';

describe(luaString.name, () => {
  it('keeps printable ASCII and escapes quotes, backslashes and every other byte in decimal', () => {
    expect(luaString('{"a": 1}')).toBe('"{\\034a\\034: 1}"');
    expect(luaString('a\\b\nc')).toBe('"a\\092b\\010c"');
    expect(luaString('é')).toBe('"\\195\\169"'); // its UTF-8 bytes
  });
});

describe(wrkScript.name, () => {
  const sut = wrkScript({ body: '{"x":1}', headers: { 'X-Api-Key': 'tpst_"k"' }, maxRequests: 500 });

  it('POSTs the body with the headers, inside the script rather than on the command line', () => {
    expect(sut).toContain('wrk.method = "POST"');
    expect(sut).toContain('wrk.body = "{\\034x\\034:1}"');
    expect(sut).toContain('wrk.headers["X-Api-Key"] = "tpst_\\034k\\034"');
  });

  it('stops at the request cap', () => {
    expect(sut).toContain('local cap = 500');
    expect(sut).toMatch(/if responses >= cap then\s+capped = 1\s+wrk\.thread:stop\(\)/);
  });
});

describe(parseWrkOutput.name, () => {
  const wrkOutput = (result: string) =>
    [
      'Running 10s test @ http://127.0.0.1:9101/api/v1/webhooks/bench/x',
      '  1 threads and 8 connections',
      '  4000 requests in 10.00s, 1.00MB read',
      'Requests/sec:    400.00',
      `TEMPEST_WRK_RESULT ${result}`,
      '',
    ].join('\n');

  it('reads the result line: rate over wrk duration, latencies in ms', () => {
    const stdout = wrkOutput('{"requests":4000,"duration_us":10000000,"p50_us":18500,"p99_us":61000,"max_us":90250,"non2xx":0,"socket_errors":0,"capped":false,"failure":""}');
    expect(parseWrkOutput(stdout)).toEqual({
      requests: 4000,
      durationSeconds: 10,
      requestsPerSecond: 400,
      p50Ms: 18.5,
      p99Ms: 61,
      maxMs: 90.25,
      non2xx: 0,
      firstFailure: undefined,
      socketErrors: 0,
      capped: false,
    });
  });

  it('keeps the first failure and says when the cap stopped the load', () => {
    const stdout = wrkOutput('{"requests":500,"duration_us":2000000,"p50_us":1000,"p99_us":2000,"max_us":3000,"non2xx":3,"socket_errors":2,"capped":true,"failure":"503 {\\u0022message\\u0022:\\u0022down\\u0022}"}');
    expect(parseWrkOutput(stdout)).toMatchObject({ non2xx: 3, socketErrors: 2, capped: true, firstFailure: '503 {"message":"down"}' });
  });

  it('refuses output without a result line, showing what wrk printed', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:9101 Connection refused\n')).toThrow(/no result line:\nunable to connect/);
  });
});
