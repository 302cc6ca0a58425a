import nx from '@nx/eslint-plugin';

/**
 * Library boundaries on two axes (see shared/STYLE.md):
 *  - scope: server code and web code never import each other; both may use shared.
 *  - type:  the protocol library depends on nothing in the workspace and on no
 *           framework (zod only), so both ends can trust it the same way.
 */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/coverage', '**/node_modules', '**/.nx', '**/.angular', 'tmp/**'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/jest\\.node\\.preset\\.cjs$'],
          depConstraints: [
            { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // type:testing only in specs: the helpers start servers and browsers, nothing production needs.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util', 'type:protocol', 'type:testing'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util', 'type:protocol'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:protocol'] },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: [], allowedExternalImports: ['zod'] },
            // Deployment tests drive built artefacts as processes; they may read the wire contract only.
            { sourceTag: 'scope:deploy', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Benchmarks drive built artefacts as processes, like the deployment tests.
            { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:shared'] },
            // The network lab's calls drive built artefacts in namespaces, like the deployment tests.
            { sourceTag: 'scope:lab', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:protocol', 'type:util', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:protocol'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...nx.configs['flat/angular'].map((config) => ({ ...config, files: ['apps/web/**/*.ts'] })),
  ...nx.configs['flat/angular-template'].map((config) => ({ ...config, files: ['apps/web/**/*.html'] })),
  {
    files: ['apps/web/**/*.ts'],
    rules: {
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'app', style: 'camelCase' }],
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'app', style: 'kebab-case' }],
    },
  },
];
