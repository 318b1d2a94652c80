import { describe, expect, it } from 'vitest';
import { processorName } from './FailuresPage';

describe('background failures', () => {
  it('names each processor in words, and one it does not know by its own name', () => {
    expect(processorName('outbound')).toBe('Sending replies');
    expect(processorName('rules')).toBe('Automation rules');
    expect(processorName('visitor-realtime')).toBe('Live updates in the chat widget');
    expect(processorName('something-new')).toBe('something-new');
  });
});
