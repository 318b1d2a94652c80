import MarkdownIt from 'markdown-it';
import sanitize from 'sanitize-html';
import { htmlToText } from './html.js';
import { slugify } from '../../shared/slug.js';

/**
 * Who wrote the Markdown decides what it may do. Staff write articles: images and
 * headings with anchors. Customers write community posts: no images (no tracking
 * pixels, no hot-linked content), and their links are marked ugc and nofollow.
 * Neither may write HTML: markdown-it escapes it, and sanitize-html cleans the result
 * again, so a bug in one layer is caught by the other.
 */
export type MarkdownAuthor = 'staff' | 'customer';

export interface RenderedMarkdown {
  html: string;
  /** The text a reader sees, for search and highlights. */
  plain: string;
  /** The first words, for meta descriptions and previews. */
  excerpt: string;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
// Only the link schemes people use in help content; markdown-it's own check refuses javascript:, vbscript:, file: and data: (but images).
const SAFE_LINK = /^(https?:|mailto:|tel:|\/|#)/i;
md.validateLink = (url) => SAFE_LINK.test(url.trim()) || !/^[a-z][a-z0-9+.-]*:/i.test(url.trim());

// Headings get ids, so "#reset-your-password" links to the part of an article.
md.renderer.rules.heading_open = (tokens, i, options, _env, self) => {
  const inline = tokens[i + 1];
  const text = inline?.children?.map((c) => c.content).join('') ?? '';
  const anchor = slugify(text);
  if (anchor) tokens[i].attrSet('id', anchor);
  return self.renderToken(tokens, i, options);
};

const BASE_TAGS = ['a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'h2', 'h3', 'h4', 'hr', 'i', 'li', 'ol', 'p', 'pre', 's', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul'];

function clean(html: string, author: MarkdownAuthor): string {
  return sanitize(html, {
    allowedTags: author === 'staff' ? [...BASE_TAGS, 'h1', 'img'] : BASE_TAGS,
    allowedAttributes: {
      // rel is ours alone: transformTags below sets it, and an attribute not listed here would be dropped after it.
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title'],
      h1: ['id'],
      h2: ['id'],
      h3: ['id'],
      h4: ['id'],
      td: ['style'],
      th: ['style'],
      code: ['class'],
    },
    allowedStyles: { td: { 'text-align': [/^(left|right|center)$/] }, th: { 'text-align': [/^(left|right|center)$/] } },
    allowedClasses: { code: [/^language-[a-z0-9+-]+$/] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs) => {
        const external = /^(https?:)?\/\//i.test(attribs.href ?? '');
        const rel = author === 'customer' ? 'nofollow ugc noopener noreferrer' : external ? 'noopener noreferrer' : undefined;
        const { rel: _given, ...rest } = attribs;
        return { tagName, attribs: { ...rest, ...(rel ? { rel } : {}) } };
      },
    },
  });
}

/** Customers' images become links to them: what they pointed at is still there, but nothing loads by itself. */
const customerMd = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
customerMd.validateLink = md.validateLink;
customerMd.renderer.rules.image = (tokens, i) => {
  const src = String(tokens[i].attrGet('src') ?? '');
  const alt = tokens[i].children?.map((c) => c.content).join('') || src;
  return `<a href="${customerMd.utils.escapeHtml(src)}">${customerMd.utils.escapeHtml(alt)}</a>`;
};

/** Renders Markdown to the HTML that is stored and served, with its plain text. */
export function renderMarkdown(source: string, author: MarkdownAuthor): RenderedMarkdown {
  const raw = (author === 'staff' ? md : customerMd).render(source);
  const html = clean(raw, author);
  const plain = htmlToText(html);
  // The description is the opening prose: headings and list items read as fragments out of place.
  const paragraphs = [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => htmlToText(m[1])).filter(Boolean);
  return { html, plain, excerpt: excerptOf(paragraphs.length ? paragraphs.join(' ') : plain) };
}

/** About 160 characters, cut at a word: what search engines show under a title. */
export function excerptOf(plain: string, max = 160): string {
  const flat = plain.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const words = cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20)).trimEnd();
  // A cut that ends a sentence needs no ellipsis after its full stop.
  return /[.!?]$/.test(words) ? words : `${words.replace(/[,;:]$/, '')}…`;
}
