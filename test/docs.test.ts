// Every export of every publishable package has a doc comment (issue 10): each exported function, class, constant
// and type, each public method and accessor of an exported class, and each method of an exported interface
// (Tensor's methods too, which autograd adds by declaration merging). Read with the TypeScript compiler API from
// each package's entry points, the way an editor's hover or TypeDoc sees them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
}

const packages = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
  .filter(({ pkg }) => !pkg.private);

/** Each entry point's source file: the '@xent/source' target of every subpath export. */
const entries = packages.flatMap(({ dir, pkg }) =>
  Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]) =>
    typeof target === 'object' && target['@xent/source']
      ? [{ name: join(pkg.name, subpath), file: join(dir, target['@xent/source']) }]
      : [],
  ),
);

function program(): ts.Program {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  return ts.createProgram({ rootNames: entries.map((e) => e.file), options: { ...parsed.options, noEmit: true } });
}

const hasDoc = (sym: ts.Symbol, checker: ts.TypeChecker) =>
  ts.displayPartsToString(sym.getDocumentationComment(checker)).trim().length > 0 ||
  // A declaration whose comment holds only tags (@param, @returns, @deprecated) is documented too.
  (sym.declarations ?? []).some((d) => ts.getJSDocTags(d).length > 0);

const isPublicMember = (d: ts.Declaration) => {
  const flags = ts.getCombinedModifierFlags(d);
  const name = ts.getNameOfDeclaration(d);
  return !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !(name && ts.isPrivateIdentifier(name));
};

/** Names (package:export or package:export.member) that have no doc comment. */
function undocumented(): { missing: string[]; checked: number } {
  const prog = program();
  const checker = prog.getTypeChecker();
  const missing = new Set<string>();
  let checked = 0;
  const visit = (label: string, sym: ts.Symbol) => {
    checked++;
    if (!hasDoc(sym, checker)) missing.add(label);
  };
  for (const entry of entries) {
    const source = prog.getSourceFile(entry.file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read the exports of ${entry.file}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const sym = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const label = `${entry.name}: ${exported.name}`;
      visit(label, sym);
      // Members: public methods and accessors of classes, methods of interfaces (merged declarations included).
      if (sym.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
        for (const member of sym.members?.values() ?? []) {
          const decls = member.declarations ?? [];
          const method = decls.some(
            (d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d) || ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d),
          );
          if (method && decls.every(isPublicMember)) visit(`${label}.${member.name}`, member);
        }
      }
    }
  }
  return { missing: [...missing].sort(), checked };
}

// Exports that had no doc comment when this test landed, to be documented (the list may only shrink).
const baselineFile = join(root, 'test', 'undocumented-baseline.json');
const baseline = new Set<string>(existsSync(baselineFile) ? (JSON.parse(readFileSync(baselineFile, 'utf8')) as string[]) : []);

describe('doc comments', () => {
  const { missing, checked } = undocumented();

  it('covers every publishable package entry point', () => {
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(['@xent/tensor', '@xent/autograd', '@xent/losses', '@xent/optim']));
    expect(checked).toBeGreaterThan(200);
  });

  it('on every exported function, class, constant, type, and public method', () => {
    const added = missing.filter((m) => !baseline.has(m));
    expect(added, 'these exports have no /** doc comment */: say what it computes (the math), shapes, options, errors').toEqual([]);
  });
});
