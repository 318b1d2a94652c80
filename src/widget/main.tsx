import { render } from 'preact';
import { App } from './App';
import { Chat, type ChatEvent } from './chat';
import { chooseLocale, translator } from './i18n';
import { styles } from './styles';
import type { Identity } from './types';

/**
 * widget.js: finds its own <script data-inbox> tag, renders the chat in an open shadow
 * root on one host element, and replaces the `window.Heard` stub with the real API,
 * replaying the calls the page made before the script arrived.
 */

interface HeardApi {
  identify(identity: Identity): Promise<void>;
  open(): void;
  close(): void;
  on(event: ChatEvent, fn: (data?: unknown) => void): void;
}
type Stub = { q?: [string, unknown[]][] } & Partial<HeardApi>;

declare global {
  interface Window {
    Heard?: Stub | HeardApi;
  }
}

function boot() {
  const script = (document.currentScript as HTMLScriptElement | null)?.dataset.inbox
    ? (document.currentScript as HTMLScriptElement)
    : document.querySelector<HTMLScriptElement>('script[data-inbox][src*="widget.js"]');
  const publicKey = script?.dataset.inbox;
  if (!script || !publicKey) {
    console.warn('[Heard] widget.js needs data-inbox="<public key>" on its script tag');
    return;
  }
  if (document.querySelector('heard-widget')) return;
  const origin = new URL(script.src, location.href).origin;
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language];
  const locale = chooseLocale(languages);
  const t = translator(locale);
  // The widget's own words and the inbox's greeting in the same language: the one the widget chose comes first.
  const chat = new Chat(origin, publicKey, undefined, [locale, ...languages]);

  const host = document.createElement('heard-widget');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = styles;
  const mount = document.createElement('div');
  shadow.append(style, mount);

  let open = false;
  const draw = () => render(<App chat={chat} t={t} locale={locale} open={open} setOpen={setOpen} />, mount);
  function setOpen(next: boolean) {
    if (next === open) return;
    open = next;
    if (open) {
      chat.markRead();
      stopFlash();
    }
    chat.setWatching(open && !document.hidden);
    chat.emit(open ? 'open' : 'close');
    draw();
  }

  // A reply while the panel is closed: a badge on the launcher and the page's title flashing.
  const title = { original: document.title, timer: 0 as ReturnType<typeof setInterval> | 0 };
  function stopFlash() {
    if (!title.timer) return;
    clearInterval(title.timer);
    title.timer = 0;
    document.title = title.original;
  }
  chat.on('message', () => {
    if (open && !document.hidden) return;
    chat.markUnread();
    if (title.timer) return;
    title.original = document.title;
    let on = false;
    title.timer = setInterval(() => {
      on = !on;
      document.title = on ? `(${chat.state.unread}) ${t('flash.title')}` : title.original;
    }, 1000);
  });
  document.addEventListener('visibilitychange', () => {
    chat.setWatching(open && !document.hidden);
    if (!document.hidden && open) {
      chat.markRead();
      stopFlash();
    }
  });

  const api: HeardApi = {
    identify: (identity) => chat.identify(identity),
    open: () => setOpen(true),
    close: () => setOpen(false),
    on: (event, fn) => chat.on(event, fn),
  };
  const queued = (window.Heard as Stub | undefined)?.q ?? [];
  window.Heard = api;
  // identify() before start: the first session is then opened with the identity.
  for (const [method, args] of queued) {
    const fn = api[method as keyof HeardApi] as ((...a: unknown[]) => unknown) | undefined;
    if (method === 'identify') void chat.identify(args[0] as Identity);
    else fn?.(...args);
  }

  const attach = () => {
    document.body.append(host);
    draw();
    void chat.start();
  };
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });
}

boot();
