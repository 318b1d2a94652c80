import { describe, expect, it } from 'vitest';
import { channelLook, networkName } from './network';

describe('channelLook', () => {
  it('names a known network with its own icon instead of "API"', () => {
    expect(channelLook('api', 'instagram')).toEqual({ label: 'Instagram', icon: 'instagram' });
    expect(channelLook('api', 'x')).toEqual({ label: 'X', icon: 'netX' });
    expect(channelLook('api', 'whatsapp')).toEqual({ label: 'WhatsApp', icon: 'whatsapp' });
  });

  it('shows any other network by its name, with the generic chat icon', () => {
    expect(channelLook('api', 'Mastodon')).toEqual({ label: 'Mastodon', icon: 'chat' });
    expect(networkName('Line')).toBe('Line');
  });

  it('falls back to the channel when the inbox names no network, or is not an API inbox', () => {
    expect(channelLook('api', undefined)).toEqual({ label: 'API', icon: 'code' });
    expect(channelLook('api', null)).toEqual({ label: 'API', icon: 'code' });
    expect(channelLook('email', 'instagram')).toEqual({ label: 'E-mail', icon: 'mail' });
    expect(channelLook(undefined)).toEqual({ label: 'API', icon: 'code' });
  });
});
