import {
  ACTION_BLOCK_IDS,
  ACTION_IDS,
  CALLBACK_IDS,
  decisionMetadata,
  hotfixValue,
  inputValue,
  readDecisionMetadata,
  readDecisionValue,
  readHotfixValue,
  readInputValue,
} from '../../../../src/slack/blocks/interaction-ids.js';

const ULID = '01JD0000000000000000000001';

describe('interaction ids', () => {
  it('are the ids the listeners and slack-app.yml register, and never collide', () => {
    expect(CALLBACK_IDS).toEqual({
      planModal: 'hotfix_plan',
      planHereShortcut: 'plan_hotfix_here',
      approveConfirm: 'hotfix_approve_confirm',
      breakGlass: 'hotfix_break_glass',
      rejectReason: 'hotfix_reject_reason',
      revise: 'hotfix_revise',
    });
    expect(ACTION_IDS.reviseOpen).toBe('hotfix_revise_open');
    expect(ACTION_IDS).toMatchObject({
      inputProceed: 'hotfix_input_proceed',
      inputAbort: 'hotfix_input_abort',
      cancel: 'hotfix_cancel',
      retry: 'hotfix_retry',
      resolve: 'hotfix_resolve',
    });
    const callbacks = Object.values(CALLBACK_IDS);
    const actions = Object.values(ACTION_IDS);
    const blocks = Object.values(ACTION_BLOCK_IDS);
    expect(new Set(callbacks).size).toBe(callbacks.length);
    expect(new Set(actions).size).toBe(actions.length);
    expect(new Set(blocks).size).toBe(blocks.length);
  });
});

describe('live status button values (a trust boundary)', () => {
  it('read back what was written', () => {
    expect(hotfixValue({ ulid: ULID })).toBe(`{"ulid":"${ULID}"}`);
    expect(readHotfixValue(hotfixValue({ ulid: ULID }))).toEqual({ ulid: ULID });
    const input = inputValue({ ulid: ULID, pendingInput: { id: 'Proceed' } });
    expect(input).toBe(`{"ulid":"${ULID}","inputId":"Proceed"}`);
    expect(readInputValue(input)).toEqual({ ulid: ULID, inputId: 'Proceed' });
  });

  it('drop fields they did not write', () => {
    expect(readHotfixValue(JSON.stringify({ ulid: ULID, admin: true }))).toEqual({ ulid: ULID });
    expect(readInputValue(JSON.stringify({ ulid: ULID, inputId: 'P', proceed: true }))).toEqual({
      ulid: ULID,
      inputId: 'P',
    });
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['not JSON', '{ulid:'],
    ['an array', JSON.stringify([ULID])],
    ['no ulid', JSON.stringify({ inputId: 'P' })],
    ['an empty ulid', JSON.stringify({ ulid: '', inputId: 'P' })],
    ['a huge ulid', JSON.stringify({ ulid: 'x'.repeat(500), inputId: 'P' })],
    ['a ulid as a number', JSON.stringify({ ulid: 1, inputId: 'P' })],
  ])('refuse %s', (_name, text) => {
    expect(readHotfixValue(text)).toBeUndefined();
    expect(readInputValue(text)).toBeUndefined();
  });

  it.each([
    ['no input id', JSON.stringify({ ulid: ULID })],
    ['an empty input id', JSON.stringify({ ulid: ULID, inputId: '' })],
    ['an input id as a number', JSON.stringify({ ulid: ULID, inputId: 7 })],
    ['a huge input id', JSON.stringify({ ulid: ULID, inputId: 'x'.repeat(501) })],
  ])('an input value refuses %s', (_name, text) => {
    expect(readInputValue(text)).toBeUndefined();
  });
});

describe('readDecisionMetadata (a trust boundary)', () => {
  it('reads back what decisionMetadata wrote, with and without the notice', () => {
    const withNotice = decisionMetadata(
      { ulid: ULID, planVersion: 3 },
      { noticeChannel: 'C1', noticeTs: '1.2' },
    );
    expect(readDecisionMetadata(JSON.stringify(withNotice))).toEqual({
      ulid: ULID,
      planVersion: 3,
      noticeChannel: 'C1',
      noticeTs: '1.2',
    });
    const bare = decisionMetadata({ ulid: ULID, planVersion: 1 });
    expect(bare).toEqual({ ulid: ULID, planVersion: 1 });
    expect(readDecisionMetadata(JSON.stringify(bare))).toEqual({ ulid: ULID, planVersion: 1 });
  });

  it('drops fields it did not write', () => {
    const text = JSON.stringify({ ulid: ULID, planVersion: 1, admin: true, breakGlassReason: 'x' });
    expect(readDecisionMetadata(text)).toEqual({ ulid: ULID, planVersion: 1 });
  });

  it.each([
    ['empty', ''],
    ['not JSON', '{ulid:'],
    ['null', 'null'],
    ['an array', JSON.stringify([ULID, 1])],
    ['a string', JSON.stringify(ULID)],
    ['no ulid', JSON.stringify({ planVersion: 1 })],
    ['an empty ulid', JSON.stringify({ ulid: '', planVersion: 1 })],
    ['a huge ulid', JSON.stringify({ ulid: 'x'.repeat(500), planVersion: 1 })],
    ['a version as text', JSON.stringify({ ulid: ULID, planVersion: '1' })],
    ['version 0', JSON.stringify({ ulid: ULID, planVersion: 0 })],
    ['a fractional version', JSON.stringify({ ulid: ULID, planVersion: 1.5 })],
    ['a notice channel without its ts', JSON.stringify({ ulid: ULID, planVersion: 1, noticeChannel: 'C1' })],
    ['a notice ts without its channel', JSON.stringify({ ulid: ULID, planVersion: 1, noticeTs: '1.2' })],
    [
      'an empty notice channel',
      JSON.stringify({ ulid: ULID, planVersion: 1, noticeChannel: '', noticeTs: '1.2' }),
    ],
    [
      'a notice ts as a number',
      JSON.stringify({ ulid: ULID, planVersion: 1, noticeChannel: 'C1', noticeTs: 1.2 }),
    ],
  ])('refuses %s', (_name, text) => {
    expect(readDecisionMetadata(text)).toBeUndefined();
  });

  it('and a decision button value reads the same way, ignoring the notice', () => {
    const text = JSON.stringify(
      decisionMetadata({ ulid: ULID, planVersion: 2 }, { noticeChannel: 'C1', noticeTs: '1.2' }),
    );
    expect(readDecisionValue(text)).toEqual({ ulid: ULID, planVersion: 2 });
    expect(readDecisionValue('[]')).toBeUndefined();
  });
});
