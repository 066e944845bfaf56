import { stripShellChars } from './shell-output';

describe(stripShellChars.name, () => {
  it.each([
    ['hi\n', 'hi'],
    ['hi\r\n', 'hi'],
    ['hi\n\n', 'hi\n'],
    ['hi\r', 'hi'],
    ['hi', 'hi'],
    ['', ''],
    ['\n', ''],
  ])('strips the last line ending of %j as StackStorm does', (text, stripped) => {
    expect(stripShellChars(text)).toBe(stripped);
  });
});
