import { describe, expect, it } from 'vitest';
import { isAllowedExternal } from './external-links.ts';

describe('isAllowedExternal', () => {
  const list = ['dashboard.stripe.com', 'dogtrainersdirectory.com.au'];

  it('allows http(s) links to a host on the list', () => {
    expect(isAllowedExternal('https://dashboard.stripe.com/payments/pi_123', list)).toBe(true);
    expect(isAllowedExternal('http://dogtrainersdirectory.com.au/trainers/42', list)).toBe(true);
    expect(isAllowedExternal('https://DASHBOARD.Stripe.com/', list)).toBe(true);
  });

  it('allows nothing with the default empty list', () => {
    expect(isAllowedExternal('https://dashboard.stripe.com/', [])).toBe(false);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['javascript: naming an allowed host', 'javascript://dashboard.stripe.com/%0aalert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ["another program's scheme", 'ms-settings://dashboard.stripe.com'],
    ['a host off the list', 'https://evil.example/'],
    ['a look-alike suffix', 'https://dashboard.stripe.com.evil.example/'],
    ['a subdomain not on the list', 'https://evil.dashboard.stripe.com/'],
    ['credentials dressing up the host', 'https://dashboard.stripe.com@evil.example/'],
    ['credentials on an allowed host', 'https://user:pass@dashboard.stripe.com/'],
    ['not a URL at all', 'dashboard.stripe.com/payments'],
    ['an empty string', ''],
  ])('refuses %s', (_why, url) => {
    expect(isAllowedExternal(url, list)).toBe(false);
  });
});
