// TypeDoc plugin: the documentation checks of `pnpm docs`, each failure a warning that
// names the file and line (with `treatWarningsAsErrors` in typedoc.config.mjs, a failure):
//
// - every export of a published package, and every member of it that
//   `requiredToBeDocumented` lists, has a doc comment (TypeDoc's own `notDocumented`
//   names only the file); a setter is covered by its getter's comment;
// - every public function and class shows an `@example` in its doc comment (a class's
//   constructor has its own doc comment through `requiredToBeDocumented: ['Constructor']`,
//   which is what an editor shows on `new X(`).
import { relative } from 'node:path';
import { Application, ReflectionKind } from 'typedoc';

/** `file:line` of a reflection's first declaration, relative to the working directory. */
export function where(reflection) {
  const source = reflection.sources?.[0];
  if (!source) return reflection.getFriendlyFullName();
  return `${relative(process.cwd(), source.fullFileName)}:${source.line}`;
}

const hasExample = (comment) => comment?.getTag('@example') !== undefined;

/** `[reflection, message]` for each function or class without an example. */
export function missingExamples(project) {
  const missing = [];
  for (const fn of project.getReflectionsByKind(ReflectionKind.Function)) {
    // Overloads: one example on any signature (or on the function) is enough.
    const signatures = fn.signatures ?? [];
    if (!hasExample(fn.comment) && !signatures.some((s) => hasExample(s.comment))) {
      const name = fn.getFriendlyFullName();
      missing.push([signatures[0] ?? fn, `function ${name} has no @example in its doc comment`]);
    }
  }
  for (const cls of project.getReflectionsByKind(ReflectionKind.Class)) {
    if (!hasExample(cls.comment)) {
      const name = cls.getFriendlyFullName();
      missing.push([cls, `class ${name} has no @example in its doc comment`]);
    }
  }
  return missing;
}

const SIGNATURES_OF = {
  Function: ReflectionKind.CallSignature,
  Method: ReflectionKind.CallSignature,
  Constructor: ReflectionKind.ConstructorSignature,
  Accessor: ReflectionKind.GetSignature | ReflectionKind.SetSignature,
};

/**
 * Whether a reflection belongs to a parameter, or to an object type written inline in a
 * signature (`linear(): RegressionDataset<{ slope: number }>`): the function's own doc
 * comment describes those.
 */
function insideSignature(reflection) {
  for (let r = reflection.parent; r; r = r.parent) {
    if (r.kindOf(ReflectionKind.Parameter | ReflectionKind.SomeSignature)) return true;
  }
  return false;
}

function documented(reflection) {
  if (reflection.hasComment()) return true;
  const parent = reflection.parent;
  if (reflection.kindOf(ReflectionKind.SomeSignature) && parent?.hasComment()) return true;
  // A setter is described by its getter's comment, as editors show it.
  if (reflection.kindOf(ReflectionKind.SetSignature) && parent?.getSignature?.hasComment()) {
    return true;
  }
  return false;
}

/** `[reflection, message]` for each reflection of the required kinds without a comment. */
export function missingDocs(project, requiredKinds) {
  let kinds = 0;
  for (const name of requiredKinds) kinds |= SIGNATURES_OF[name] ?? ReflectionKind[name];
  const missing = [];
  const seen = new Set();
  for (const reflection of project.getReflectionsByKind(kinds)) {
    if (insideSignature(reflection) || documented(reflection)) continue;
    // A function type's signature is described by the property or alias that holds it,
    // which is checked itself; a class without a constructor of its own shows its class
    // comment on `new X(`, which is checked itself too.
    if (reflection.kindOf(ReflectionKind.SomeSignature)) {
      if (reflection.parent?.kindOf(ReflectionKind.TypeLiteral)) continue;
      const implicit = !reflection.sources?.length;
      if (reflection.kindOf(ReflectionKind.ConstructorSignature) && implicit) continue;
    }
    const symbol = project.getSymbolIdFromReflection(reflection);
    if (symbol && project.packageName && symbol.packageName !== project.packageName) continue;
    const at = where(reflection);
    // Members inherited by several classes are reported once, where they are written.
    if (seen.has(at + reflection.name)) continue;
    seen.add(at + reflection.name);
    const kind = ReflectionKind.singularString(reflection.kind).toLowerCase();
    missing.push([reflection, `${kind} ${reflection.getFriendlyFullName()} has no doc comment`]);
  }
  return missing;
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    // In packages mode this runs once per package, with that package's options, and once
    // on the merged project, whose reflections were checked already.
    const merged = app.options.getValue('entryPointStrategy') === 'packages';
    if (merged && !app.options.packageDir) return;
    const required = app.options.getValue('requiredToBeDocumented');
    const problems = [...missingDocs(project, required), ...missingExamples(project)];
    problems.sort(([a], [b]) => where(a).localeCompare(where(b), 'en', { numeric: true }));
    for (const [reflection, message] of problems)
      app.logger.warn(`${where(reflection)}: ${message}`);
  });
}
