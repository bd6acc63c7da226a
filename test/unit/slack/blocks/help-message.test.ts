import { parseHotfixCommand } from '../../../../src/domain/command-grammar.js';
import { parsePlan } from '../../../../src/domain/plan-grammar.js';
import { Reason, refuse } from '../../../../src/domain/reasons.js';
import {
  helpMessage,
  notInChannelMessage,
  refusalMessage,
} from '../../../../src/slack/blocks/help-message.js';
import { testCatalog } from '../../domain/fixtures.js';
import { render } from './render.js';

describe('helpMessage', () => {
  it('renders every subcommand and the flow', () => {
    expect(render(helpMessage())).toMatchSnapshot();
  });

  it('shows the grammar as typed: angle brackets are escaped so Slack does not read them as links', () => {
    const text = render(helpMessage());
    expect(text).toContain('`/hotfix plan &lt;service&gt;@&lt;tag&gt;');
    expect(text).not.toMatch(/<service>|<client>/);
  });
});

describe('refusalMessage', () => {
  it('lists every problem of a bad plan and shows the grammar in a code block', () => {
    const parsed = parsePlan('decantng-service@24-02-05.619 acme prd sev=7', testCatalog());
    if (parsed.ok) throw new Error('expected problems');
    const message = refusalMessage(parsed.problems);
    expect(render(message)).toMatchSnapshot();
    expect(message.blocks).toHaveLength(2);
    expect(render(message).match(/^ {4}• /gm)).toHaveLength(parsed.problems.length);
  });

  it('shows only the usage of the subcommand that was wrong when given', () => {
    const parsed = parseHotfixCommand('handoff HF-3');
    if (parsed.kind !== 'invalid') throw new Error('expected invalid');
    const text = render(refusalMessage(parsed.problems, parsed.usage));
    expect(text).toContain('```/hotfix handoff HF-n @person — make someone else the owner of a hotfix```');
    expect(text).not.toContain('/hotfix plan');
  });

  it('keeps the mentions a refusal names live', () => {
    const message = refusalMessage([
      refuse(Reason.NotApprover, 'Only <!subteam^S0APPROVERS> can approve HF-1.'),
    ]);
    expect(render(message)).toContain('• Only <!subteam^S0APPROVERS> can approve HF-1.');
    expect(message.text).toBe('Not done: Only <!subteam^S0APPROVERS> can approve HF-1.');
  });
});

describe('notInChannelMessage', () => {
  it('says how to invite the bot and to run the command again', () => {
    const message = notInChannelMessage('C0INCIDENT');
    expect(message.text).toBe(
      "I'm not in <#C0INCIDENT>, so I can't post or follow the hotfix there. Invite me with `/invite @hotfix-bot` in <#C0INCIDENT>, then run the command again (if you have just invited me, give me a few seconds).",
    );
    expect(render(message)).toMatchSnapshot();
  });
});
