/**
 * The dependency rule of DESIGN.md section 3: dependencies point inward. `npm run lint` runs this.
 * The domain imports nothing outside itself; adapters are reached only from main.ts (the composition root).
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain/ is the pure core: no Slack, Redis, BullMQ, SDK or Node import may reach it.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'adapters-only-from-main',
      comment: 'Adapters are wired only in src/main.ts; everything else talks to ports.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/main\\.ts$', '^src/adapters/'] },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'adapters-stay-in-their-folder',
      comment: 'An adapter may import only from its own folder under src/adapters/.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'inner-layers-do-not-reach-out',
      comment: 'ports/ and workflow/ never import the delivery layers (slack/, queue/).',
      severity: 'error',
      from: { path: '^src/(ports|workflow)/' },
      to: { path: '^src/(slack|queue)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
