import { parseCatalog } from '../../../src/catalog/index.js';
import { exampleText, problemsIn, SOURCE } from './example-catalog.js';

describe('a catalog that is not valid YAML', () => {
  it('names the line and column of an unclosed list', () => {
    const text = [
      'services:',
      '  decanting-service:',
      '    owners: [U0DECANT1',
      '    method: rehearsal',
      '',
    ].join('\n');
    expect(problemsIn(text, 'catalog.yml')).toEqual([
      'catalog.yml: line 4, column 5: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('refuses a key given twice instead of letting the second win', () => {
    const text = exampleText.replace('\nchannels:', '\nservices: {}\nchannels:');
    const line = text.split('\n').indexOf('services: {}') + 1;
    expect(problemsIn(text)).toEqual([
      `${SOURCE}: line ${line}, column 1: YAML syntax error: Map keys must be unique`,
    ]);
  });

  it('explains that only one document is allowed', () => {
    expect(problemsIn('services: {}\n---\nclients: {}\n', 'catalog.yml')).toEqual([
      'catalog.yml: line 2, column 1: YAML syntax error: the catalog must be one YAML document; remove the extra ---',
    ]);
  });

  it('reports syntax errors alone, since the structure of a broken file cannot be trusted', () => {
    const text = exampleText.replace('planExpiryMinutes: 240', "planExpiryMinutes: 'unclosed");
    const problems = problemsIn(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${SOURCE}: line \\d+, column \\d+: YAML syntax error: `));
  });

  it('puts every problem into the thrown message', () => {
    expect(() => parseCatalog('services: [\n', 'catalog.yml')).toThrow(
      /^The catalog is invalid \(\d problems?\):\n {2}- catalog\.yml: line \d+, column \d+: YAML syntax error: /,
    );
  });
});
