import DOMPurify from 'dompurify';

/**
 * E-mail HTML as the timeline shows it. The server sanitised it once; the browser cleans it
 * again, with its own DOMPurify instance, and stricter: nothing loads from outside by
 * itself (a remote image tells the sender that, when and where the mail was read), so
 * only the message's own inline images (/api/v1/attachments/<id>/inline) and data: images
 * keep their source. Links open elsewhere and never get our window.
 */
const purify = DOMPurify(window);

const OWN_INLINE = /^\/api\/v1\/attachments\/[0-9a-f-]{36}\/inline$/i;
const DATA_IMAGE = /^data:image\/(png|jpe?g|gif|webp);/i;
let blocked = 0;

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
  for (const attr of ['srcset', 'background', 'poster', 'lowsrc', 'dynsrc', 'longdesc']) node.removeAttribute(attr);
  const src = node.getAttribute('src');
  if (src !== null && !OWN_INLINE.test(src) && !DATA_IMAGE.test(src)) {
    node.removeAttribute('src');
    if (node.tagName === 'IMG') {
      blocked += 1;
      node.setAttribute('data-blocked', '');
      if (!node.getAttribute('alt')) node.setAttribute('alt', '');
    }
  }
});

/** The cleaned HTML, and how many images from elsewhere were left out. */
export function cleanEmailHtml(html: string): { html: string; blockedImages: number } {
  blocked = 0;
  const out = purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'frame', 'object', 'embed', 'video', 'audio', 'source', 'track', 'picture'],
    FORBID_ATTR: ['style', 'srcset', 'background', 'poster'],
  });
  return { html: out, blockedImages: blocked };
}
