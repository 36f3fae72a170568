// The public API of every publishable package, read with the TypeScript compiler API from each entry point (the
// '@xent/source' target of every subpath export), the way an editor's hover or TypeDoc sees it: each export with
// its kind and the first sentence of its doc comment, and the public methods of exported classes and interfaces.
// Used by test/docs.test.ts (no export without a doc comment) and scripts/api/readme.ts (the package READMEs'
// export lists).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One documented (or not) name: an export, or a method of an exported class or interface. */
export interface ApiItem {
  /** The exported name, or `Class.method`. */
  name: string;
  /** What it is: function, class, interface, type, constant, namespace, enum, or method. */
  kind: string;
  /** The doc comment's first sentence; '' when there is no doc comment. */
  summary: string;
  /** True when a doc comment is present (text or tags). */
  documented: boolean;
}

/** One entry point: `@xent/tensor` or a subpath such as `@xent/nn/node`. */
export interface ApiEntry {
  /** The import specifier. */
  specifier: string;
  /** The package folder, e.g. packages/tensor. */
  dir: string;
  /** The exports, in the entry point's order, and after each class or interface its public methods. */
  items: ApiItem[];
}

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
}

/** The publishable packages (packages/* without "private") with their manifests. */
export function publishablePackages(): { dir: string; pkg: Manifest }[] {
  return readdirSync(join(root, 'packages'))
    .map((d) => join(root, 'packages', d))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
    .filter(({ pkg }) => !pkg.private);
}

function kindOf(sym: ts.Symbol): string {
  const f = sym.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Variable) return 'constant';
  if (f & ts.SymbolFlags.Module) return 'namespace';
  return 'export';
}

/** The first sentence of a doc comment, on one line: up to the first '.' followed by a space, outside `code`. */
function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let code = false;
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    if (c === '`') code = !code;
    else if (c === '.' && !code && (i + 1 === flat.length || flat[i + 1] === ' ') && !/\b(e\.g|i\.e|cf|vs)$/.test(flat.slice(0, i))) {
      return flat.slice(0, i + 1);
    }
  }
  return flat;
}

function docOf(sym: ts.Symbol, checker: ts.TypeChecker): { summary: string; documented: boolean } {
  const text = ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();
  // A comment that holds only tags (@param, @returns, @deprecated) counts as documented too.
  const tags = (sym.declarations ?? []).some((d) => ts.getJSDocTags(d).length > 0);
  return { summary: firstSentence(text), documented: text.length > 0 || tags };
}

function isPublicMember(d: ts.Declaration): boolean {
  const flags = ts.getCombinedModifierFlags(d);
  const name = ts.getNameOfDeclaration(d);
  return !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !(name && ts.isPrivateIdentifier(name));
}

const isMethodLike = (d: ts.Declaration) =>
  ts.isMethodDeclaration(d) || ts.isMethodSignature(d) || ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d);

/** Every entry point of every publishable package, with its API items. */
export function collectApi(): ApiEntry[] {
  const entries = publishablePackages().flatMap(({ dir, pkg }) =>
    Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]) =>
      typeof target === 'object' && target['@xent/source']
        ? [
            {
              specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`,
              dir,
              file: join(dir, target['@xent/source']),
            },
          ]
        : [],
    ),
  );
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram({ rootNames: entries.map((e) => e.file), options: { ...parsed.options, noEmit: true } });
  const checker = program.getTypeChecker();
  return entries.map(({ specifier, dir, file }) => {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read the exports of ${file}`);
    const items: ApiItem[] = [];
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const sym = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      items.push({ name: exported.name, kind: kindOf(sym), ...docOf(sym, checker) });
      if (sym.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
        for (const member of sym.members?.values() ?? []) {
          const decls = member.declarations ?? [];
          if (decls.length > 0 && decls.some(isMethodLike) && decls.every(isPublicMember)) {
            items.push({ name: `${exported.name}.${member.name}`, kind: 'method', ...docOf(member, checker) });
          }
        }
      }
    }
    return { specifier, dir, items };
  });
}
