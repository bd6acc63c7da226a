import { RecordedError } from '../../../src/workflow/recorded.js';
import { failureText } from '../../../src/slack/listeners/failures.js';

describe('the failure sentence says "nothing was done" only when nothing can have been', () => {
  it('says recorded, with what, when the decision was saved and only its follow-up failed', () => {
    const text = failureText(
      new RecordedError('HF-7: your approve was recorded', new Error('Connection is closed.')),
    );
    expect(text).toContain('HF-7: your approve was recorded; follow-up will arrive');
    expect(text).not.toContain('nothing was done');
  });

  it('says nothing was done when the command never left the process', () => {
    const offline = new Error("Stream isn't writeable and enableOfflineQueue options is false");
    expect(failureText(offline)).toContain('nothing was done');
  });

  it('says it may have been recorded when the connection dropped while a write was in flight', () => {
    const text = failureText(new Error('Connection is closed.'));
    expect(text).toContain('may or may not have been recorded');
    expect(text).not.toContain('nothing was done');
  });
});
