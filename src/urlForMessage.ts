/**
 * A URL as it may be shown in a message or a log: its user information and the values of its
 * query and fragment replaced by `***`, e.g. `https://***@prom.example.org/?access_token=***`.
 * Works on text that is not a URL at all, because that is when it gets shown: a password with
 * `/`, `?`, `#` or `@` makes the URL unparsable. Everything before the last `@` is taken as
 * user information: a password may hold `@` and `/`; a stray `@` in a query value hides the host
 * too, which is the safe side. Query keys stay (they say what was wrong), values never do.
 */
export function urlForMessage(text: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text)?.[0] ?? '';
  let rest = text.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = `***${rest.slice(at)}`;
  const hash = rest.indexOf('#');
  const fragment = hash >= 0 && hash < rest.length - 1 ? '#***' : hash >= 0 ? '#' : '';
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  if (question >= 0) {
    const query = rest.slice(question + 1);
    const masked = query === '' ? '' : query.split('&').map((part) => (part === '' ? '' : part.includes('=') ? `${part.slice(0, part.indexOf('='))}=***` : '***')).join('&');
    rest = `${rest.slice(0, question)}?${masked}`;
  }
  return `${scheme}${rest}${fragment}`;
}
