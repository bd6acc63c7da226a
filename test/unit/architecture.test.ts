import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');
const cruiser = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** Runs the project's dependency rules over a throwaway tree laid out like src/. */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hotfix-arch-'));
  try {
    copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
        include: ['src'],
      }),
    );
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = spawnSync(process.execPath, [cruiser, 'src', '--config', '.dependency-cruiser.cjs'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const adapter = { 'src/adapters/slack/slack-chat.ts': 'export const chat = 1;\n' };

describe('the dependency rule (npm run lint)', () => {
  it('passes a tree that points inward', () => {
    const result = cruise({
      ...adapter,
      'src/domain/hotfix.ts': "import { reason } from './reasons.js';\nexport const h = reason;\n",
      'src/domain/reasons.ts': 'export const reason = 1;\n',
      'src/workflow/plan.ts': "import { h } from '../domain/hotfix.js';\nexport const p = h;\n",
      'src/main.ts':
        "import { chat } from './adapters/slack/slack-chat.js';\nimport { p } from './workflow/plan.js';\nexport const m = [chat, p];\n",
    });
    expect(result.output).toContain('no dependency violations');
    expect(result.status).toBe(0);
  });

  it('fails when the domain imports anything outside itself', () => {
    const result = cruise({
      ...adapter,
      'src/domain/hotfix.ts':
        "import { readFileSync } from 'node:fs';\nimport { chat } from '../adapters/slack/slack-chat.js';\nexport const h = [readFileSync, chat];\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(
      /domain-is-pure: src\/domain\/hotfix\.ts → src\/adapters\/slack\/slack-chat\.ts/,
    );
    expect(result.output).toMatch(/domain-is-pure: src\/domain\/hotfix\.ts → (node:)?fs/);
  });

  it('fails when anything but main.ts imports an adapter, or one adapter imports another', () => {
    const result = cruise({
      ...adapter,
      'src/workflow/plan.ts':
        "import { chat } from '../adapters/slack/slack-chat.js';\nexport const p = chat;\n",
      'src/adapters/jenkins/jenkins-ci.ts':
        "import { chat } from '../slack/slack-chat.js';\nexport const j = chat;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'adapters-only-from-main: src/workflow/plan.ts → src/adapters/slack/slack-chat.ts',
    );
    expect(result.output).toContain(
      'adapters-stay-in-their-folder: src/adapters/jenkins/jenkins-ci.ts → src/adapters/slack/slack-chat.ts',
    );
  });
});
