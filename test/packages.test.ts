// The publishing rules for every package under packages/ that is not private (issue 10): what npm users get.
// The consumer test (scripts/consumer/run.mjs) installs the packed tarballs and uses them; this test checks the
// manifests themselves, fast, on every `pnpm test`, so a new package (or a new subpath) follows the same rules.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = '@xent/source';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  sideEffects?: boolean | string[];
  exports?: Record<string, string | Record<string, string>>;
  files?: string[];
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const packages = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
  .filter(({ pkg }) => !pkg.private);

/** src/x.ts → dist/x.js (or .d.ts): where tsc puts the compiled form of a source file. */
const compiled = (src: string, ext: '.js' | '.d.ts') => src.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, ext);

/** Every .ts file under a folder, as ./src/… paths. */
function sourceFiles(dir: string, prefix = './src'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name), `${prefix}/${e.name}`) : e.name.endsWith('.ts') ? [`${prefix}/${e.name}`] : [],
  );
}

/** Top-level statements that only declare (and so have no effect when the module loads, up to the initialisers). */
function isDeclaration(st: ts.Statement): boolean {
  return (
    ts.isImportDeclaration(st) ||
    ts.isExportDeclaration(st) ||
    ts.isFunctionDeclaration(st) ||
    ts.isClassDeclaration(st) ||
    ts.isInterfaceDeclaration(st) ||
    ts.isTypeAliasDeclaration(st) ||
    ts.isEnumDeclaration(st) ||
    ts.isModuleDeclaration(st) ||
    ts.isVariableStatement(st) ||
    ts.isExportAssignment(st) ||
    ts.isEmptyStatement(st)
  );
}

describe('publishable packages', () => {
  it('are the four (or more) library packages', () => {
    expect(packages.map((p) => p.pkg.name)).toEqual(
      expect.arrayContaining(['@xent/tensor', '@xent/autograd', '@xent/losses', '@xent/optim']),
    );
  });

  describe.each(packages.map((p) => [p.pkg.name, p] as const))('%s', (_name, { dir, pkg }) => {
    it('is version 0.2.0, MIT with the LICENSE file, ESM, for Node ^20.19 || >=22.12 (where require() loads ESM)', () => {
      expect(pkg.version).toBe('0.2.0');
      expect(pkg.license).toBe('MIT');
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
      expect(pkg.type).toBe('module');
      expect(pkg.engines?.node).toBe('^20.19.0 || >=22.12.0');
    });

    it('ships dist and src only (no tests, no tsbuildinfo) and builds before packing', () => {
      expect(pkg.files).toEqual(['dist', 'src', '!**/*.tsbuildinfo', '!**/*.test.*']);
      expect(pkg.scripts?.prepack).toBe('tsc -b tsconfig.build.json');
      expect(existsSync(join(dir, 'tsconfig.build.json'))).toBe(true);
    });

    it('exports every entry as source (workspace only), then types, import and default into dist', () => {
      const entries = Object.entries(pkg.exports ?? {});
      expect(entries.map(([k]) => k)).toContain('.');
      for (const [subpath, target] of entries) {
        if (subpath === './package.json') {
          expect(target).toBe('./package.json');
          continue;
        }
        expect(typeof target, subpath).toBe('object');
        const t = target as Record<string, string>;
        const src = t[SOURCE];
        // The condition order matters: resolvers take the first that applies.
        expect(Object.keys(t), subpath).toEqual([SOURCE, 'types', 'import', 'default']);
        expect(src, subpath).toMatch(/^\.\/src\/.+\.ts$/);
        expect(existsSync(join(dir, src)), `${subpath} → ${src}`).toBe(true);
        expect(t.types, subpath).toBe(compiled(src, '.d.ts'));
        expect(t.import, subpath).toBe(compiled(src, '.js'));
        expect(t.default, subpath).toBe(compiled(src, '.js'));
      }
    });

    it('declares sideEffects truthfully: every module with top-level effects, or imported for them, is listed', () => {
      const files = sourceFiles(join(dir, 'src'));
      // A module whose top level runs statements (registering ops, adding Tensor methods) has effects, and so has
      // one a bare `import './x.js';` pulls in: a bundler told sideEffects: false would drop either.
      const effectful = new Set<string>();
      for (const f of files) {
        const text = readFileSync(join(dir, f), 'utf8');
        const source = ts.createSourceFile(f, text, ts.ScriptTarget.ES2022);
        for (const st of source.statements) {
          if (ts.isImportDeclaration(st) && st.importClause === undefined && ts.isStringLiteral(st.moduleSpecifier)) {
            if (st.moduleSpecifier.text.startsWith('.'))
              effectful.add(`./${join(dirname(f), st.moduleSpecifier.text).replace(/\.js$/, '.ts')}`);
          } else if (!isDeclaration(st)) {
            effectful.add(f);
          }
        }
      }
      expect(pkg.sideEffects === false || Array.isArray(pkg.sideEffects), 'sideEffects: false or a list of files').toBe(true);
      const listed = new Set(Array.isArray(pkg.sideEffects) ? pkg.sideEffects : []);
      for (const f of effectful) {
        expect(listed.has(f), `${f} is imported for its effects: list it in sideEffects`).toBe(true);
        expect(listed.has(compiled(f, '.js')), `${compiled(f, '.js')} missing from sideEffects`).toBe(true);
      }
      for (const f of listed) {
        const src = f.startsWith('./dist/') ? f.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts') : f;
        expect(existsSync(join(dir, src)), `sideEffects lists ${f}, but ${src} does not exist`).toBe(true);
      }
    });

    it('has the types its .d.ts files import as dependencies, not devDependencies', () => {
      for (const name of Object.keys(pkg.devDependencies ?? {})) expect(name.startsWith('@types/'), name).toBe(false);
      const deps = Object.keys(pkg.dependencies ?? {});
      for (const d of deps.filter((n) => !n.startsWith('@types/') && !n.startsWith('@xent/') && !n.startsWith('node:'))) {
        // A dependency without its own types needs its @types package alongside (the consumer cannot add it).
        const own = JSON.parse(readFileSync(join(dir, 'node_modules', d, 'package.json'), 'utf8')) as { types?: string; typings?: string };
        if (!own.types && !own.typings) expect(deps, `${d} has no types of its own`).toContain(`@types/${d}`);
      }
    });
  });
});
