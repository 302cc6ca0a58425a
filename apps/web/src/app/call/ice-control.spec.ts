import { offersFirstIn } from './ice-control';

describe('offersFirstIn', () => {
  it("is true for Firefox's own WebRTC: desktop and Android", () => {
    expect(offersFirstIn('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0')).toBe(true);
    expect(offersFirstIn('Mozilla/5.0 (Android 14; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0')).toBe(true);
  });

  it('is false for libwebrtc browsers, Firefox on iOS (WebKit) included', () => {
    expect(offersFirstIn('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36')).toBe(false);
    expect(
      offersFirstIn('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/140.0 Mobile/15E148 Safari/605.1.15'),
    ).toBe(false);
    expect(offersFirstIn('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15')).toBe(false);
  });
});
