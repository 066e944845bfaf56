import { spawnSync } from 'node:child_process';
import { shellQuote } from './shell-quote';

describe(shellQuote.name, () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('web-01.example.com')).toBe('web-01.example.com');
    expect(shellQuote('hello world')).toBe("'hello world'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote(5)).toBe('5');
    expect(shellQuote({ a: 1 })).toBe(`'{"a":1}'`);
  });

  it.each(['$(touch /tmp/pwned)', '`id`', "it's; rm -rf /", '"; echo injected; "', 'a\nb', '$HOME', '*', '--help', "'"])(
    'makes %p reach the command as one literal argument',
    (hostile) => {
      const { stdout } = spawnSync('bash', ['-c', `printf '%s' ${shellQuote(hostile)}`], { encoding: 'utf8' });
      expect(stdout).toBe(hostile);
    },
  );
});
