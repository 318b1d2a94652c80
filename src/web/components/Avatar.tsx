// Dark enough for white initials (WCAG AA, 4.5:1).
const palette = ['#2a5fc4', '#1a7449', '#8f5e0e', '#7d3c98', '#b02f26', '#0c6a78', '#4f5e71', '#9c3a5d'];

function hash(s: string) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

export function initials(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return '?';
  return ((parts[0][0] ?? '') + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}

/** A round badge with someone's initials; a green dot when they are online, an amber one when they said they are away. */
export function Avatar({ name, size = 24, online, away, title, src }: { name: string; size?: number; online?: boolean; away?: boolean; title?: string; src?: string | null }) {
  return (
    <span className="relative inline-flex shrink-0" title={title ?? name}>
      {src ? (
        <img src={src} alt="" width={size} height={size} className="rounded-full object-cover" style={{ width: size, height: size }} />
      ) : (
        <span
          className="inline-flex items-center justify-center rounded-full font-semibold text-white select-none"
          style={{ width: size, height: size, fontSize: Math.max(9, size * 0.4), background: palette[hash(name) % palette.length] }}
          aria-hidden="true"
        >
          {initials(name)}
        </span>
      )}
      {online !== undefined && (
        <span className={`absolute -right-0.5 -bottom-0.5 h-2.5 w-2.5 rounded-full border-2 border-surface ${!online ? 'bg-ink-3' : away ? 'bg-warn' : 'bg-ok'}`} aria-hidden="true" />
      )}
    </span>
  );
}
