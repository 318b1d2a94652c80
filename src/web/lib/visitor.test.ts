import { describe, expect, it } from 'vitest';
import { browserOf, localTimeIn } from './visitor';

describe("a widget visitor's browser and time", () => {
  it('names the browser and system from the user agent', () => {
    expect(browserOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toBe('Chrome 131 on Windows');
    expect(browserOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70')).toBe('Edge 131 on Windows');
    expect(browserOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe('Safari 17 on iOS');
    expect(browserOf('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox 133 on Linux');
    expect(browserOf('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36')).toBe('Chrome 131 on Android');
    expect(browserOf('curl/8.0')).toBe('');
    expect(browserOf(undefined)).toBe('');
  });

  it("tells the visitor's local time, and nothing for an unknown zone", () => {
    const noon = new Date('2026-11-23T12:00:00Z');
    expect(localTimeIn('Asia/Tokyo', noon)).toMatch(/21:00|9:00/);
    expect(localTimeIn('Not/AZone', noon)).toBe('');
    expect(localTimeIn(undefined, noon)).toBe('');
  });
});
