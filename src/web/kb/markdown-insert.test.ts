import { describe, expect, it } from 'vitest';
import { imageProblem, insertBlock, removePlaceholder, replacePlaceholder, uploadPlaceholder } from './markdown-insert';

describe('inserting an image into the Markdown', () => {
  it('makes it a paragraph of its own, with the cursor after it', () => {
    expect(insertBlock('', { start: 0, end: 0 }, '![a](/x.png)')).toEqual({ text: '![a](/x.png)', caret: 12 });
    expect(insertBlock('Hello world', { start: 5, end: 5 }, '![a](/x.png)')).toEqual({ text: 'Hello\n\n![a](/x.png)\n\n world', caret: 19 });
    expect(insertBlock('One\n\nTwo', { start: 5, end: 5 }, 'B')).toEqual({ text: 'One\n\nB\n\nTwo', caret: 6 });
    expect(insertBlock('One\nTwo', { start: 4, end: 4 }, 'B')).toEqual({ text: 'One\n\nB\n\nTwo', caret: 6 });
    expect(insertBlock('Text', { start: 4, end: 4 }, 'B')).toEqual({ text: 'Text\n\nB', caret: 7 });
  });

  it('replaces the selected text, and keeps a cursor past the end inside the text', () => {
    expect(insertBlock('a\n\nSELECT\n\nb', { start: 3, end: 9 }, 'B').text).toBe('a\n\nB\n\nb');
    expect(insertBlock('abc', { start: 10, end: 12 }, 'B')).toEqual({ text: 'abc\n\nB', caret: 6 });
  });

  it('swaps the upload placeholder for the finished Markdown wherever typing moved it', () => {
    const ph = uploadPlaceholder('screen shot.png', 1);
    expect(ph).toBe('![Uploading screen shot.png…](#uploading-1)');
    const typed = `Intro, written meanwhile\n${ph}\nmore`;
    expect(replacePlaceholder(typed, ph, '![screen shot](/help/files/1/s.png)')).toBe('Intro, written meanwhile\n![screen shot](/help/files/1/s.png)\nmore');
    expect(replacePlaceholder('the writer deleted it', ph, '![x](/y)')).toBe('the writer deleted it');
  });

  it('keeps two uploads of the same name apart, and removes a failed one with its line', () => {
    const a = uploadPlaceholder('[x].png', 'a');
    const b = uploadPlaceholder('[x].png', 'b');
    expect(a).not.toBe(b);
    expect(a).toBe('![Uploading x.png…](#uploading-a)');
    expect(removePlaceholder(insertBlock('one two', { start: 3, end: 3 }, a).text, a)).toBe('one\n\n two');
    expect(removePlaceholder(`one\n${a}\ntwo`, a)).toBe('one\n\ntwo');
    expect(removePlaceholder(`${a}\n\n${b}`, a)).toBe(b);
    expect(removePlaceholder(`text\n\n${a}`, a)).toBe('text');
  });

  it('knows which files the server refuses', () => {
    expect(imageProblem({ type: 'image/png', size: 100 })).toBeNull();
    expect(imageProblem({ type: 'image/svg+xml', size: 100 })).toBe('type');
    expect(imageProblem({ type: 'image/jpeg', size: 6 * 1024 * 1024 })).toBe('size');
  });
});
