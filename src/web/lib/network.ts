import type { IconName } from '../components/Icon';
import { channelIcon } from '../components/Icon';
import { type MessageKey, t } from '../i18n';

/** The networks an API inbox can name that have a name and an icon of their own (the server keeps the same list). */
export const KNOWN_NETWORKS = ['x', 'facebook', 'instagram', 'whatsapp', 'telegram', 'linkedin', 'tiktok', 'sms'] as const;
export type KnownNetwork = (typeof KNOWN_NETWORKS)[number];

const networkIcon: Record<KnownNetwork, IconName> = {
  x: 'netX',
  facebook: 'facebook',
  instagram: 'instagram',
  whatsapp: 'whatsapp',
  telegram: 'telegram',
  linkedin: 'linkedin',
  tiktok: 'tiktok',
  sms: 'sms',
};

const isKnown = (n: string): n is KnownNetwork => (KNOWN_NETWORKS as readonly string[]).includes(n);

/** A network's display name: ours for the known ones, as the admin wrote it otherwise. */
export function networkName(network: string): string {
  return isKnown(network) ? t(`network.${network}` as MessageKey) : network;
}

/**
 * What a conversation or message shows for where it came from: the channel ("E-mail", "API"),
 * or, for an API inbox that names its network, that network ("Instagram"; a generic chat icon when we have none).
 */
export function channelLook(channel: string | undefined, network?: string | null): { label: string; icon: IconName } {
  const ch = channel ?? 'api';
  if (ch === 'api' && network) return { label: networkName(network), icon: isKnown(network) ? networkIcon[network] : 'chat' };
  return { label: t(`channel.${ch}` as MessageKey), icon: channelIcon[ch] ?? 'mail' };
}
