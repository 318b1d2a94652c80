import type { SVGProps } from 'react';

const paths = {
  inbox: 'M3 13h4l2 3h6l2-3h4M5 5h14l2 8v6H3v-6z',
  gift: 'M4 11h16v10H4zM3 7h18v4H3zm9 0v14M12 7C10.5 4 7 4 7 6s3 1 5 1c2 0 5 1 5-1s-3.5-2-5 1',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9a7 7 0 0 1 14 0',
  userOff: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9a7 7 0 0 1 14 0M3 3l18 18',
  stack: 'M4 7l8-4 8 4-8 4zm0 5l8 4 8-4M4 17l8 4 8-4',
  at: 'M16 12a4 4 0 1 1-8 0 4 4 0 0 1 8 0zm0 0v1.5a2.5 2.5 0 0 0 5 0V12a9 9 0 1 0-4 7.5',
  clock: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zm0-13v4l3 2',
  check: 'M4 12l5 5L20 6',
  users: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm-6 9a6 6 0 0 1 12 0m2-9a3 3 0 1 0-1-5.8M21 20a5.5 5.5 0 0 0-4-5.3',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zm9 3l-4.3-4.3',
  gear: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7.5 7.5 0 0 0-2-1.2L14.5 3h-5l-.4 2.6a7.5 7.5 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7.5 7.5 0 0 0 2 1.2l.4 2.6h5l.4-2.6a7.5 7.5 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z',
  sun: 'M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0-15v2m0 16v2M4.2 4.2l1.4 1.4m12.8 12.8l1.4 1.4M2 12h2m16 0h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4',
  moon: 'M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z',
  mail: 'M3 6h18v12H3zm0 0l9 7 9-7',
  chat: 'M4 5h16v11H8l-4 4z',
  code: 'M8 8l-4 4 4 4m8-8l4 4-4 4',
  globe: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zm-9-9h18M12 3a14 14 0 0 1 0 18 14 14 0 0 1 0-18z',
  phone: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z',
  back: 'M15 18l-6-6 6-6',
  menu: 'M4 6h16M4 12h16M4 18h16',
  x: 'M6 6l12 12M18 6L6 18',
  alert: 'M12 3l9.5 16.5h-19zM12 10v4m0 3h.01',
  paperclip: 'M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7',
  note: 'M5 3h10l4 4v14H5zm9 0v5h5M8 12h8M8 16h6',
  reply: 'M9 14L4 9l5-5M4 9h10a6 6 0 0 1 6 6v4',
  sidebar: 'M3 4h18v16H3zm12 0v16',
  tag: 'M3 12V3h9l9 9-9 9zM7.5 7.5h.01',
  file: 'M6 2h9l5 5v15H6zm8 0v6h6',
  keyboard: 'M3 6h18v12H3zm4 4h.01M11 10h.01M15 10h.01M7 14h10',
  bolt: 'M13 2L4 14h7l-1 8 9-12h-7z',
  chevron: 'M6 9l6 6 6-6',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  filter: 'M3 5h18l-7 8v6l-4-2v-4z',
  snooze: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9 9h6l-6 6h6',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  arrow: 'M5 12h14m-6-6l6 6-6 6',
  merge: 'M7 4v5a5 5 0 0 0 5 5h6m-3-3l3 3-3 3M7 20v-6',
  split: 'M12 21v-8L6 7m6 6l6-6M4 4h5M4 4v5m16-5h-5m5 0v5',
  thumbUp: 'M7 11v9H4v-9zm0 0l4-8a2 2 0 0 1 2 2v4h5.5a2 2 0 0 1 2 2.3l-1.2 6a2 2 0 0 1-2 1.7H7',
  thumbDown: 'M7 13V4H4v9zm0 0l4 8a2 2 0 0 0 2-2v-4h5.5a2 2 0 0 0 2-2.3l-1.2-6a2 2 0 0 0-2-1.7H7',
  phoneIn: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2zm10-1v6h6m-6 0l6-6',
  phoneOut: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2zm16 5V3h-6m6 0l-6 6',
  bell: 'M6 16v-5a6 6 0 1 1 12 0v5l2 2H4zm4 3a2 2 0 0 0 4 0',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zm0 6v4m0 3h.01',
  book: 'M4 19.5V4.5A2.5 2.5 0 0 1 6.5 2H20v15H6.5A2.5 2.5 0 0 0 4 19.5zm0 0A2.5 2.5 0 0 0 6.5 22H20v-5',
  external: 'M14 4h6v6m0-6l-9 9m7 1v6H4V6h6',
  image: 'M3 5h18v14H3zm0 11l5-5 4 4 3-3 6 6M15.5 9.5h.01',
  up: 'M12 19V5m-6 6l6-6 6 6',
  down: 'M12 5v14m-6-6l6 6 6-6',
  plus: 'M12 5v14M5 12h14',
  bookmark: 'M6 3h12v18l-6-4.5L6 21z',
  faceGood: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9 9.5h.01M15 9.5h.01M8.5 14.5a4.5 4.5 0 0 0 7 0',
  faceOkay: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9 9.5h.01M15 9.5h.01M9 15h6',
  chart: 'M4 4v16h16M8 16v-5m4 5V8m4 8v-3',
  download: 'M12 4v11m-5-5l5 5 5-5M5 20h14',
  // Networks an API inbox can name (simple outlines, not the brands' own marks).
  netX: 'M4 4h4l12 16h-4zM20 4l-6.5 7.5M4 20l6.5-7.5',
  facebook: 'M15 3h-2a4 4 0 0 0-4 4v3H7v3h2v8h3v-8h3l1-3h-4V7a1 1 0 0 1 1-1h2z',
  instagram: 'M7 3h10a4 4 0 0 1 4 4v10a4 4 0 0 1-4 4H7a4 4 0 0 1-4-4V7a4 4 0 0 1 4-4zm5 13a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm5.5-9.5h.01',
  whatsapp: 'M3.5 20.5l1.3-4.2A8.5 8.5 0 1 1 8 19.4zM9 8.5c0 3.5 3 6.5 6.5 6.5l1-1.5-2-1-1 1a4.5 4.5 0 0 1-2.5-2.5l1-1-1-2z',
  telegram: 'M21 4L3 11l6 2 2 6 3-4 5 4zM9 13l8-6',
  linkedin: 'M4 4h16v16H4zm4 6v6m0-8.5h.01M12 16v-6m0 3a2.5 2.5 0 0 1 5 0v3',
  tiktok: 'M14 3v11.5a3.5 3.5 0 1 1-3.5-3.5M14 3a5 5 0 0 0 5 5',
  sms: 'M4 5h16v11H8l-4 4zm4 5.5h.01m4 0h.01m4 0h.01',
  faceBad: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9 9.5h.01M15 9.5h.01M8.5 16.5a4.5 4.5 0 0 1 7 0',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 16, ...rest }: { name: IconName; size?: number } & SVGProps<SVGSVGElement>) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...rest}>
      <path d={paths[name]} />
    </svg>
  );
}

export const channelIcon: Record<string, IconName> = { email: 'mail', widget: 'chat', api: 'code', portal: 'globe', phone: 'phone' };
