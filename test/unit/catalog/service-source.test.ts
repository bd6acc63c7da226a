/**
 * Where a service's code lives for the GitHub checks: `repo` must be a repository GitHub could have (owner and name
 * rules), and `ci` says what a plan does while CI is still running, with defaults when left out.
 */
import { parseCatalog } from '../../../src/catalog/index.js';
import { exampleWith, problemsIn, remove, set, SOURCE, withoutLines } from './example-catalog.js';

const service = ['services', 'decanting-service'];

describe('services.<name>.repo', () => {
  it.each(['example-org/decanting-service', 'a/b', 'Org-1/repo.name_2', 'x/.github'])(
    'accepts %s',
    (repo) => {
      const catalog = parseCatalog(exampleWith(set([...service, 'repo'], repo)), SOURCE);
      expect(catalog.services['decanting-service']?.repo).toBe(repo);
    },
  );

  it.each([
    'decanting-service',
    'example-org/decanting-service/extra',
    '-org/repo',
    'org-/repo',
    'my--org/repo',
    `${'o'.repeat(40)}/repo`,
    'org/..',
    'org/repo.git',
    'org/has space',
    'https://github.com/org/repo',
  ])('refuses %s naming the field', (repo) => {
    expect(withoutLines(problemsIn(exampleWith(set([...service, 'repo'], repo))))).toEqual([
      `${SOURCE}: services.decanting-service.repo: found ${JSON.stringify(repo)}, expected a repository as owner/repo`,
    ]);
  });
});

describe('services.<name>.ci', () => {
  it('is absent when left out, so the default policy applies', () => {
    const catalog = parseCatalog(exampleWith(remove([...service, 'ci'])), SOURCE);
    expect(catalog.services['decanting-service']?.ci).toBeUndefined();
  });

  it('fills in what is left out: hold, for 60 minutes', () => {
    const catalog = parseCatalog(exampleWith(set([...service, 'ci'], {})), SOURCE);
    expect(catalog.services['decanting-service']?.ci).toEqual({ whenPending: 'hold', waitMinutes: 60 });
  });

  it('takes refuse and a wait', () => {
    const catalog = parseCatalog(
      exampleWith(set([...service, 'ci'], { whenPending: 'refuse', waitMinutes: 15 })),
      SOURCE,
    );
    expect(catalog.services['decanting-service']?.ci).toEqual({ whenPending: 'refuse', waitMinutes: 15 });
  });

  it('refuses an unknown action, a wait out of range and an unknown field, each with its path', () => {
    const problems = withoutLines(
      problemsIn(
        exampleWith(set([...service, 'ci'], { whenPending: 'wait', waitMinutes: 0, required: true })),
      ),
    );
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toContain('services.decanting-service.ci.whenPending: found "wait"');
    expect(problems.join('\n')).toContain('services.decanting-service.ci.waitMinutes');
    expect(problems.join('\n')).toContain('services.decanting-service.ci: unknown field "required"');
  });
});
