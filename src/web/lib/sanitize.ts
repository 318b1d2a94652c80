import DOMPurify from 'dompurify';

// Links in customers' messages open elsewhere and never get our window.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/** Cleans message HTML again in the browser (the server did once): no scripts, no forms, no styles that escape. */
export function cleanHtml(html: string) {
  return DOMPurify.sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe'], FORBID_ATTR: ['style'] });
}
