/** @jsxImportSource preact */
import type { FastifyReply } from 'fastify';
import type { JSX, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { MARK_END, MARK_START } from '../domains/help-center/search.js';

/**
 * Sends a server-rendered page. Preact escapes every string it renders; the only HTML
 * that goes in as HTML is what Heard sanitised when it was stored (articles, posts, the
 * footer), through dangerouslySetInnerHTML.
 */
export function sendPage(reply: FastifyReply, page: JSX.Element, status = 200) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    // Pages carry the reader's form token and sign-in state: revalidated, never shared by caches.
    .header('cache-control', 'private, no-cache')
    .send(`<!doctype html>${renderToString(page)}`);
}

/** Text with search highlights (between the markers) as <mark>s; everything else stays text, so nothing in it can become markup. */
export function Highlighted({ text }: { text: string }) {
  const parts: (string | VNode)[] = [];
  let rest = text;
  let key = 0;
  for (;;) {
    const start = rest.indexOf(MARK_START);
    if (start < 0) break;
    const end = rest.indexOf(MARK_END, start);
    if (end < 0) break;
    if (start > 0) parts.push(rest.slice(0, start));
    parts.push(<mark key={key++}>{rest.slice(start + 1, end)}</mark>);
    rest = rest.slice(end + 1);
  }
  parts.push(rest.replaceAll(MARK_START, '').replaceAll(MARK_END, ''));
  return <>{parts}</>;
}

/** Stored, sanitised HTML (see core/markdown.ts). */
export function StoredHtml({ html, className }: { html: string; className?: string }) {
  return <div class={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
